"""Matrix rows for talent pages (the /talent API rows are in rows_core.py)."""
from __future__ import annotations

import io

from casting.core.uploads import Upload
from casting.talent import profile
from tests.access.matrix import Row, expect
from tests.factories import pdf_bytes, png_bytes


def extend(world) -> None:
    """talent_a's profile has a headshot and a résumé (talent_a applied to the world's production)."""
    user = world.users["talent_a"]
    world.extra["headshot"] = profile.add_headshot(world.talent_a, Upload(png_bytes(), "image/png", "a.png"), actor=user)
    profile.set_resume(world.talent_a, Upload(pdf_bytes("Talia Able, CV"), "application/pdf", "cv.pdf"), actor=user)


def _png(w):
    return {"file": (io.BytesIO(png_bytes()), "me.png")}


def _pdf(w):
    return {"file": (io.BytesIO(pdf_bytes("CV")), "cv.pdf")}


# Who sees talent_a's profile (and so its headshots): the talent, admins, and the production they applied to.
SEES_A_PAGE = expect(404, anonymous=302, talent_a=200, producer=200, admin=200, cd_own=200)
SEES_A_API = expect(404, anonymous=401, talent_a=200, producer=200, admin=200, cd_own=200)

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
    # The reusable profile (issue 11 item 3): the talent's own writes; staff accounts have no talent profile.
    Row("POST", "talent.update_details", lambda w: "/me/profile/details",
        expect(403, anonymous=302, talent_a=302, talent_b=302), data=lambda w: {"location": "Bristol"}),
    Row("POST", "talent.add_headshot", lambda w: "/me/profile/headshots",
        expect(403, anonymous=302, talent_a=302, talent_b=302), data=_png),
    Row("POST", "talent.primary_headshot", lambda w: f"/me/profile/headshots/{w.headshot.id}/primary",
        expect(403, anonymous=302, talent_a=302, talent_b=404), data=lambda w: {},
        note="another talent's headshot is not found"),
    Row("POST", "talent.delete_headshot", lambda w: f"/me/profile/headshots/{w.headshot.id}/delete",
        expect(403, anonymous=302, talent_a=302, talent_b=404), data=lambda w: {}),
    Row("POST", "talent.upload_resume", lambda w: "/me/profile/resume",
        expect(403, anonymous=302, talent_a=302, talent_b=302), data=_pdf),
    Row("POST", "talent.delete_resume", lambda w: "/me/profile/resume/delete",
        expect(403, anonymous=302, talent_a=302, talent_b=303), data=lambda w: {},
        note="talent_b has no résumé (invalid_state: back to the page)"),
    Row("GET", "talent.headshot", lambda w: f"/talent/{w.talent_a.id}/headshots/{w.headshot.id}", SEES_A_PAGE),
    Row("GET", "talent.resume", lambda w: f"/talent/{w.talent_a.id}/resume", SEES_A_PAGE,
        note="talent_a applied to the production of cd_own and the producer"),
    Row("GET", "talent_api.search_talent", lambda w: "/api/v1/talent?skill=&sort=name",
        expect(200, anonymous=401, talent_a=403, talent_b=403)),
    Row("GET", "talent_api.headshot", lambda w: f"/api/v1/talent/{w.talent_a.id}/headshots/{w.headshot.id}",
        SEES_A_API),
    Row("GET", "talent_api.resume", lambda w: f"/api/v1/talent/{w.talent_a.id}/resume", SEES_A_API),
    Row("PATCH", "talent_api.update_me", lambda w: "/api/v1/me/talent",
        expect(403, anonymous=401, talent_a=200, talent_b=200), json=lambda w: {"location": "Bristol"}),
    Row("POST", "talent_api.add_headshot", lambda w: "/api/v1/me/talent/headshots",
        expect(403, anonymous=401, talent_a=201, talent_b=201), data=_png),
    Row("POST", "talent_api.primary_headshot", lambda w: f"/api/v1/me/talent/headshots/{w.headshot.id}/primary",
        expect(403, anonymous=401, talent_a=200, talent_b=404), json=lambda w: {}),
    Row("DELETE", "talent_api.delete_headshot", lambda w: f"/api/v1/me/talent/headshots/{w.headshot.id}",
        expect(403, anonymous=401, talent_a=204, talent_b=404)),
    Row("POST", "talent_api.upload_resume", lambda w: "/api/v1/me/talent/resume",
        expect(403, anonymous=401, talent_a=201, talent_b=201), data=_pdf),
    Row("DELETE", "talent_api.delete_resume", lambda w: "/api/v1/me/talent/resume",
        expect(403, anonymous=401, talent_a=204, talent_b=409), note="talent_b has no résumé"),
]
