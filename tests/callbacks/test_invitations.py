"""Invitations: the rules and their error codes, emails with .ics, talent responses, check-in, panel notes."""
from __future__ import annotations

from datetime import timedelta

import icalendar

from casting.callbacks.models import Invitation, PanelNote
from casting.core.api import iso
from casting.extensions import db
from casting.productions.models import ProductionMember
from tests.callbacks.factories import make_invitation, make_ready_session, set_clock
from tests.conftest import auth, count, read_outbox
from tests.factories import make_shortlist_entry, make_talent, make_user


def _setup(scheduled=True):
    s = make_ready_session(scheduled=scheduled)
    talent_user = make_user("talent", name="Tara Talent")
    talent = make_talent(user=talent_user)
    make_shortlist_entry(s.roles[0], talent, by=s.lead_casting_director)
    db.session.commit()
    return s, talent, talent_user


def _invite(client, s, talent, starts_at=None, role=None, headers=None):
    body = {"talent_id": talent.id, "role_id": (role or s.roles[0]).id, "starts_at": (starts_at or s.starts_at).isoformat()}
    return client.post(f"/api/v1/sessions/{s.id}/invitations", json=body,
                       headers=headers or auth(s.lead_casting_director))


def test_invite_emails_an_ics_in_the_venue_timezone(app, client, outbox):
    s, talent, _ = _setup()
    resp = _invite(client, s, talent, s.starts_at + timedelta(minutes=40))
    assert resp.status_code == 201, resp.json
    assert resp.json["status"] == "invited"
    assert [d["kind"] for d in resp.json["documents"]] == ["callback_confirmation"]
    assert resp.json["starts_at"] == iso(s.starts_at + timedelta(minutes=40))
    [mail] = read_outbox(outbox)
    assert mail["To"] == talent.email and "Callback invitation" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "10:40" in text and "never ask you for money" in text and "companion" in text and "access needs" in text
    [ics] = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    cal = icalendar.Calendar.from_ical(ics.get_content() if isinstance(ics.get_content(), str) else ics.get_payload(decode=True))
    [event] = cal.walk("VEVENT")
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/London" and (start.hour, start.minute) == (10, 40)
    assert event["location"].startswith("Spotlight Studio 2, ")
    assert cal.walk("VTIMEZONE")[0]["tzid"] == "Europe/London"


def test_invitation_rules_and_error_codes(app, client):
    draft, talent, _ = _setup(scheduled=False)
    assert _invite(client, draft, talent).json["error"]["code"] == "invalid_state"
    s, talent, _ = _setup()
    stranger = make_talent(legal_name="Not Listed")
    db.session.commit()
    before = count(Invitation)
    assert _invite(client, s, stranger).json["error"]["code"] == "not_shortlisted"
    for off_grid in (s.starts_at + timedelta(minutes=7), s.starts_at - timedelta(minutes=20), s.ends_at,
                     s.ends_at - timedelta(minutes=10)):
        resp = _invite(client, s, talent, off_grid)
        assert resp.status_code == 422 and "starts_at" in resp.json["error"]["details"]["fields"]
    naive = client.post(f"/api/v1/sessions/{s.id}/invitations", headers=auth(s.lead_casting_director),
                        json={"talent_id": talent.id, "role_id": s.roles[0].id, "starts_at": "2030-01-01T10:00:00"})
    assert naive.status_code == 422
    assert count(Invitation) == before
    assert _invite(client, s, talent).status_code == 201
    again = _invite(client, s, talent, s.starts_at + timedelta(minutes=20))
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"


def test_neither_slot_nor_talent_double_booked_in_any_session(app, client):
    s, talent, _ = _setup()
    other = make_talent(legal_name="Other Person")
    make_shortlist_entry(s.roles[0], other, by=s.lead_casting_director)
    # A session of another production, overlapping in time, where the same talent is shortlisted.
    s2 = make_ready_session(starts_at=s.starts_at + timedelta(minutes=10), scheduled=True)
    make_shortlist_entry(s2.roles[0], talent, by=s2.lead_casting_director)
    db.session.commit()
    assert _invite(client, s, talent).status_code == 201
    taken = _invite(client, s, other)
    assert taken.status_code == 409 and taken.json["error"]["code"] == "double_booked"
    assert taken.json["error"]["details"]["conflict"] == "slot"
    busy = _invite(client, s2, talent, s2.starts_at)  # 10:10-10:30 overlaps 10:00-10:20
    assert busy.status_code == 409 and busy.json["error"]["details"]["conflict"] == "talent"
    assert _invite(client, s2, talent, s2.starts_at + timedelta(minutes=20)).status_code == 201


