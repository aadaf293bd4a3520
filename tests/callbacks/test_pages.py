"""The web UI: the checklist page, the gate through forms, the session form, inviting, the talent portal."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks.models import CallbackSession, Invitation
from casting.extensions import db
from tests.callbacks.factories import make_invitation, make_ready_session, next_weekday, set_clock
from tests.conftest import count, login
from tests.factories import make_shortlist_entry, make_talent, make_user


def _status(sid):
    db.session.expire_all()
    return db.session.get(CallbackSession, sid).status


def test_session_page_shows_checklist_with_fixes_and_why_schedule_is_disabled(app, client):
    s = make_ready_session(attest=False)
    s.roles[0].description = "Various projects"
    db.session.commit()
    login(client, s.lead_casting_director)
    html = client.get(f"/sessions/{s.id}").get_data(as_text=True)
    assert 'data-code="no_fees"' in html and 'class="fail" data-code="no_fees"' in html
    assert 'class="pass" data-code="company_verified"' in html and 'class="na" data-code="recording_terms"' in html
    assert "Record the attestation" in html and 'href="#attest"' in html
    assert f"/roles/{s.roles[0].id}" in html  # where the vague role is fixed
    assert "Cannot schedule yet: fix 2 red items above (roles_specific, no_fees)" in html
    assert f'action="/sessions/{s.id}/schedule"' not in html


def test_schedule_through_the_ui_is_gated_and_audited(app, client):
    s = make_ready_session(attest=False)
    sid = s.id
    db.session.commit()
    login(client, s.lead_casting_director)
    resp = client.post(f"/sessions/{sid}/schedule", headers={"Referer": f"/sessions/{sid}"})
    assert resp.status_code == 303 and _status(sid) == "draft"
    assert "no_fees" in client.get(f"/sessions/{sid}").get_data(as_text=True)
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "session.schedule_blocked")).one()
    assert "no_fees" in entry.data
    assert client.post(f"/sessions/{sid}/attest").status_code == 302
    html = client.get(f"/sessions/{sid}").get_data(as_text=True)
    assert f'action="/sessions/{sid}/schedule"' in html and "attested" in html
    assert client.post(f"/sessions/{sid}/schedule").status_code == 302
    assert _status(sid) == "scheduled"


def test_new_session_form_reads_local_time_in_the_venue_timezone(app, client):
    s = make_ready_session()
    pid, cd, venue, role = s.production_id, s.lead_casting_director, s.venue, s.roles[0]
    venue.timezone = "Asia/Kolkata"
    db.session.commit()
    login(client, cd)
    assert client.get(f"/productions/{pid}/sessions/new").status_code == 200
    day = next_weekday(3, tz="Asia/Kolkata").astimezone(ZoneInfo("Asia/Kolkata")).date()
    form = {"title": "Kolkata callbacks", "role_ids": [role.id], "venue_id": venue.id,
            "starts_at": f"{day}T10:00", "ends_at": f"{day}T09:00", "slot_minutes": "30",
            "panel_user_ids": [u.id for u in s.panel]}
    before = count(CallbackSession)
    bad = client.post(f"/productions/{pid}/sessions/new", data=form)
    assert bad.status_code == 422 and "must end after it starts" in bad.get_data(as_text=True)
    assert count(CallbackSession) == before
    resp = client.post(f"/productions/{pid}/sessions/new", data={**form, "ends_at": f"{day}T12:30"})
    assert resp.status_code == 302
    new = db.session.scalars(sa.select(CallbackSession).where(CallbackSession.title == "Kolkata callbacks")).one()
    assert (new.starts_at.hour, new.starts_at.minute) == (4, 30)  # 10:00 IST is 04:30 UTC
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "10:00 IST" in html and "10:30–11:00" in html  # the slot grid in the venue's time


def test_editing_a_scheduled_session_to_the_evening_is_refused(app, client):
    s = make_ready_session(scheduled=True)
    sid, tz = s.id, s.venue.timezone
    login(client, s.lead_casting_director)
    local = s.starts_at.astimezone(ZoneInfo(tz))
    form = {"title": s.title, "role_ids": [r.id for r in s.roles], "venue_id": s.venue_id,
            "starts_at": f"{local.date()}T22:00", "ends_at": f"{local.date()}T23:00", "slot_minutes": "20",
            "panel_user_ids": [u.id for u in s.panel]}
    starts = s.starts_at
    db.session.commit()
    resp = client.post(f"/sessions/{sid}/edit", data=form, headers={"Referer": f"/sessions/{sid}/edit"})
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(CallbackSession, sid).starts_at == starts
    assert "business_hours" in client.get(f"/sessions/{sid}/edit").get_data(as_text=True)  # the flash


def test_invite_from_the_page_then_talent_confirms_in_the_portal(app, client):
    s = make_ready_session(scheduled=True)
    talent_user = make_user("talent", name="Tara Talent")
    talent = make_talent(user=talent_user)
    make_shortlist_entry(s.roles[0], talent, by=s.lead_casting_director)
    sid, rid, side = s.id, s.roles[0].id, s.roles[0].sides[0]
    slot = (s.starts_at + timedelta(minutes=20)).isoformat()
    db.session.commit()
    login(client, s.lead_casting_director)
    assert "Tara Talent" in client.get(f"/sessions/{sid}").get_data(as_text=True)
    resp = client.post(f"/sessions/{sid}/invitations", data={"invite-candidate": f"{rid}:{talent.id}", "invite-slot": slot})
    assert resp.status_code == 302
    inv = db.session.scalars(sa.select(Invitation)).one()
    iid = inv.id
    tc = app.test_client()
    login(tc, talent_user)
    html = tc.get("/me/callbacks").get_data(as_text=True)
    assert "10:20" in html and "Spotlight Studios, 7 Leicester Place" in html and s.roles[0].name in html
    assert "Cass Director" in html and "sides.pdf" in html
    pdf = tc.get(f"/invitations/{iid}/sides/{side.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert tc.get(f"/invitations/{iid}/calendar.ics").data.startswith(b"BEGIN:VCALENDAR")
    assert tc.post(f"/invitations/{iid}/confirm").status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, iid).status == "confirmed"
    assert "confirmed" in client.get(f"/sessions/{sid}").get_data(as_text=True)


def test_pages_are_hidden_from_outsiders(app, client):
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s)
    sid, iid = s.id, inv.id
    other_talent = make_user("talent")
    db.session.commit()
    for user in (make_user("casting_director"), other_talent):
        db.session.commit()
        c = app.test_client()
        login(c, user)
        assert c.get(f"/sessions/{sid}").status_code == 404
        assert c.get(f"/invitations/{iid}/calendar.ics").status_code == 404
    c = app.test_client()
    login(c, other_talent)
    assert c.post(f"/invitations/{iid}/confirm").status_code == 404
    assert "No upcoming callbacks" in c.get("/me/callbacks").get_data(as_text=True)


def test_panel_notes_and_check_in_on_the_page(app, client, monkeypatch):
    from casting.callbacks.invitations import add_note

    s = make_ready_session(scheduled=True)
    inv = make_invitation(s)
    add_note(inv, actor=s.lead_casting_director, rating=5, note="Superb emotional range")
    sid, iid, talent_user = s.id, inv.id, inv.talent.user
    producer = next(m.user for m in s.production.members if m.role == "producer")
    db.session.commit()
    login(client, producer)
    html = client.get(f"/sessions/{sid}").get_data(as_text=True)
    assert "Superb emotional range" in html and "5/5" in html
    resp = client.post(f"/invitations/{iid}/check-in", headers={"Referer": f"/sessions/{sid}"})
    assert resp.status_code == 303
    assert "Check-in needs: confirmation." in client.get(f"/sessions/{sid}").get_data(as_text=True)
    tc = app.test_client()
    login(tc, talent_user)
    assert "Superb" not in tc.get("/me/callbacks").get_data(as_text=True)
    assert tc.post(f"/invitations/{iid}/confirm").status_code == 302
    set_clock(monkeypatch, s.starts_at - timedelta(hours=1))  # the callback day: check-in is open
    assert client.post(f"/invitations/{iid}/check-in").status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, iid).status == "checked_in"
