"""The talent API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.core import openapi as oa
from casting.talent.api import PROFILE_FIELDS

TALENT = oa.schema("Talent", oa.obj({
    "id": oa.ident(), "user_id": oa.nullable(oa.ident()), "legal_name": oa.string(),
    "professional_name": oa.nullable(oa.string()), "email": oa.nullable(oa.string()),
    "date_of_birth": oa.nullable(oa.date_()), "guardian_name": oa.nullable(oa.string()),
    "guardian_email": oa.nullable(oa.string()), "agent": oa.nullable(oa.string()), "claimed": oa.boolean(),
    "created_at": oa.datetime_(), "guardian_phone": oa.nullable(oa.string()),
    "date_of_birth_pending": oa.boolean(), "pending_date_of_birth": oa.nullable(oa.date_()),
    "pending_date_of_birth_at": oa.nullable(oa.datetime_()), "locked_fields": oa.array(oa.string()),
}))

oa.declare("talent_api", "Talent", {
    "create": oa.Operation(
        "Add a talent profile (casting director)",
        "A casting office adds talent who may not have an account yet; they are emailed a link to claim it. "
        "A minor needs a guardian's name and email.",
        {201: TALENT}, body=PROFILE_FIELDS, errors={409: ("duplicate", "invalid_state")}),
    "get": oa.Operation(
        "One talent profile",
        "A profile the caller may see: their own, one their productions may see, or any for admins.",
        {200: TALENT}),
    "me": oa.Operation(
        "The calling talent's own profile",
        "The profile of the calling talent account; 404 for an account without one.",
        {200: TALENT}, not_found=True),
    "confirm_date_of_birth": oa.Operation(
        "Confirm a talent's changed date of birth",
        "A casting office (or an admin) confirms a date of birth the talent changed that would make a minor an "
        "adult; until then the safeguarding fields stay.",
        {200: TALENT}, errors={409: ("invalid_state",)}),
}, description="Talent profiles.")
