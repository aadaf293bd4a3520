"""Matrix rows for company pages and the companies API."""
from __future__ import annotations

import io

from casting.core.blobs import store_blob
from tests.access.matrix import Row, expect
from tests.factories import make_company, png_bytes

# Staff and admins have a companies page; talent do not.
STAFF_PAGE = expect(200, anonymous=302, talent_a=403, talent_b=403)
# world.company: cd_own is its member; the producer sees it through world.production.
SEEN_BY_OWN = dict(producer=200, admin=200, cd_own=200)
MEMBER_ONLY_PAGE = expect(404, anonymous=302, producer=403, admin=403)
MEMBER_ONLY_API = expect(404, anonymous=401, producer=403, admin=403)

BODY = {"legal_name": "Matrix Films Ltd", "registration_number": "01234567", "address": "1 Matrix Row, Leeds LS1 1AA",
        "email": "office@matrix.example"}
EVIDENCE = "Companies House entry checked, active, address matches."


def extend(world) -> None:
    from casting.extensions import db

    world.company.logo_sha256 = store_blob(png_bytes(), "image/png").sha256
    # Registered by cd_other and not yet verified: only another admin may verify it.
    world.extra["pending_company"] = make_company(world.users["cd_other"])
    db.session.flush()


ROWS = [
    Row("GET", "companies.index", lambda w: "/companies", STAFF_PAGE),
    Row("GET", "companies.new", lambda w: "/companies/new", STAFF_PAGE),
    Row("POST", "companies.new", lambda w: "/companies/new", expect(422, anonymous=302, talent_a=403, talent_b=403),
        data=lambda w: {"legal_name": ""}),
    Row("GET", "companies.detail", lambda w: f"/companies/{w.company.id}", expect(404, anonymous=302, **SEEN_BY_OWN)),
    Row("POST", "companies.add_member", lambda w: f"/companies/{w.company.id}/members",
        {**MEMBER_ONLY_PAGE, "cd_own": 422}, data=lambda w: {"member-email": ""}),
    Row("POST", "companies.upload_logo", lambda w: f"/companies/{w.company.id}/logo",
        {**MEMBER_ONLY_PAGE, "cd_own": 422}, data=lambda w: {}),
    Row("GET", "companies.logo", lambda w: f"/companies/{w.company.id}/logo",
        expect(404, anonymous=302, **SEEN_BY_OWN)),
    Row("POST", "companies.verify", lambda w: f"/companies/{w.pending_company.id}/verify",
        expect(404, anonymous=302, cd_other=403, admin=302), data=lambda w: {"verify-evidence": EVIDENCE},
        note="cd_other registered it: a member but no admin; the admin verifies and is redirected"),
    Row("POST", "companies_api.create", lambda w: "/api/v1/companies",
        expect(201, anonymous=401, talent_a=403, talent_b=403), json=lambda w: BODY),
    Row("GET", "companies_api.index", lambda w: "/api/v1/companies",
        expect(200, anonymous=401, talent_a=403, talent_b=403)),
    Row("GET", "companies_api.get", lambda w: f"/api/v1/companies/{w.company.id}",
        expect(404, anonymous=401, **SEEN_BY_OWN)),
    Row("POST", "companies_api.add_member", lambda w: f"/api/v1/companies/{w.company.id}/members",
        {**MEMBER_ONLY_API, "cd_own": 201}, json=lambda w: {"user_id": w.users["cd_other"].id}),
    Row("POST", "companies_api.upload_logo", lambda w: f"/api/v1/companies/{w.company.id}/logo",
        {**MEMBER_ONLY_API, "cd_own": 200}, data=lambda w: {"file": (io.BytesIO(png_bytes()), "logo.png")}),
    Row("POST", "companies_api.verify", lambda w: f"/api/v1/companies/{w.pending_company.id}/verify",
        expect(404, anonymous=401, cd_other=403, admin=200), json=lambda w: {"evidence": EVIDENCE}),
]
