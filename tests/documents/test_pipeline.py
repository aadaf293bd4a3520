"""Documents inside the callback pipeline: inviting issues and emails them, moving supersedes them,
check-in waits for the signatures, and the staff pages show what is missing."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from casting.callbacks.models import Invitation
from casting.documents.models import Document
from casting.extensions import db
from tests.callbacks.factories import make_ready_session, set_clock
from tests.conftest import auth, count, login, read_outbox
from tests.factories import make_company, make_production, make_role, make_shortlist_entry, make_talent, make_user

DETAILS = "A partially clothed bedroom scene with a kiss; no full nudity; closed set."
USE = "Shown only to the director and producers to choose the cast, then deleted."


def _recorded_intimacy_session():
    checker = make_user("admin", name="Vera Verifier")
    cd = make_user("casting_director", name="Cass Director", credential_verified_by=checker)
    producer = make_user("producer", name="Prue Producer")
    coordinator = make_user("producer", name="Ivy Coordinator")
    production = make_production(cd, make_company(cd, verified_by=make_user("admin")),
                                 members={producer: "producer", coordinator: "intimacy_coordinator"})
    role = make_role(production, nudity_or_intimacy=True, nudity_or_intimacy_details=DETAILS)
    session = make_ready_session(cd, production=production, roles=[role], panel=[cd, producer, coordinator],
                                 recorded=True, recording_use=USE, scheduled=True)
    talent_user = make_user("talent", name="Talia Able")
    talent = make_talent(user=talent_user)
    make_shortlist_entry(role, talent, by=cd)
    db.session.commit()
    return session, cd, producer, talent_user, talent, role


def test_invite_sign_and_check_in_through_the_api(app, client, outbox, monkeypatch):
    session, cd, producer, talent_user, talent, role = _recorded_intimacy_session()
    r = client.post(f"/api/v1/sessions/{session.id}/invitations", headers=auth(cd),
                    json={"talent_id": talent.id, "role_id": role.id, "starts_at": session.starts_at.isoformat()})
    assert r.status_code == 201, r.get_json()
    inv_id = r.get_json()["id"]
    kinds = {d["kind"]: d for d in r.get_json()["documents"]}
    assert set(kinds) == {"callback_confirmation", "consent_rider", "recording_release"}
    # The invitation email carries the .ics and every PDF.
    mail = read_outbox(outbox)[-1]
    names = sorted(a.get_filename() for a in mail.iter_attachments())
    assert len(names) == 4 and sum(n.endswith(".ics") for n in names) == 1 and sum(n.endswith(".pdf") for n in names) == 3

    staff, me = auth(cd), auth(talent_user)
    r = client.post(f"/api/v1/invitations/{inv_id}/check-in", headers=staff)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "missing_consent"
    assert set(r.get_json()["error"]["details"]["missing"]) >= {"consent_rider", "recording_release"}
    assert client.post(f"/api/v1/invitations/{inv_id}/confirm", headers=me).status_code == 200
    for kind in ("consent_rider", "recording_release"):
        doc_id = kinds[kind]["id"]
        assert client.get(f"/api/v1/documents/{doc_id}/pdf", headers=me).status_code == 200
        r = client.post(f"/api/v1/documents/{doc_id}/sign", headers=me, json={"full_name": "Talia Able", "agree": True})
        assert r.status_code == 200 and r.get_json()["status"] == "signed"
        if kind == "consent_rider":
            r = client.post(f"/api/v1/invitations/{inv_id}/check-in", headers=staff)
            assert r.status_code == 409 and r.get_json()["error"]["details"]["missing"] == ["recording_release"]
    r = client.post(f"/api/v1/invitations/{inv_id}/check-in", headers=staff)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "outside_window"  # a week early
    set_clock(monkeypatch, session.starts_at - timedelta(minutes=15))
    r = client.post(f"/api/v1/invitations/{inv_id}/check-in", headers=staff)
    assert r.status_code == 200, r.get_json()
    assert db.session.get(Invitation, inv_id).status == "checked_in"


def test_moving_the_session_supersedes_the_documents_and_they_must_be_signed_again(app, client):
    session, cd, producer, talent_user, talent, role = _recorded_intimacy_session()
    r = client.post(f"/api/v1/sessions/{session.id}/invitations", headers=auth(cd),
                    json={"talent_id": talent.id, "role_id": role.id, "starts_at": session.starts_at.isoformat()})
    inv_id = r.get_json()["id"]
    old = {d["kind"]: d["id"] for d in r.get_json()["documents"]}
    new_start = session.starts_at + timedelta(hours=1)
    r = client.patch(f"/api/v1/sessions/{session.id}", headers=auth(cd),
                     json={"starts_at": new_start.isoformat(), "ends_at": (session.ends_at + timedelta(hours=1)).isoformat()})
    assert r.status_code == 200, r.get_json()
    db.session.expire_all()
    for kind, doc_id in old.items():
        assert db.session.get(Document, doc_id).status == "superseded"
    current = db.session.scalars(sa.select(Document).where(Document.invitation_id == inv_id,
                                                           Document.status == "issued")).all()
    assert sorted(d.kind for d in current) == ["callback_confirmation", "consent_rider", "recording_release"]
    assert all(d.version == 2 for d in current)


def test_staff_pages_show_what_check_in_still_needs(app, client):
    session, cd, producer, talent_user, talent, role = _recorded_intimacy_session()
    client.post(f"/api/v1/sessions/{session.id}/invitations", headers=auth(cd),
                json={"talent_id": talent.id, "role_id": role.id, "starts_at": session.starts_at.isoformat()})
    db.session.commit()
    rider = db.session.scalar(sa.select(Document).where(Document.kind == "consent_rider"))
    login(client, producer)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Invitation not confirmed yet" in page
    assert "Nudity and intimacy consent rider" in page and "not opened yet" in page
    assert f"/documents/{rider.id}" in page
    register = client.get(f"/productions/{session.production_id}/documents").get_data(as_text=True)
    assert rider.serial in register and "Talia Able" in register
    detail = client.get(f"/documents/{rider.id}").get_data(as_text=True)
    assert "Not opened yet." in detail and "Waiting for: talent" in detail
    # The talent's portal lists the documents with what to do next.
    login(client, talent_user)
    portal = client.get("/me/callbacks").get_data(as_text=True)
    assert "Open and sign" in portal and f"/documents/{rider.id}" in portal
    assert count(Document) == 3
