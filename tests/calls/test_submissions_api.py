"""API: talent apply to open calls; members list submissions; files behind an access check."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from casting.audit.models import AuditEntry
from casting.calls.models import Submission
from casting.core.blobs import Blob
from casting.core.db import utcnow
from casting.extensions import db
from tests.calls.factories import calls_world, headshot_file, post_multipart, resume_file, upload
from tests.conftest import auth, count
from tests.factories import make_submission, pdf_bytes, png_bytes


def last_action() -> str:
    db.session.expire_all()
    return db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))


def url(w) -> str:
    return f"/api/v1/open-calls/{w.call.id}/submissions"


def test_talent_applies_with_json_then_not_twice(client, app):
    w = calls_world()
    db.session.commit()
    headers = auth(w.talent_user)
    resp = client.post(url(w), json={"role_id": w.role.id, "note": "Trained at RADA."}, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["talent_id"] == w.talent.id and got["role_id"] == w.role.id and got["headshot_url"] is None
    assert last_action() == "submission.created"
    again = client.post(url(w), json={"role_id": w.role.id}, headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "duplicate"
    assert count(Submission) == 1
    # Another role of the same call is a separate submission.
    assert client.post(url(w), json={"role_id": w.role2.id}, headers=headers).status_code == 201


def test_multipart_with_headshot_and_resume(client, app):
    w = calls_world()
    db.session.commit()
    resp = client.post(url(w), headers=auth(w.talent_user), content_type="multipart/form-data", data={
        "role_id": str(w.role.id), "note": "Available from March.", "self_tape_url": "https://vimeo.com/12345",
        "headshot": headshot_file(), "resume": resume_file()})
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["self_tape_url"] == "https://vimeo.com/12345"
    image = client.get(got["headshot_url"], headers=auth(w.producer))
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data == png_bytes() and image.headers["X-Content-Type-Options"] == "nosniff"
    pdf = client.get(got["resume_url"], headers=auth(w.cd))
    assert pdf.mimetype == "application/pdf"
    assert "Talia Able" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    # The talent sees their own files; an outsider cannot probe them.
    assert client.get(got["headshot_url"], headers=auth(w.talent_user)).status_code == 200
    assert client.get(got["headshot_url"], headers=auth(w.talent2_user)).status_code == 404
    assert client.get(got["resume_url"], headers=auth(w.other_cd)).status_code == 404


@pytest.mark.parametrize("files,status,code", [
    ({"headshot": upload(b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "big.png")}, 413, "too_large"),
    ({"headshot": upload(pdf_bytes(), "looks-like.png")}, 415, "unsupported_media_type"),
    ({"headshot": upload(b"\x89PNG\r\n\x1a\nnot really a png", "fake.png")}, 415, "unsupported_media_type"),
    ({"resume": upload(png_bytes(), "resume.pdf")}, 415, "unsupported_media_type"),
    ({"resume": upload(b"%PDF-1.4 broken", "resume.pdf")}, 415, "unsupported_media_type"),
])
def test_bad_uploads_are_refused_and_change_nothing(client, app, files, status, code):
    w = calls_world()
    db.session.commit()
    blobs = count(Blob)
    resp = post_multipart(client, url(w), {"role_id": str(w.role.id), **files}, headers=auth(w.talent_user))
    assert resp.status_code == status
    assert resp.get_json()["error"]["code"] == code
    assert count(Submission) == 0 and count(Blob) == blobs


@pytest.mark.parametrize("payload,field", [
    ({}, "role_id"),
    ({"role_id": "one"}, "role_id"),
    ({"role_id": None}, "role_id"),
    ({"role_id": 424242}, "role_id"),
    ({"role_id": "ROLE", "note": 5}, "note"),
    ({"role_id": "ROLE", "self_tape_url": "javascript:alert(1)"}, "self_tape_url"),
    ({"role_id": "ROLE", "note": "x" * 2001}, "note"),
])
def test_bad_submission_input_is_422(client, app, payload, field):
    w = calls_world()
    db.session.commit()
    payload = {k: (w.role.id if v == "ROLE" else v) for k, v in payload.items()}
    resp = client.post(url(w), json=payload, headers=auth(w.talent_user))
    assert resp.status_code == 422, resp.get_json()
    assert field in resp.get_json()["error"]["details"]["fields"]
    assert count(Submission) == 0


def test_role_not_in_the_call_is_422(client, app):
    w = calls_world()
    db.session.commit()
    resp = client.post(url(w), json={"role_id": w.other_role.id}, headers=auth(w.talent_user))
    assert resp.status_code == 422 and "role_id" in resp.get_json()["error"]["details"]["fields"]
    assert count(Submission) == 0


def test_closed_call_is_409_and_unpublished_404(client, app):
    w = calls_world()
    draft = calls_world(published=False)
    w.call.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    closed = client.post(url(w), json={"role_id": w.role.id}, headers=auth(w.talent_user))
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "invalid_state"
    assert client.post(url(draft), json={"role_id": draft.role.id}, headers=auth(w.talent_user)).status_code == 404
    assert client.post("/api/v1/open-calls/99999/submissions", json={"role_id": 1},
                       headers=auth(w.talent_user)).status_code == 404
    assert count(Submission) == 0


@pytest.mark.parametrize("who", ["cd", "producer", "other_cd", "admin"])
def test_only_talent_apply(client, app, who):
    w = calls_world()
    db.session.commit()
    resp = client.post(url(w), json={"role_id": w.role.id}, headers=auth(getattr(w, who)))
    assert resp.status_code == 403
    assert count(Submission) == 0
    assert client.post(url(w), json={"role_id": w.role.id}).status_code == 401


def test_members_list_submissions_paginated(client, app):
    w = calls_world()
    make_submission(w.call, w.role, w.talent, note="first")
    make_submission(w.call, w.role2, w.talent2, note="second")
    make_submission(w.call, w.role, w.talent2, note="third")
    db.session.commit()
    resp = client.get(url(w) + "?per_page=2", headers=auth(w.producer))
    got = resp.get_json()
    assert resp.status_code == 200 and got["total"] == 3 and got["per_page"] == 2
    assert [s["note"] for s in got["items"]] == ["first", "second"]
    page2 = client.get(url(w) + "?per_page=2&page=2", headers=auth(w.cd)).get_json()
    assert [s["note"] for s in page2["items"]] == ["third"]
    by_role = client.get(url(w) + f"?role_id={w.role2.id}", headers=auth(w.cd)).get_json()
    assert [s["note"] for s in by_role["items"]] == ["second"]
    assert client.get(url(w), headers=auth(w.admin)).status_code == 200
    assert client.get(url(w) + "?per_page=500", headers=auth(w.cd)).status_code == 422
    assert client.get(url(w) + "?role_id=x", headers=auth(w.cd)).status_code == 422
    for outsider in (w.talent_user, w.other_cd):
        assert client.get(url(w), headers=auth(outsider)).status_code == 404


def test_talent_see_only_their_own_submissions(client, app):
    w = calls_world()
    mine = make_submission(w.call, w.role, w.talent)
    theirs = make_submission(w.call, w.role, w.talent2)
    db.session.commit()
    got = client.get("/api/v1/me/submissions", headers=auth(w.talent_user)).get_json()
    assert [s["id"] for s in got["items"]] == [mine.id]
    assert client.get(f"/api/v1/submissions/{mine.id}", headers=auth(w.talent_user)).status_code == 200
    assert client.get(f"/api/v1/submissions/{theirs.id}", headers=auth(w.talent_user)).status_code == 404
    assert client.get(f"/api/v1/submissions/{theirs.id}", headers=auth(w.producer)).status_code == 200
    assert client.get("/api/v1/me/submissions", headers=auth(w.cd)).status_code == 403
