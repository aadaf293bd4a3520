"""Pages: the public page of an open call and applying from it; a production's open calls."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.calls.models import OpenCall, Submission
from casting.core.blobs import Blob
from casting.core.db import utcnow
from casting.extensions import db
from tests.calls.factories import calls_world, headshot_file, post_multipart, resume_file, upload
from tests.conftest import count, login
from tests.factories import make_role, pdf_bytes, png_bytes


def test_public_page_shows_everything_talent_need(client, app):
    w = calls_world()
    db.session.commit()
    page = client.get(f"/calls/{w.call.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in (w.production.title, w.company.legal_name, "verified by Callback", "Maya", "Father",
                 "marine biologist", "SAG-AFTRA scale", "Send a recent headshot", "No fee, ever",
                 "never ask you for money", "Sign in to apply", w.production.safeguarding_contact, "Closes"):
        assert text in html, text
    assert f"/login?next=/calls/{w.call.id}" in html


def test_draft_and_closed_calls_are_404_publicly_but_previewed_by_members(client, app):
    w = calls_world()
    draft = calls_world(published=False)
    w.call.closes_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    for call in (w.call, draft.call):
        assert client.get(f"/calls/{call.id}").status_code == 404
    login(client, w.talent_user)
    assert client.get(f"/calls/{draft.call.id}").status_code == 404
    login(client, draft.producer)
    preview = client.get(f"/calls/{draft.call.id}")
    assert preview.status_code == 200 and "Preview for the production team" in preview.get_data(as_text=True)
    assert client.get("/calls/424242").status_code == 404
    # The public list shows neither.
    assert w.call.title not in client.get("/calls").get_data(as_text=True)


def apply_data(w, **over):
    data = {"role_id": str(w.role.id), "note": "Trained at LAMDA.", "self_tape_url": "https://vimeo.com/1",
            "headshot": headshot_file(), "resume": resume_file()}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_talent_applies_from_the_public_page(client, app):
    w = calls_world()
    db.session.commit()
    login(client, w.talent_user)
    form = client.get(f"/calls/{w.call.id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'name="headshot"' in form
    resp = post_multipart(client, f"/calls/{w.call.id}/apply", apply_data(w))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    sub = db.session.scalar(sa.select(Submission))
    assert sub.talent_id == w.talent.id and sub.note == "Trained at LAMDA." and sub.resume_sha256
    assert db.session.get(Blob, sub.headshot_sha256).data == png_bytes()
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Your application for Maya is in" in page and "You applied for" in page
    assert db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == "submission.created"
    # Twice for the same role: refused, nothing added.
    again = post_multipart(client, f"/calls/{w.call.id}/apply", apply_data(w))
    assert again.status_code == 303
    assert count(Submission) == 1
    assert "already applied" in client.get(f"/calls/{w.call.id}").get_data(as_text=True)


@pytest.mark.parametrize("over,status,message", [
    ({"headshot": None}, 422, "Add a headshot"),
    ({"headshot": upload(b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "big.png")}, 413, "5 MB"),
    ({"headshot": upload(pdf_bytes(), "me.png")}, 415, "not a PNG, JPEG or WebP"),
    ({"resume": upload(png_bytes(), "cv.pdf")}, 415, "not a PDF"),
    ({"resume": upload(b"%PDF-" + b"0" * (10 * 1024 * 1024), "cv.pdf")}, 413, "10 MB"),
    ({"self_tape_url": "http://vimeo.com/1"}, 422, "https://"),
    ({"self_tape_url": "not a link"}, 422, "https://"),
    ({"role_id": "99999"}, 422, "Not a valid choice"),
    ({"role_id": "abc"}, 422, "could not coerce"),
    ({"note": "x" * 2001}, 422, "2000"),
])
def test_bad_applications_show_the_error_and_change_nothing(client, app, over, status, message):
    w = calls_world()
    db.session.commit()
    blobs = count(Blob)
    login(client, w.talent_user)
    resp = post_multipart(client, f"/calls/{w.call.id}/apply", apply_data(w, **over))
    assert resp.status_code == status
    assert message in resp.get_data(as_text=True)
    assert count(Submission) == 0 and count(Blob) == blobs


def test_who_may_apply(client, app):
    w = calls_world()
    draft = calls_world(published=False)
    db.session.commit()
    resp = post_multipart(client, f"/calls/{w.call.id}/apply", apply_data(w))
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    login(client, w.cd)
    assert post_multipart(client, f"/calls/{w.call.id}/apply", apply_data(w)).status_code == 403
    assert "Only talent accounts apply" in client.get(f"/calls/{w.call.id}").get_data(as_text=True)
    login(client, w.talent_user)
    assert post_multipart(client, f"/calls/{draft.call.id}/apply",
                          apply_data(draft)).status_code == 404
    w.call.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    closed = post_multipart(client, f"/calls/{w.call.id}/apply", apply_data(w))
    assert closed.status_code == 303
    assert count(Submission) == 0


def call_form(w, **over):
    data = {"title": "Open call: The Tide Line", "role_ids": [str(w.role.id)], "closes_at": "2031-03-02T18:00",
            "timezone": "Europe/Paris", "instructions": "Headshot and a short note."}
    data.update(over)
    return data


def test_casting_director_drafts_and_publishes_from_the_production_page(client, app):
    w = calls_world(published=False)
    db.session.commit()
    login(client, w.cd)
    page = client.get(f"/productions/{w.production.id}/calls")
    assert page.status_code == 200 and "Draft an open call" in page.get_data(as_text=True)
    resp = client.post(f"/productions/{w.production.id}/calls", data=call_form(w, role_ids=[str(w.role.id), str(w.role2.id)]))
    assert resp.status_code == 302
    call = db.session.scalar(sa.select(OpenCall).order_by(OpenCall.id.desc()).limit(1))
    assert call.status == "draft" and [r.id for r in call.roles] == [w.role.id, w.role2.id]
    assert call.closes_at.isoformat() == "2031-03-02T17:00:00+00:00"   # 18:00 in Paris is 17:00 UTC
    published = client.post(f"/calls/{call.id}/publish")
    assert published.status_code == 302
    db.session.expire_all()
    assert db.session.get(OpenCall, call.id).status == "published"
    listing = client.get(f"/productions/{w.production.id}/calls").get_data(as_text=True)
    assert "Close now" in listing and "Public page" in listing
    assert client.post(f"/calls/{call.id}/close").status_code == 302
    db.session.expire_all()
    assert not db.session.get(OpenCall, call.id).closes_at > utcnow()


@pytest.mark.parametrize("over,message", [
    ({"title": ""}, "This field is required"),
    ({"role_ids": []}, "Choose at least one role"),
    ({"role_ids": ["424242"]}, "is not a valid choice"),
    ({"closes_at": "2020-01-01T10:00"}, "Must be in the future"),
    ({"closes_at": "tomorrow"}, "Not a valid datetime"),
    ({"timezone": "Mars/Olympus"}, "Not a valid choice"),
])
def test_bad_open_call_forms_are_422(client, app, over, message):
    w = calls_world(published=False)
    db.session.commit()
    before = count(OpenCall)
    login(client, w.cd)
    resp = client.post(f"/productions/{w.production.id}/calls", data=call_form(w, **over))
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert count(OpenCall) == before


def test_intimacy_roles_are_offered_but_refused_with_the_reason(client, app):
    w = calls_world(published=False)
    lena = make_role(w.production, name="Lena", nudity_or_intimacy=True)
    db.session.commit()
    login(client, w.cd)
    assert "Lena — invitation only" in client.get(f"/productions/{w.production.id}/calls").get_data(as_text=True)
    before = count(OpenCall)
    resp = client.post(f"/productions/{w.production.id}/calls", data=call_form(w, role_ids=[str(lena.id)]))
    assert resp.status_code == 422 and "cast by invitation only" in resp.get_data(as_text=True)
    assert count(OpenCall) == before


def test_publishing_for_an_unverified_company_is_refused_with_a_flash(client, app):
    w = calls_world(verified=False, published=False)
    db.session.commit()
    login(client, w.cd)
    resp = client.post(f"/calls/{w.call.id}/publish", headers={"Referer": f"/productions/{w.production.id}/calls"})
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "must verify the production company" in page
    db.session.expire_all()
    assert db.session.get(OpenCall, w.call.id).status == "draft"


def test_only_casting_director_members_manage_calls(client, app):
    w = calls_world(published=False)
    db.session.commit()
    login(client, w.producer)
    page = client.get(f"/productions/{w.production.id}/calls")
    assert page.status_code == 200 and "Draft an open call" not in page.get_data(as_text=True)
    assert client.post(f"/productions/{w.production.id}/calls", data=call_form(w)).status_code == 403
    assert client.post(f"/calls/{w.call.id}/publish").status_code == 403
    login(client, w.other_cd)
    assert client.get(f"/productions/{w.production.id}/calls").status_code == 404
    assert client.post(f"/calls/{w.call.id}/publish").status_code == 404
    db.session.expire_all()
    assert count(OpenCall) == 1 and db.session.get(OpenCall, w.call.id).status == "draft"
