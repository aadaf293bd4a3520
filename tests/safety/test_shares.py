"""Someone knows where you are (issue 14 item 8): a talent shares a callback with a trusted person, who is told
the facts, then check-in, the end, a cancellation or a move; the talent can stop; a minor's guardian by default."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import shares
from casting.callbacks.models import InvitationShare
from casting.core.db import utcnow
from casting.extensions import db
from tests.callbacks.factories import make_invitation, make_ready_session, set_clock
from tests.conftest import auth, login, read_outbox
from tests.factories import make_shortlist_entry, make_talent, make_user


def _invited(client, *, minor: bool = False):
    """A scheduled session and a talent invited through the API (so the confirmation letter is issued)."""
    s = make_ready_session(scheduled=True)
    user = make_user("talent", name="Talia Able")
    talent = make_talent(user=user)
    if minor:
        talent.date_of_birth = date(s.starts_at.year - 16, 1, 15)
        talent.guardian_name, talent.guardian_email = "Gina Guardian", "gina.guardian@example.com"
    make_shortlist_entry(s.roles[0], talent, by=s.lead_casting_director)
    db.session.commit()
    resp = client.post(f"/api/v1/sessions/{s.id}/invitations", headers=auth(s.lead_casting_director),
                       json={"talent_id": talent.id, "role_id": s.roles[0].id, "starts_at": s.starts_at.isoformat()})
    assert resp.status_code == 201, resp.json
    code = next(d["verification_code"] for d in resp.json["documents"] if d["kind"] == "callback_confirmation")
    return s, resp.json["id"], user, code


def _to(outbox, address):
    return [m for m in read_outbox(outbox) if m["To"] == address]


def test_sharing_sends_the_facts_and_is_audited(client, app, outbox):
    s, iid, user, code = _invited(client)
    resp = client.post(f"/api/v1/invitations/{iid}/share", headers=auth(user),
                       json={"name": "Sam Friend", "email": "sam@example.com"})
    assert resp.status_code == 201
    body = resp.json
    assert body["id"] and body["status"] == "active" and body["guardian"] is False
    (mail,) = _to(outbox, "sam@example.com")
    text = mail.get_body().get_content()
    assert "Talia Able" in mail["Subject"]
    assert "Spotlight Studios, 7 Leicester Place" in text  # the address
    for panelist in s.panel:
        assert panelist.name in text
    assert s.production.safeguarding_contact in text
    assert code in text and "10:00" in text
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "share.started")).one()
    # The production reads its audit log: the trusted person is not named there.
    assert entry.actor_id == user.id and "sam@example.com" not in entry.data and "Sam" not in entry.data


def test_check_in_and_cancel_are_told_until_sharing_stops(client, app, outbox, monkeypatch):
    s, iid, user, code = _invited(client)
    set_clock(monkeypatch, s.starts_at - timedelta(minutes=30))  # check-in is open from 2 h before the slot
    share_id = client.post(f"/api/v1/invitations/{iid}/share", headers=auth(user),
                           json={"name": "Sam Friend", "email": "sam@example.com"}).json["id"]
    other_id = client.post(f"/api/v1/invitations/{iid}/share", headers=auth(user),
                           json={"name": "Pat Parent", "email": "pat@example.com"}).json["id"]
    assert client.post(f"/api/v1/invitations/{iid}/confirm", headers=auth(user)).status_code == 200
    producer = next(m.user for m in s.production.members if m.role == "producer")
    assert client.post(f"/api/v1/invitations/{iid}/check-in", headers=auth(producer)).status_code == 200
    sam = _to(outbox, "sam@example.com")
    assert [m["Subject"] for m in sam][-1] == "Talia Able has checked in at their callback"
    # Pat is stopped: told once, then nothing more.
    assert client.delete(f"/api/v1/shares/{other_id}", headers=auth(user)).status_code == 204
    assert client.delete(f"/api/v1/shares/{other_id}", headers=auth(user)).status_code == 204  # again: no change
    pat_before = len(_to(outbox, "pat@example.com"))
    assert "stopped sharing" in _to(outbox, "pat@example.com")[-1]["Subject"]
    resp = client.post(f"/api/v1/sessions/{s.id}/cancel", headers=auth(s.lead_casting_director),
                       json={"reason": "The director is unwell."})
    assert resp.status_code == 200
    cancelled = _to(outbox, "sam@example.com")[-1]
    assert cancelled["Subject"] == "Talia Able's callback is cancelled"
    assert "The director is unwell." in cancelled.get_body().get_content()
    assert len(_to(outbox, "pat@example.com")) == pat_before
    assert db.session.get(InvitationShare, share_id).status == "active"
    assert db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "share.stopped")).one()


def test_a_moved_session_tells_the_new_time_and_letter(client, app, outbox):
    s, iid, user, code = _invited(client)
    client.post(f"/api/v1/invitations/{iid}/share", headers=auth(user),
                json={"name": "Sam Friend", "email": "sam@example.com"})
    later = s.starts_at + timedelta(hours=1)
    resp = client.patch(f"/api/v1/sessions/{s.id}", headers=auth(s.lead_casting_director),
                        json={"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=3)).isoformat()})
    assert resp.status_code == 200, resp.json
    changed = _to(outbox, "sam@example.com")[-1]
    text = changed.get_body().get_content()
    assert changed["Subject"] == "Talia Able's callback has changed"
    assert "11:00" in text
    new_code = next(d["verification_code"] for d in client.get(f"/api/v1/invitations/{iid}", headers=auth(user))
                    .json["documents"] if d["kind"] == "callback_confirmation" and d["status"] != "superseded")
    assert new_code != code and new_code in text


def test_a_minor_shares_with_their_guardian_by_default(client, app, outbox):
    s, iid, user, code = _invited(client, minor=True)
    resp = client.post(f"/api/v1/invitations/{iid}/share", headers=auth(user))
    assert resp.status_code == 201 and resp.json["guardian"] is True
    assert resp.json["email"] == "gina.guardian@example.com" and resp.json["name"] == "Gina Guardian"
    (mail,) = [m for m in _to(outbox, "gina.guardian@example.com") if "shared their callback" in m["Subject"]]
    assert "You are their guardian." in mail.get_body().get_content()
    # An adult must name someone.
    s2, iid2, user2, _ = _invited(client)
    resp = client.post(f"/api/v1/invitations/{iid2}/share", headers=auth(user2), json={})
    assert resp.status_code == 422 and set(resp.json["error"]["details"]["fields"]) == {"name", "email"}


def test_refusals_change_nothing(client, app, outbox):
    s, iid, user, code = _invited(client)
    h = auth(user)
    body = {"name": "Sam Friend", "email": "sam@example.com"}
    share_id = client.post(f"/api/v1/invitations/{iid}/share", headers=h, json=body).json["id"]
    dup = client.post(f"/api/v1/invitations/{iid}/share", headers=h, json={**body, "email": "SAM@example.com"})
    assert dup.status_code == 409 and dup.json["error"]["code"] == "duplicate"
    bad = client.post(f"/api/v1/invitations/{iid}/share", headers=h, json={"name": "X", "email": "not an address"})
    assert bad.status_code == 422 and "email" in bad.json["error"]["details"]["fields"]
    # Nobody else may share it or stop it; production members see the invitation but may not share it.
    assert client.post(f"/api/v1/invitations/{iid}/share", headers=auth(make_user("talent")), json=body).status_code == 404
    assert client.post(f"/api/v1/invitations/{iid}/share", headers=auth(s.lead_casting_director),
                       json=body).status_code == 404
    assert client.delete(f"/api/v1/shares/{share_id}", headers=auth(make_user("talent"))).status_code == 404
    assert client.delete(f"/api/v1/shares/{share_id}", headers=auth(s.lead_casting_director)).status_code == 404
    client.post(f"/api/v1/invitations/{iid}/decline", headers=h)
    late = client.post(f"/api/v1/invitations/{iid}/share", headers=h, json={"name": "Kim", "email": "kim@example.com"})
    assert late.status_code == 409 and late.json["error"]["code"] == "invalid_state"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InvitationShare)) == 1


def test_the_end_of_the_session_is_told_once(client, app, outbox, runner):
    s, iid, user, code = _invited(client)
    client.post(f"/api/v1/invitations/{iid}/share", headers=auth(user),
                json={"name": "Sam Friend", "email": "sam@example.com"})
    assert shares.tell_ended(now=s.starts_at) == 0  # not over yet
    result = runner.invoke(args=["shares", "ended"])
    assert "0 callbacks" in result.output
    assert shares.tell_ended(now=s.ends_at + timedelta(minutes=1)) == 1
    db.session.commit()
    assert _to(outbox, "sam@example.com")[-1]["Subject"] == "Talia Able's callback session has ended"
    assert shares.tell_ended(now=s.ends_at + timedelta(hours=1)) == 0


def test_the_portal_shares_and_stops(client, app, outbox):
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s)
    user = inv.talent.user
    iid = inv.id
    db.session.commit()
    login(client, user)
    page = client.get("/me/callbacks").get_data(as_text=True)
    assert "Someone knows where you are" in page and f"/invitations/{iid}/share" in page
    resp = client.post(f"/invitations/{iid}/share", data={"share-name": "Sam Friend", "share-email": "sam@example.com"})
    assert resp.status_code == 302
    share = db.session.scalars(sa.select(InvitationShare)).one()
    page = client.get("/me/callbacks").get_data(as_text=True)
    assert "Sam Friend (sam@example.com)" in page and f"/shares/{share.id}/stop" in page
    assert client.post(f"/shares/{share.id}/stop").status_code == 302
    db.session.expire_all()
    assert db.session.get(InvitationShare, share.id).status == "stopped"
    assert "Sam Friend (sam@example.com)" not in client.get("/me/callbacks").get_data(as_text=True)


def test_the_portal_offers_a_minor_their_guardian(client, app):
    user = make_user("talent", name="Mia Minor")
    talent = make_talent(user=user)
    sessions = [make_ready_session(scheduled=True, title=f"Round {i}") for i in (1, 2)]
    talent.date_of_birth = date(sessions[0].starts_at.year - 15, 6, 1)
    talent.guardian_name, talent.guardian_email = "Gina Guardian", "gina.guardian@example.com"
    for s in sessions:
        make_invitation(s, talent=talent)
    db.session.commit()
    login(client, user)
    resp = client.get("/me/callbacks")
    assert resp.status_code == 200  # two invitations: no query per invitation (the N+1 guard raises)
    assert resp.get_data(as_text=True).count("share with your guardian, Gina Guardian") == 2