def test_talent_confirm_decline_reschedule_and_access_needs(app, client, outbox):
    s, talent, talent_user = _setup()
    iid = _invite(client, s, talent).json["id"]
    h = auth(talent_user)
    stranger = auth(make_user("talent"))
    assert client.post(f"/api/v1/invitations/{iid}/confirm", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/invitations/{iid}/confirm", headers=auth(s.lead_casting_director)).status_code == 404
    resp = client.post(f"/api/v1/invitations/{iid}/confirm", headers=h)
    assert resp.status_code == 200 and resp.json["status"] == "confirmed"
    assert client.post(f"/api/v1/invitations/{iid}/confirm", headers=h).json["error"]["code"] == "invalid_state"
    assert client.post(f"/api/v1/invitations/{iid}/reschedule-request", json={"note": ""}, headers=h).status_code == 422
    resp = client.post(f"/api/v1/invitations/{iid}/reschedule-request", json={"note": "Could I come after 2pm?"}, headers=h)
    assert resp.status_code == 200 and resp.json["status"] == "reschedule_requested"
    resp = client.post(f"/api/v1/invitations/{iid}/access-needs", json={"access_needs": "Step-free access please"}, headers=h)
    assert resp.status_code == 200 and resp.json["access_needs"] == "Step-free access please"
    resp = client.post(f"/api/v1/invitations/{iid}/decline", headers=h)
    assert resp.status_code == 200 and resp.json["status"] == "declined"
    kinds = [e["kind"] for e in resp.json["history"]]
    assert kinds == ["invited", "confirmed", "reschedule_requested", "access_needs", "declined"]
    to_cd = [m for m in read_outbox(outbox) if m["To"] == s.lead_casting_director.email]
    assert len(to_cd) == 3 and "after 2pm" in to_cd[0].get_body().get_content()
    mine = client.get("/api/v1/me/invitations", headers=h).json
    assert [i["id"] for i in mine["items"]] == [iid]
    assert client.get("/api/v1/me/invitations", headers=auth(s.lead_casting_director)).status_code == 403
    # A declined slot is free again.
    other = make_talent(legal_name="Next In Line")
    make_shortlist_entry(s.roles[0], other, by=s.lead_casting_director)
    db.session.commit()
    assert _invite(client, s, other).status_code == 201


def test_check_in_needs_confirmation(app, client, monkeypatch):
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s)
    iid, talent_user = inv.id, inv.talent.user
    producer = next(m.user for m in s.production.members if m.role == "producer")
    h = auth(producer)
    resp = client.post(f"/api/v1/invitations/{iid}/check-in", headers=h)
    assert resp.status_code == 409 and resp.json["error"]["code"] == "missing_consent"
    assert resp.json["error"]["details"]["missing"] == ["confirmation"]
    assert client.post(f"/api/v1/invitations/{iid}/check-in", headers=auth(talent_user)).status_code == 403
    client.post(f"/api/v1/invitations/{iid}/confirm", headers=auth(talent_user))
    set_clock(monkeypatch, inv.starts_at - timedelta(minutes=30))  # the callback day, inside the window
    resp = client.post(f"/api/v1/invitations/{iid}/check-in", headers=h)
    assert resp.status_code == 200 and resp.json["status"] == "checked_in" and resp.json["checked_in_at"]
    assert client.post(f"/api/v1/invitations/{iid}/check-in", headers=h).json["error"]["code"] == "invalid_state"


def test_panel_notes_are_for_the_production_only(app, client):
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s)
    director = make_user("producer", name="Dora Director")
    db.session.add(ProductionMember(production_id=s.production_id, user_id=director.id, role="director"))
    iid, talent_user, cd = inv.id, inv.talent.user, s.lead_casting_director
    db.session.commit()
    url = f"/api/v1/invitations/{iid}/notes"
    assert client.post(url, json={"rating": 6, "note": "x"}, headers=auth(cd)).status_code == 422
    assert client.post(url, json={"rating": 4, "note": "x"}, headers=auth(director)).status_code == 403
    assert client.post(url, json={"rating": 4, "note": "x"}, headers=auth(talent_user)).status_code == 403
    assert count(PanelNote) == 0
    resp = client.post(url, json={"rating": 4, "note": "Strong second read"}, headers=auth(cd))
    assert resp.status_code == 201 and resp.json["rating"] == 4
    assert client.get(f"/api/v1/invitations/{iid}", headers=auth(director)).json["notes"][0]["note"] == "Strong second read"
    as_talent = client.get(f"/api/v1/invitations/{iid}", headers=auth(talent_user)).json
    assert "notes" not in as_talent and "Strong second read" not in str(as_talent)


def test_a_slot_that_has_started_cannot_be_invited_into(app, client, monkeypatch):
    """Once the session is under way, its earlier slots are gone: inviting into one is a validation error on
    starts_at and stores nothing; a later slot still works, and the bulk plan only offers the later ones."""
    from casting.callbacks import bulk
    from tests.factories import make_shortlist_entry as shortlist

    s, talent, _ = _setup()
    set_clock(monkeypatch, s.starts_at + timedelta(minutes=30))  # the first two 20-minute slots have started
    before = count(Invitation)
    for started in (s.starts_at, s.starts_at + timedelta(minutes=20)):
        resp = _invite(client, s, talent, started)
        assert resp.status_code == 422, resp.json
        assert resp.json["error"]["details"]["fields"]["starts_at"] == ["That slot has already started; choose a later one."]
    assert count(Invitation) == before
    others = [make_talent(legal_name=f"Later Talent {i}") for i in range(2)]
    for t in others:
        shortlist(s.roles[0], t, by=s.lead_casting_director)
    db.session.commit()
    placed = bulk.plan(bulk.plan_facts(s, s.roles[0].id, [t.id for t in others]), [t.id for t in others], s.starts_at)
    assert [p.starts_at for p in placed] == [s.starts_at + timedelta(minutes=40), s.starts_at + timedelta(minutes=60)]
    assert _invite(client, s, talent, s.starts_at + timedelta(minutes=40)).status_code == 201
