"""The talent's reusable profile (issue 11 item 3): details, headshots, résumé, privacy, and applications
that take the profile's media."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from casting.audit.models import AuditEntry
from casting.calls.models import Submission
from casting.core.blobs import load_blob
from casting.core.uploads import Upload
from casting.extensions import db
from casting.talent import access, profile
from casting.talent.models import TalentHeadshot, TalentProfile, TalentSkill, TalentUnion
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.calls.factories import calls_world, post_multipart
from tests.conftest import auth, count, login
from tests.factories import make_shortlist_entry, make_submission, make_talent, make_user, pdf_bytes, png_bytes


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def jpeg_bytes(size=(30, 40)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buf, "JPEG")
    return buf.getvalue()


def huge_png_header(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG that declares ``width`` x ``height`` pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + \
        chunk(b"IEND", b"")


def png_upload() -> Upload:
    return Upload(png_bytes(), "image/png", "me.png")


# ---- Services ----------------------------------------------------------------------------------------------

def test_details_are_cleaned_normalised_and_audited_without_their_values(app):
    w = calls_world()
    t = w.talent
    profile.update_profile_details(t, actor=w.talent_user, location="  Bristol ", pronouns="she/her",
                                   playing_age_min=20, playing_age_max=30, skills=["Stage combat", "stage  COMBAT",
                                                                                    " Guitar "],
                                   unions="Equity, ", reel_url="https://vimeo.com/123", bio="Trained at Bristol Old Vic.",
                                   access_needs="Step-free access, please.",
                                   self_tape_urls=["https://youtu.be/x", "https://youtu.be/x"])
    db.session.commit()
    assert t.location == "Bristol" and t.location_key == "bristol"
    assert [s.label for s in t.skills] == ["Guitar", "Stage combat"]
    assert {s.key for s in t.skills} == {"guitar", "stage combat"}
    assert [u.key for u in t.unions] == ["equity"] and t.self_tape_urls == ["https://youtu.be/x"]
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "talent.profile_updated")).one()
    assert "Step-free" not in entry.data and "access_needs" in entry.data
    # Keeping a skill while dropping another changes rows in place.
    profile.update_profile_details(t, actor=w.talent_user, skills=["guitar", "Fencing"])
    db.session.commit()
    assert sorted(db.session.scalars(sa.select(TalentSkill.key).where(TalentSkill.talent_id == t.id))) == \
        ["fencing", "guitar"]


@pytest.mark.parametrize("fields, bad", [
    ({"reel_url": "javascript:alert(1)"}, "reel_url"),
    ({"reel_url": "ftp://example.com/reel"}, "reel_url"),
    ({"reel_url": "https://"}, "reel_url"),
    ({"self_tape_urls": ["https://ok.example/x", "data:text/html,hi"]}, "self_tape_urls"),
    ({"playing_age_min": 40, "playing_age_max": 20}, "playing_age_max"),
    ({"playing_age_min": 200}, "playing_age_min"),
    ({"playing_age_min": True}, "playing_age_min"),
    ({"skills": ["x" * 61]}, "skills"),
    ({"skills": [f"skill {i}" for i in range(31)]}, "skills"),
    ({"unions": [1, 2]}, "unions"),
    ({"bio": "x" * 2001}, "bio"),
    ({"resume_visibility": "everyone"}, "resume_visibility"),
])
def test_bad_details_are_refused_and_change_nothing(app, fields, bad):
    from casting.core.errors import ValidationError

    w = calls_world()
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        profile.update_profile_details(w.talent, actor=w.talent_user, **fields)
    assert bad in exc.value.fields
    db.session.rollback()
    assert count(TalentSkill) == 0 and w.talent.reel_url is None and w.talent.playing_age_min is None


def test_only_the_talent_edits_their_profile(app):
    from casting.core.errors import NotFound

    w = calls_world()
    with pytest.raises(NotFound):
        profile.update_profile_details(w.talent, actor=w.talent2_user, location="Leeds")
    with pytest.raises(NotFound):
        profile.add_headshot(w.talent, png_upload(), actor=w.cd)


def test_headshots_one_primary_choose_and_delete(app):
    w = calls_world()
    t, me = w.talent, w.talent_user
    first = profile.add_headshot(t, png_upload(), actor=me)
    second = profile.add_headshot(t, Upload(jpeg_bytes(), "image/jpeg", "b.jpg"), actor=me)
    assert first.is_primary and not second.is_primary
    profile.set_primary_headshot(t, second.id, actor=me)
    assert [h.id for h in t.headshots if h.is_primary] == [second.id]
    profile.delete_headshot(t, second.id, actor=me)
    db.session.commit()
    assert [(h.id, h.is_primary) for h in t.headshots] == [(first.id, True)]
    assert actions()[-4:] == ["talent.headshot_added", "talent.headshot_added", "talent.headshot_primary",
                              "talent.headshot_deleted"]


def test_a_large_headshot_gets_a_small_copy_for_the_grid(app):
    from PIL import Image

    w = calls_world()
    shot = profile.add_headshot(w.talent, Upload(jpeg_bytes((3000, 4000)), "image/jpeg", "big.jpg"), actor=w.talent_user)
    with Image.open(io.BytesIO(load_blob(shot.thumb_sha256).data)) as img:
        assert img.size == (300, 400)
    assert load_blob(shot.sha256).size > load_blob(shot.thumb_sha256).size


def test_headshots_are_jpeg_or_png_and_at_most_ten(app):
    from casting.core.errors import InvalidState, UnsupportedMediaType

    w = calls_world()
    with pytest.raises(UnsupportedMediaType):
        profile.add_headshot(w.talent, Upload(b"RIFF....WEBP", "image/webp", "a.webp"), actor=w.talent_user)
    for _ in range(profile.MAX_HEADSHOTS):
        profile.add_headshot(w.talent, png_upload(), actor=w.talent_user)
    with pytest.raises(InvalidState):
        profile.add_headshot(w.talent, png_upload(), actor=w.talent_user)


# ---- Applications take the profile's media -----------------------------------------------------------------

def test_an_application_takes_the_primary_headshot_and_resume_from_the_profile(client, app):
    w = calls_world()
    me = w.talent_user
    profile.add_headshot(w.talent, png_upload(), actor=me)
    chosen = profile.add_headshot(w.talent, Upload(jpeg_bytes(), "image/jpeg", "b.jpg"), actor=me)
    profile.set_primary_headshot(w.talent, chosen.id, actor=me)
    profile.set_resume(w.talent, Upload(pdf_bytes("Talia Able CV"), "application/pdf", "cv.pdf"), actor=me)
    db.session.commit()
    resp = client.post(f"/api/v1/open-calls/{w.call.id}/submissions", headers=auth(me),
                       json={"role_id": w.role.id, "note": "Available in March",
                             "self_tape_url": "https://vimeo.com/555"})
    assert resp.status_code == 201, resp.get_json()
    sub = db.session.get(Submission, resp.get_json()["id"])
    assert sub.headshot_sha256 == chosen.sha256 and sub.note == "Available in March"
    assert sub.self_tape_url == "https://vimeo.com/555"
    assert "Talia Able CV" in PdfReader(io.BytesIO(load_blob(sub.resume_sha256).data)).pages[0].extract_text()
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "submission.created")).one()
    assert '"from_profile":["headshot","resume"]' in entry.data
    # The submission keeps its copy when the profile's headshot goes.
    profile.delete_headshot(w.talent, chosen.id, actor=me)
    db.session.commit()
    assert client.get(f"/api/v1/submissions/{sub.id}/headshot", headers=auth(w.cd)).data == load_blob(chosen.sha256).data


def test_a_file_sent_with_the_application_wins_over_the_profile(client, app):
    w = calls_world()
    profile.add_headshot(w.talent, png_upload(), actor=w.talent_user)
    db.session.commit()
    own = jpeg_bytes((20, 20))
    resp = post_multipart(client, f"/api/v1/open-calls/{w.call.id}/submissions", headers=auth(w.talent_user),
                          data={"role_id": str(w.role.id), "headshot": (io.BytesIO(own), "mine.jpg")})
    assert resp.status_code == 201
    assert load_blob(db.session.get(Submission, resp.get_json()["id"]).headshot_sha256).data == own


def test_the_web_form_needs_a_headshot_only_without_a_profile_headshot(client, app):
    w = calls_world()
    db.session.commit()
    login(client, w.talent_user)
    page = client.get(f"/calls/{w.call.id}").get_data(as_text=True)
    assert "Another headshot" not in page
    refused = post_multipart(client, f"/calls/{w.call.id}/apply", data={"role_id": str(w.role.id)})
    assert refused.status_code == 422 and "Add a headshot" in refused.get_data(as_text=True)
    assert count(Submission) == 0
    # The upload-per-application path still works for talent without a profile headshot.
    sent = post_multipart(client, f"/calls/{w.call.id}/apply",
                          data={"role_id": str(w.role.id), "headshot": (io.BytesIO(png_bytes()), "h.png")})
    assert sent.status_code == 302 and count(Submission) == 1
    profile.add_headshot(db.session.merge(w.talent), png_upload(), actor=w.talent_user)
    db.session.commit()
    page = client.get(f"/calls/{w.call.id}").get_data(as_text=True)
    assert "Another headshot (optional)" in page and "primary headshot is sent" in page
    ok = post_multipart(client, f"/calls/{w.call.id}/apply", data={"role_id": str(w.role2.id), "note": "Hi"})
    assert ok.status_code == 302
    sub = db.session.scalars(sa.select(Submission).where(Submission.role_id == w.role2.id)).one()
    assert sub.headshot_sha256 == w.talent.headshots[0].sha256


# ---- Privacy: who reads what (talent/access.py) --------------------------------------------------------------

@pytest.fixture
def privacy_world(app):
    """talent applied to production A (cd, producer); was invited by production B (cd_b); is shortlisted only
    in production C (cd_c); was added by the office of cd_added, with no production link."""
    w = calls_world()
    me = w.talent_user
    t = w.talent
    profile.update_profile_details(t, actor=me, reel_url="https://vimeo.com/1", access_needs="Step-free access",
                                   self_tape_urls=["https://vimeo.com/2"])
    profile.set_resume(t, Upload(pdf_bytes("CV"), "application/pdf", "cv.pdf"), actor=me)
    make_submission(w.call, w.role, t)
    session = make_ready_session(scheduled=True)
    make_invitation(session, talent=t)
    w.cd_b = session.lead_casting_director
    w.cd_c = make_user("casting_director", name="Cleo Shortlister")
    from tests.factories import make_production, make_role
    make_shortlist_entry(make_role(make_production(w.cd_c), name="Other"), t, by=w.cd_c)
    w.cd_added = make_user("casting_director", name="Ada Adder")
    t.created_by_id = w.cd_added.id
    db.session.commit()
    return w


EVERYTHING = {"resume", "reel", "access_needs"}
# viewer -> (what they read with the default "applied" visibility, with "linked")
PRIVACY = {
    "talent_user": (EVERYTHING, EVERYTHING),
    "cd": ({"resume", "reel"}, {"resume", "reel"}),          # applied to their production
    "producer": ({"resume", "reel"}, {"resume", "reel"}),
    "cd_b": (EVERYTHING, EVERYTHING),                         # invited by their production
    "cd_c": (set(), {"resume", "reel"}),                      # shortlisted only
    "cd_added": (set(), {"resume", "reel"}),                  # added by their office
    "admin": ({"resume", "reel"}, {"resume", "reel"}),
}


@pytest.mark.parametrize("linked", [False, True], ids=["applied", "linked"])
@pytest.mark.parametrize("viewer", sorted(PRIVACY))
def test_privacy_matrix(client, privacy_world, viewer, linked):
    w = privacy_world
    if linked:
        profile.update_profile_details(w.talent, actor=w.talent_user, resume_visibility="linked",
                                       reel_visibility="linked")
        db.session.commit()
    user = getattr(w, viewer)
    expected = PRIVACY[viewer][1 if linked else 0]
    assert access.private_parts(w.talent, user) == expected
    got = client.get(f"/api/v1/talent/{w.talent.id}", headers=auth(user)).get_json()
    assert set(got["hidden"]) == EVERYTHING - expected
    assert (got["access_needs"] == "Step-free access") == ("access_needs" in expected)
    assert (got["reel_url"] == "https://vimeo.com/1") == ("reel" in expected)
    assert (got["self_tape_urls"] == ["https://vimeo.com/2"]) == ("reel" in expected)
    assert (got["resume_url"] is not None) == ("resume" in expected)
    pdf = client.get(f"/api/v1/talent/{w.talent.id}/resume", headers=auth(user))
    assert pdf.status_code == (200 if "resume" in expected else 404)
    if viewer != "talent_user":  # the talent's own page is /me/profile
        login(client, user)
        page = client.get(f"/talent/{w.talent.id}").get_data(as_text=True)
        assert ("Step-free access" in page) == ("access_needs" in expected)
        assert ("https://vimeo.com/1" in page) == ("reel" in expected)
        assert (client.get(f"/talent/{w.talent.id}/resume").status_code == 200) == ("resume" in expected)


def test_outsiders_see_nothing(client, privacy_world):
    w = privacy_world
    for user in (w.other_cd, w.talent2_user):
        assert client.get(f"/api/v1/talent/{w.talent.id}", headers=auth(user)).status_code == 404
        assert client.get(f"/api/v1/talent/{w.talent.id}/resume", headers=auth(user)).status_code == 404


# ---- API ----------------------------------------------------------------------------------------------------

def test_patch_me_talent_and_get_it_back(client, app):
    w = calls_world()
    db.session.commit()
    me = auth(w.talent_user)
    resp = client.patch("/api/v1/me/talent", headers=me, json={
        "professional_name": "Talia A", "location": "Bristol", "unions": ["Equity"], "skills": ["Fencing", "Welsh"],
        "playing_age_min": 18, "playing_age_max": 25, "reel_url": "https://vimeo.com/9", "bio": "Hello",
        "pronouns": "she/her", "access_needs": "A chair"})
    assert resp.status_code == 200, resp.get_json()
    got = client.get("/api/v1/me/talent", headers=me).get_json()
    assert got["professional_name"] == "Talia A" and got["location"] == "Bristol" and got["unions"] == ["Equity"]
    assert got["skills"] == ["Fencing", "Welsh"] and got["playing_age_min"] == 18 and got["access_needs"] == "A chair"
    assert got["hidden"] == []
    # Only what is given changes; null clears.
    client.patch("/api/v1/me/talent", headers=me, json={"bio": None})
    got = client.get("/api/v1/me/talent", headers=me).get_json()
    assert got["bio"] is None and got["location"] == "Bristol"


@pytest.mark.parametrize("body, field", [
    ({"reel_url": "javascript:alert(1)//"}, "reel_url"),
    ({"skills": "Fencing"}, "skills"),
    ({"skills": [1]}, "skills"),
    ({"playing_age_min": "20"}, "playing_age_min"),
    ({"playing_age_min": 30, "playing_age_max": 20}, "playing_age_max"),
    ({"location": "x" * 201}, "location"),
    ({"reel_visibility": "public"}, "reel_visibility"),
])
def test_patch_me_talent_refuses_bad_fields(client, app, body, field):
    w = calls_world()
    db.session.commit()
    resp = client.patch("/api/v1/me/talent", headers=auth(w.talent_user), json=body)
    assert resp.status_code == 422
    assert field in resp.get_json()["error"]["details"]["fields"]
    assert "talent.profile_updated" not in actions()


def test_headshot_and_resume_uploads_over_the_api(client, app):
    w = calls_world()
    db.session.commit()
    me = auth(w.talent_user)
    first = post_multipart(client, "/api/v1/me/talent/headshots", headers=me,
                           data={"file": (io.BytesIO(png_bytes()), "a.png")})
    second = post_multipart(client, "/api/v1/me/talent/headshots", headers=me,
                            data={"file": (io.BytesIO(jpeg_bytes()), "b.jpg")})
    assert first.status_code == second.status_code == 201
    assert first.get_json()["primary"] is True and second.get_json()["primary"] is False
    got = client.post(f"/api/v1/me/talent/headshots/{second.get_json()['id']}/primary", headers=me).get_json()
    assert [h["primary"] for h in got["headshots"]] == [True, False] and got["headshots"][0]["id"] == second.get_json()["id"]
    image = client.get(got["headshots"][0]["url"], headers=auth(w.talent_user))
    assert image.status_code == 200 and image.mimetype == "image/jpeg" and image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.data == jpeg_bytes()
    # The small copy the grid shows: a JPEG within 320 x 400.
    small = client.get(got["headshots"][1]["url"] + "?size=small", headers=auth(w.talent_user))
    from PIL import Image
    with Image.open(io.BytesIO(small.data)) as img:
        assert small.mimetype == "image/jpeg" and img.format == "JPEG" and img.size == (40, 50)
    assert client.delete(f"/api/v1/me/talent/headshots/{first.get_json()['id']}", headers=me).status_code == 204
    assert count(TalentHeadshot) == 1
    resume = post_multipart(client, "/api/v1/me/talent/resume", headers=me,
                            data={"file": (io.BytesIO(pdf_bytes("My credits")), "cv.pdf")})
    assert resume.status_code == 201 and resume.get_json()["filename"] == "cv.pdf"
    pdf = client.get(resume.get_json()["resume_url"], headers=me)
    assert "My credits" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert client.delete("/api/v1/me/talent/resume", headers=me).status_code == 204
    assert client.delete("/api/v1/me/talent/resume", headers=me).status_code == 409


@pytest.mark.parametrize("path, data, status, code", [
    ("headshots", lambda: pdf_bytes(), 415, "unsupported_media_type"),
    ("headshots", lambda: b"GIF89a" + b"\x00" * 100, 415, "unsupported_media_type"),
    ("headshots", lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415, "unsupported_media_type"),
    ("headshots", lambda: b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, 415, "unsupported_media_type"),
    ("headshots", lambda: huge_png_header(), 413, "too_large"),
    ("headshots", lambda: b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 10), 413, "too_large"),
    ("resume", lambda: png_bytes(), 415, "unsupported_media_type"),
    ("resume", lambda: b"%PDF-1.7 but nothing else", 415, "unsupported_media_type"),
    ("resume", lambda: b"%PDF-" + b"0" * (10 * 1024 * 1024 + 10), 413, "too_large"),
])
def test_hostile_uploads_are_refused_and_change_nothing(client, app, path, data, status, code):
    w = calls_world()
    db.session.commit()
    resp = post_multipart(client, f"/api/v1/me/talent/{path}", headers=auth(w.talent_user),
                          data={"file": (io.BytesIO(data()), "innocent.png" if path == "headshots" else "cv.pdf")})
    assert resp.status_code == status and resp.get_json()["error"]["code"] == code
    db.session.expire_all()
    assert count(TalentHeadshot) == 0 and db.session.get(TalentProfile, w.talent.id).resume_sha256 is None


def test_a_missing_file_is_a_422(client, app):
    w = calls_world()
    db.session.commit()
    resp = post_multipart(client, "/api/v1/me/talent/headshots", headers=auth(w.talent_user), data={})
    assert resp.status_code == 422 and "file" in resp.get_json()["error"]["details"]["fields"]


# ---- Pages --------------------------------------------------------------------------------------------------

def test_the_profile_page_edits_details_headshots_and_resume(client, app):
    w = calls_world()
    db.session.commit()
    login(client, w.talent_user)
    page = client.get("/me/profile").get_data(as_text=True)
    for label in ("Headshots", "Résumé", "Casting profile", "Access needs (optional, private)",
                  'for="location"', 'for="playing_age_min"'):
        assert label in page
    resp = client.post("/me/profile/details", data={
        "location": "Cardiff", "pronouns": "they/them", "playing_age_min": "25", "playing_age_max": "35",
        "skills": "Welsh, stage combat", "unions": "Equity", "reel_url": "https://vimeo.com/7",
        "self_tape_urls": "https://vimeo.com/8\nhttps://vimeo.com/9", "bio": "Hi", "access_needs": "",
        "resume_visibility": "linked", "reel_visibility": "applied"})
    assert resp.status_code == 302
    t = db.session.get(TalentProfile, w.talent.id)
    assert t.location_key == "cardiff" and [s.label for s in t.skills] == ["stage combat", "Welsh"]
    assert t.self_tape_urls == ["https://vimeo.com/8", "https://vimeo.com/9"] and t.resume_visibility == "linked"
    bad = client.post("/me/profile/details", data={"reel_url": "javascript:alert(1)", "playing_age_min": "40",
                                                   "playing_age_max": "20", "resume_visibility": "applied",
                                                   "reel_visibility": "applied"})
    assert bad.status_code == 422 and 'role="alert"' in bad.get_data(as_text=True)
    assert db.session.get(TalentProfile, w.talent.id).reel_url == "https://vimeo.com/7"
    up = post_multipart(client, "/me/profile/headshots", data={"file": (io.BytesIO(png_bytes()), "a.png")})
    up2 = post_multipart(client, "/me/profile/headshots", data={"file": (io.BytesIO(jpeg_bytes()), "b.jpg")})
    assert up.status_code == up2.status_code == 302
    shots = db.session.scalars(sa.select(TalentHeadshot).order_by(TalentHeadshot.id)).all()
    page = client.get("/me/profile").get_data(as_text=True)
    assert "Make primary" in page and f"/talent/{t.id}/headshots/{shots[0].id}" in page
    assert client.post(f"/me/profile/headshots/{shots[1].id}/primary").status_code == 302
    db.session.expire_all()
    assert db.session.get(TalentHeadshot, shots[1].id).is_primary
    assert client.post(f"/me/profile/headshots/{shots[0].id}/delete").status_code == 302
    assert count(TalentHeadshot) == 1
    bomb = post_multipart(client, "/me/profile/headshots", data={"file": (io.BytesIO(huge_png_header()), "b.png")})
    assert bomb.status_code == 413 and "million pixels" in bomb.get_data(as_text=True)
    wrong = post_multipart(client, "/me/profile/resume", data={"file": (io.BytesIO(png_bytes()), "cv.pdf")})
    assert wrong.status_code == 415 and "not a PDF" in wrong.get_data(as_text=True)
    ok = post_multipart(client, "/me/profile/resume", data={"file": (io.BytesIO(pdf_bytes("CV")), "cv.pdf")})
    assert ok.status_code == 302 and db.session.get(TalentProfile, w.talent.id).resume_filename == "cv.pdf"
    assert client.post("/me/profile/resume/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(TalentProfile, w.talent.id).resume_sha256 is None


def test_a_talent_cannot_touch_another_talents_headshot(client, app):
    w = calls_world()
    shot = profile.add_headshot(w.talent, png_upload(), actor=w.talent_user)
    db.session.commit()
    login(client, w.talent2_user)
    assert client.post(f"/me/profile/headshots/{shot.id}/delete").status_code == 404
    assert client.post(f"/me/profile/headshots/{shot.id}/primary").status_code == 404
    assert count(TalentHeadshot) == 1
    assert client.get(f"/talent/{w.talent.id}/headshots/{shot.id}").status_code == 404


def test_staff_cannot_read_a_headshot_through_another_talents_id(client, app):
    w = calls_world()
    shot = profile.add_headshot(w.talent, png_upload(), actor=w.talent_user)
    make_submission(w.call, w.role, w.talent2)
    db.session.commit()
    # cd sees talent2 (applied) but the headshot is talent's, who did not apply.
    assert client.get(f"/api/v1/talent/{w.talent2.id}/headshots/{shot.id}", headers=auth(w.cd)).status_code == 404


def test_a_new_talent_profile_is_created_by_make_talent(app):
    # Guard for the fixtures above: a profile starts with the default privacy ("applied") and nothing else.
    t = make_talent(user=make_user("talent"))
    db.session.commit()
    assert t.resume_visibility == t.reel_visibility == "applied" and t.headshots == [] and t.skills == []
    assert count(TalentUnion) == 0


@pytest.mark.parametrize("path", ["/api/v1/talent/{t}/headshots/99999999999999999999",
                                  "/api/v1/me/talent/headshots/99999999999999999999/primary"])
def test_ids_out_of_range_are_404(client, app, path):
    w = calls_world()
    db.session.commit()
    user = w.talent_user
    method = client.post if path.endswith("primary") else client.get
    assert method(path.format(t=w.talent.id), headers=auth(user)).status_code == 404
