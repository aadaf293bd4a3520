"""The companies API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.companies.api import COMPANY_FIELDS, VERIFY_FIELDS
from casting.core import openapi as oa
from casting.core.api import Field

COMPANY = oa.schema("Company", oa.obj({
    "id": oa.ident(), "legal_name": oa.string(), "registration_number": oa.string(), "address": oa.string(),
    "website": oa.string(), "phone": oa.string(), "email": oa.string(), "verified": oa.boolean(),
    "verified_by": oa.nullable(oa.ident()), "verified_at": oa.nullable(oa.datetime_()),
    "verification_evidence": oa.nullable(oa.string()), "created_by": oa.nullable(oa.ident()),
    "created_at": oa.datetime_(), "logo_sha256": oa.nullable(oa.string()),
    "members": oa.array(oa.obj({"user_id": oa.ident(), "name": oa.string(), "added_at": oa.datetime_()})),
}))
COMPANY_MEMBER = oa.obj({"company_id": oa.ident(), "user_id": oa.ident(), "added_at": oa.datetime_()})

oa.declare("companies_api", "Companies", {
    "create": oa.Operation(
        "Register a production company",
        "A casting director, producer or admin registers a company; its creator becomes its first member. "
        "It is unverified until an admin who did not create it verifies it.",
        {201: COMPANY}, body=COMPANY_FIELDS),
    "index": oa.Operation(
        "Companies the caller belongs to",
        "The companies the caller is a member of (admins: all), paginated.",
        {200: oa.page(COMPANY)}, paginated=True),
    "get": oa.Operation(
        "One company",
        "A company the caller may see (its members, admins); 404 otherwise.",
        {200: COMPANY}),
    "add_member": oa.Operation(
        "Add a member to a company",
        "A member of the company adds another user; only members may create productions under it.",
        {201: COMPANY_MEMBER}, body={"user_id": Field("int", min_value=1)}, errors={409: ("duplicate",)}),
    "upload_logo": oa.Operation(
        "Upload the company's logo",
        "multipart/form-data with a PNG `file` (at most 4 million pixels; stored downscaled to fit 1200 x 600), "
        "shown on the letterhead. SVG is refused (415).",
        {200: COMPANY}, upload=oa.Upload({"file": "image/png"}, required=("file",))),
    "verify": oa.Operation(
        "Verify a company (admin, four eyes)",
        "An admin who did not create the company records the evidence (what was checked, where). The creator "
        "gets 403 four_eyes.",
        {200: COMPANY}, body=VERIFY_FIELDS, errors={403: ("four_eyes",), 409: ("invalid_state",)}),
}, description="Production companies, their members and their verification.")
