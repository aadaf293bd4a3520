"""Sessions through the JSON API: create, edit, checklist, attest, the gate on schedule and on edits, cancel."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks.models import Attestation, CallbackSession
from casting.core.api import iso
from casting.extensions import db
from tests.callbacks.factories import make_invitation, make_ready_session, next_weekday
from tests.conftest import auth, count, read_outbox
from tests.factories import make_user, make_venue


def _blocked_entries():
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "session.schedule_blocked")).all()


def test_create_session_and_read_it_back(app, client):
    s = make_ready_session()
    cd, production = s.lead_casting_director, s.production
    panel = [u.id for u in s.panel]
    start = next_weekday(2, tz="Europe/London", hour=9)
    body = {"title": "Chemistry reads", "role_ids": [s.roles[0].id], "venue_id": s.venue_id,
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
            "slot_minutes": 15, "panel_user_ids": panel, "recorded": False}
    resp = client.post(f"/api/v1/productions/{production.id}/sessions", json=body, headers=auth(cd))
    assert resp.status_code == 201, resp.json
    data = resp.json
    assert data["status"] == "draft" and data["panel_user_ids"] == panel and data["starts_at"] == iso(start)
    assert data["lead_casting_director_id"] == cd.id
    got = client.get(f"/api/v1/sessions/{data['id']}", headers=auth(cd)).json
    assert got["title"] == "Chemistry reads" and got["slot_minutes"] == 15
    listed = client.get(f"/api/v1/productions/{production.id}/sessions", headers=auth(cd)).json
    assert listed["total"] == 2


def test_create_refuses_bad_input_and_changes_nothing(app, client):
    s = make_ready_session()
    cd = s.lead_casting_director
    outsider = make_user("producer")
    start = next_weekday(2)
    good = {"title": "Reads", "role_ids": [s.roles[0].id], "venue_id": s.venue_id, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(), "slot_minutes": 15, "panel_user_ids": [cd.id]}
    before = count(CallbackSession)
    url = f"/api/v1/productions/{s.production_id}/sessions"
    cases = [
        ({**good, "panel_user_ids": [cd.id, outsider.id]}, "panel_user_ids"),
        ({**good, "starts_at": "2027-03-02T10:00:00"}, "starts_at"),
        ({**good, "ends_at": (start - timedelta(hours=1)).isoformat()}, "ends_at"),
        ({**good, "role_ids": []}, "role_ids"),
        ({**good, "slot_minutes": 2}, "slot_minutes"),
        ({**good, "venue_id": 99999}, "venue_id"),
    ]
    for body, fld in cases:
        resp = client.post(url, json=body, headers=auth(cd))
        assert resp.status_code == 422, (fld, resp.json)
        assert fld in resp.json["error"]["details"]["fields"]
    assert client.post(url, data="nope", headers=auth(cd)).status_code == 400
    assert count(CallbackSession) == before


def test_checklist_endpoint_lists_every_code_in_order(app, client):
    s = make_ready_session(attest=False)
    resp = client.get(f"/api/v1/sessions/{s.id}/checklist", headers=auth(s.lead_casting_director))
    assert resp.status_code == 200
    items = resp.json["items"]
    assert [i["code"] for i in items][:4] == ["company_verified", "casting_director_verified", "roles_specific", "no_fees"]
    assert len(items) == 12 and resp.json["ready"] is False
    no_fees = items[3]
    assert no_fees["passed"] is False and no_fees["applicable"] is True and "attest" in no_fees["detail"]


def test_attest_then_schedule_through_the_api(app, client):
    s = make_ready_session(attest=False)
    cd = s.lead_casting_director
    h = auth(cd)
    resp = client.post(f"/api/v1/sessions/{s.id}/schedule", headers=h)
    assert resp.status_code == 409 and resp.json["error"]["code"] == "checklist_failed"
    assert resp.json["error"]["details"]["failed"] == ["no_fees"]
    db.session.expire_all()
    assert db.session.get(CallbackSession, s.id).status == "draft"
    [entry] = _blocked_entries()
    assert "no_fees" in entry.data and entry.entity_id == s.id and entry.actor_id == cd.id
    bad = client.post(f"/api/v1/sessions/{s.id}/attestations", json={"code": "business_hours"}, headers=h)
    assert bad.status_code == 422 and count(Attestation) == 0
    resp = client.post(f"/api/v1/sessions/{s.id}/attestations", json={"code": "no_fees"}, headers=h)
    assert resp.status_code == 201
    assert resp.json["attested_by"] == cd.id and resp.json["attested_at"].endswith("Z")
    resp = client.post(f"/api/v1/sessions/{s.id}/schedule", headers=h)
    assert resp.status_code == 200 and resp.json["status"] == "scheduled"
    again = client.post(f"/api/v1/sessions/{s.id}/schedule", headers=h)
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"


def test_producer_cannot_attest_or_schedule(app, client):
    s = make_ready_session()
    producer = next(m.user for m in s.production.members if m.role == "producer")
    h = auth(producer)
    assert client.post(f"/api/v1/sessions/{s.id}/attestations", json={"code": "no_fees"}, headers=h).status_code == 403
    assert client.post(f"/api/v1/sessions/{s.id}/schedule", headers=h).status_code == 403
    assert client.get(f"/api/v1/sessions/{s.id}", headers=auth(make_user("casting_director"))).status_code == 404


def test_edits_of_a_scheduled_session_pass_the_gate_or_change_nothing(app, client):
    s = make_ready_session(scheduled=True)
    cd = s.lead_casting_director
    h = auth(cd)
    hotel = make_venue(cd, kind="hotel_room", name="Grand Hotel, room 412",
                       address="Grand Hotel, 1 Park Lane, London W1K 1AA")
    db.session.commit()
    late = s.starts_at.replace(hour=21)  # UTC: 21:00 or 22:00 in London, after business hours either way
    sid, venue_id, panel = s.id, s.venue_id, [u.id for u in s.panel]
    for body, code in [({"starts_at": late.isoformat(), "ends_at": (late + timedelta(hours=1)).isoformat()}, "business_hours"),
                       ({"venue_id": hotel.id}, "professional_venue"),
                       ({"panel_user_ids": [cd.id]}, "panel_of_two")]:
        resp = client.patch(f"/api/v1/sessions/{sid}", json=body, headers=h)
        assert resp.status_code == 409, resp.json
        assert resp.json["error"]["code"] == "checklist_failed" and code in resp.json["error"]["details"]["failed"]
    db.session.expire_all()
    s = db.session.get(CallbackSession, sid)
    assert s.status == "scheduled" and s.venue_id == venue_id and [u.id for u in s.panel] == panel
    assert s.starts_at.hour != 21
    assert len(_blocked_entries()) == 3
    resp = client.patch(f"/api/v1/sessions/{sid}", json={"title": "Final callbacks"}, headers=h)
    assert resp.status_code == 200 and resp.json["title"] == "Final callbacks"


def test_moving_a_scheduled_session_keeps_history_and_asks_to_confirm_again(app, client, outbox):
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s, status="confirmed")
    first = inv.starts_at
    sid, iid, cd = s.id, inv.id, s.lead_casting_director
    new_start = s.starts_at + timedelta(days=1)
    resp = client.patch(f"/api/v1/sessions/{sid}", json={"starts_at": new_start.isoformat(),
                                                         "ends_at": (new_start + timedelta(hours=3)).isoformat()},
                        headers=auth(cd))
    assert resp.status_code == 200, resp.json
    got = client.get(f"/api/v1/invitations/{iid}", headers=auth(cd)).json
    assert got["status"] == "invited"
    assert got["starts_at"] == iso(first + timedelta(days=1))
    moved = [e for e in got["history"] if e["kind"] == "moved"]
    assert moved and moved[0]["from_starts_at"] == iso(first)
    mails = read_outbox(outbox)
    assert mails and "changed" in mails[-1]["Subject"] and "confirm again" in mails[-1].get_body().get_content()


def test_cancel_session_cancels_invitations_and_tells_talent(app, client, outbox):
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s)
    sid, iid, email = s.id, inv.id, inv.talent.email
    h = auth(s.lead_casting_director)
    assert client.post(f"/api/v1/sessions/{sid}/cancel", json={}, headers=h).status_code == 422
    resp = client.post(f"/api/v1/sessions/{sid}/cancel", json={"reason": "The director is ill"}, headers=h)
    assert resp.status_code == 200 and resp.json["status"] == "cancelled"
    assert client.get(f"/api/v1/invitations/{iid}", headers=h).json["status"] == "cancelled"
    [mail] = read_outbox(outbox)
    assert mail["To"] == email and "cancelled" in mail["Subject"] and "director is ill" in mail.get_body().get_content()
    assert db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "session.cancelled")).one()
    assert client.patch(f"/api/v1/sessions/{sid}", json={"title": "x"}, headers=h).status_code == 409
