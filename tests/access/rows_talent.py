"""Matrix rows for talent pages (the /talent API rows are in rows_core.py)."""
from __future__ import annotations

from tests.access.matrix import Row, expect

ROWS = [
    Row("GET", "talent.me", lambda w: "/me/profile", expect(403, anonymous=302, talent_a=200, talent_b=200)),
    Row("POST", "talent.me", lambda w: "/me/profile", expect(403, anonymous=302, talent_a=422, talent_b=422),
        data=lambda w: {"legal_name": ""}),
    Row("GET", "talent.index", lambda w: "/talent", expect(200, anonymous=302, talent_a=403, talent_b=403)),
    Row("GET", "talent.create", lambda w: "/talent/new", expect(403, anonymous=302, cd_other=200, cd_own=200)),
    Row("POST", "talent.create", lambda w: "/talent/new", expect(403, anonymous=302, cd_other=302, cd_own=409),
        data=lambda w: {"legal_name": "New Talent", "email": f"page{id(w)}@example.com"},
        note="cd_other adds first; cd_own's identical email is then a duplicate"),
    Row("GET", "talent.detail", lambda w: f"/talent/{w.talent_a.id}",
        expect(404, anonymous=302, talent_a=302, producer=200, admin=200, cd_own=200),
        note="talent_a is sent to their own profile page"),
    Row("POST", "talent.confirm_date_of_birth", lambda w: f"/talent/{w.talent_a.id}/confirm-date-of-birth",
        expect(404, anonymous=302, talent_a=403, producer=403, admin=303, cd_own=303), data=lambda w: {},
        note="a casting director who sees the talent, or an admin; nothing is pending (invalid_state: back to the page)"),
    Row("POST", "talent_api.confirm_date_of_birth", lambda w: f"/api/v1/talent/{w.talent_a.id}/confirm-date-of-birth",
        expect(404, anonymous=401, talent_a=403, producer=403, admin=409, cd_own=409), json=lambda w: {},
        note="as the page"),
]
