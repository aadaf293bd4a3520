"""An invitation's message thread: who reads and writes, emails (a minor's guardian copied), audit, hostile
input, the talent's requests arriving in it, the bounded list, and the page on both sides."""
from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import messages
from casting.callbacks.models import InvitationMessage
from casting.core.errors import Forbidden, ValidationError
from casting.extensions import db
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import auth, count, login, read_outbox
from tests.factories import make_talent, make_user


def _thread(*, minor=False):
    s = make_ready_session(scheduled=True)
    user = make_user("talent", name="Tara Talent")
    talent = make_talent(user=user)
    if minor:
        talent.date_of_birth = date(date.today().year - 15, 1, 1)
        talent.guardian_name, talent.guardian_email = "Gail Guardian", "gail.guardian@example.com"
    inv = make_invitation(s, talent=talent, status="confirmed")
    db.session.commit()
    return s, inv, user


def _producer(s):
    return next(m.user for m in s.production.members if m.role == "producer")


def _audited(action):
    db.session.expire_all()
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def test_production_writes_talent_answers_each_emailed_and_audited(app, client, outbox):
    s, inv, user = _thread()
    cd = s.lead_casting_director
    resp = client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "Could you bring a monologue?\nThanks"},
                       headers=auth(cd))
    assert resp.status_code == 201, resp.json
    assert resp.json["side"] == "production" and resp.json["kind"] == "message"
    assert resp.json["author_name"] == cd.name and resp.json["body"] == "Could you bring a monologue?\nThanks"
    [mail] = read_outbox(outbox)
    assert mail["To"] == user.email and "Message about your callback" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "Could you bring a monologue?" in text and f"http://callback.test/invitations/{inv.id}/messages" in text

    resp = client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "Yes, I will."}, headers=auth(user))
    assert resp.status_code == 201 and resp.json["side"] == "talent" and resp.json["author_name"] == "Tara Talent"
    mails = read_outbox(outbox)
    assert len(mails) == 2 and mails[1]["To"] == cd.email and "Yes, I will." in mails[1].get_body(("plain",)).get_content()

    # A producer who writes joins the thread: the talent's next message reaches them and the lead.
    producer = _producer(s)
    assert client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "Looking forward to it."},
                       headers=auth(producer)).status_code == 201
    mails = read_outbox(outbox)
    assert sorted(mails[3]["To"].split(", ")) == [cd.email]  # the lead hears of the producer's message
    client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "Me too"}, headers=auth(user))
    assert sorted(read_outbox(outbox)[-1]["To"].split(", ")) == sorted([cd.email, producer.email])

    listed = client.get(f"/api/v1/invitations/{inv.id}/messages", headers=auth(user)).json
    assert listed["total"] == 4 and [m["body"] for m in listed["items"]][:2] == [
        "Could you bring a monologue?\nThanks", "Yes, I will."]
    entries = _audited("message.posted")
    assert len(entries) == 4 and entries[0].production_id == s.production_id
    assert json.loads(entries[0].data)["side"] == "production" and json.loads(entries[1].data)["side"] == "talent"


def test_a_minors_guardian_is_copied_both_ways(app, client, outbox):
    s, inv, user = _thread(minor=True)
    client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "Please arrive 10 minutes early."},
                headers=auth(s.lead_casting_director))
    [mail] = read_outbox(outbox)
    assert sorted(mail["To"].split(", ")) == sorted([user.email, "gail.guardian@example.com"])
    client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "Will do"}, headers=auth(user))
    to = sorted(m["To"] for m in read_outbox(outbox)[1:])
    assert to == sorted([s.lead_casting_director.email, "gail.guardian@example.com"])


def test_who_may_read_and_write(app, client):
    s, inv, user = _thread()
    admin = make_user("admin")
    other_talent = make_user("talent")
    outsider = make_user("casting_director")
    db.session.commit()
    assert client.get(f"/api/v1/invitations/{inv.id}/messages", headers=auth(admin)).status_code == 200
    refused = client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "hi"}, headers=auth(admin))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    for stranger in (other_talent, outsider):
        assert client.get(f"/api/v1/invitations/{inv.id}/messages", headers=auth(stranger)).status_code == 404
        assert client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "hi"},
                           headers=auth(stranger)).status_code == 404
    assert count(InvitationMessage) == 0
    try:
        messages.post(inv, actor=admin, body="hello")
    except Forbidden:
        pass
    else:
        raise AssertionError("an admin wrote in a thread")


def test_hostile_input_is_refused_and_changes_nothing(app, client, outbox):
    s, inv, user = _thread()
    for body in ("", "   ", "a" * (messages.MESSAGE_LIMITS["body"] + 1), "bell\x07", "nul\x00", "esc\x1b[31m", 5):
        resp = client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": body}, headers=auth(user))
        assert resp.status_code == 422 and "body" in resp.json["error"]["details"]["fields"], body
    # The service holds the same rule whoever calls it.
    for body in ("", "x" * 5001, "tab\tok but \x0b not", "\x00"):
        try:
            messages.post(inv, actor=user, body=body)
        except ValidationError as exc:
            assert "body" in exc.fields
        else:
            raise AssertionError(f"accepted {body!r}")
    db.session.rollback()
    assert count(InvitationMessage) == 0 and read_outbox(outbox) == []
    # Tabs and line breaks are text; markup is shown as text on the page.
    ok = client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "<script>alert(1)</script>\tfine\r\n"},
                     headers=auth(user))
    assert ok.status_code == 201
    login(client, user)
    page = client.get(f"/invitations/{inv.id}/messages").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_reschedule_request_and_access_needs_arrive_in_the_thread(app, client, outbox):
    s, inv, user = _thread()
    assert client.post(f"/api/v1/invitations/{inv.id}/access-needs", json={"access_needs": "Step-free access please"},
                       headers=auth(user)).status_code == 200
    assert client.post(f"/api/v1/invitations/{inv.id}/reschedule-request", json={"note": "After 2pm, please"},
                       headers=auth(user)).status_code == 200
    items = client.get(f"/api/v1/invitations/{inv.id}/messages", headers=auth(s.lead_casting_director)).json["items"]
    assert [(m["kind"], m["side"], m["body"]) for m in items] == [
        ("access_needs", "talent", "Step-free access please"), ("reschedule_request", "talent", "After 2pm, please")]
    # Told once each (by the action's own email to the casting director), not twice.
    assert len(read_outbox(outbox)) == 2
    assert [json.loads(e.data)["kind"] for e in _audited("message.posted")] == ["access_needs", "reschedule_request"]


def test_the_list_is_paginated(app, client):
    s, inv, user = _thread()
    for n in range(7):
        db.session.add(InvitationMessage(invitation_id=inv.id, author_id=user.id, side="talent", body=f"m{n}"))
    db.session.commit()
    page = client.get(f"/api/v1/invitations/{inv.id}/messages?per_page=3&page=3", headers=auth(user)).json
    assert page["total"] == 7 and page["per_page"] == 3 and [m["body"] for m in page["items"]] == ["m6"]
    assert client.get(f"/api/v1/invitations/{inv.id}/messages?per_page=101", headers=auth(user)).status_code == 422


def test_the_thread_page_on_both_sides(app, client, outbox, monkeypatch):
    s, inv, user = _thread()
    monkeypatch.setattr(messages, "THREAD_PAGE", 3)
    cd = s.lead_casting_director
    login(client, cd)
    session_page = client.get(f"/sessions/{s.id}").get_data(as_text=True)
    assert f"/invitations/{inv.id}/messages" in session_page
    resp = client.post(f"/invitations/{inv.id}/messages", data={"body": "Bring water."})
    assert resp.status_code == 302
    page = client.get(f"/invitations/{inv.id}/messages").get_data(as_text=True)
    assert "Bring water." in page and "Send message" in page
    assert client.post(f"/invitations/{inv.id}/messages", data={"body": "bad\x07"}).status_code == 422
    assert client.post(f"/invitations/{inv.id}/messages", data={"body": ""}).status_code == 422

    login(client, user)
    portal = client.get("/me/callbacks").get_data(as_text=True)
    assert f"/invitations/{inv.id}/messages" in portal
    assert "Latest of 1 message, from " + cd.name in portal and "“Bring water.”" in portal
    assert "https://www.openstreetmap.org/search?query=" in portal
    for n in range(4):
        client.post(f"/invitations/{inv.id}/messages", data={"body": f"note {n}"})
    page = client.get(f"/invitations/{inv.id}/messages").get_data(as_text=True)
    assert "note 3" in page and "Bring water." not in page and "Older messages" in page
    assert len(read_outbox(outbox)) == 5

    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    page = client.get(f"/invitations/{inv.id}/messages")
    assert page.status_code == 200 and "Send message" not in page.get_data(as_text=True)
    assert client.post(f"/invitations/{inv.id}/messages", data={"body": "hi"}).status_code == 403


def test_a_suspended_productions_members_write_to_nobody(client, app):
    from casting.core.db import utcnow

    s = make_ready_session(scheduled=True)
    talent_user = make_user("talent")
    inv = make_invitation(s, talent=make_talent(user=talent_user), status="confirmed")
    s.production.suspended_at = utcnow()
    db.session.commit()
    cd = s.lead_casting_director
    resp = client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "Still on?"}, headers=auth(cd))
    assert resp.status_code == 409 and resp.json["error"]["code"] == "suspended"
    # The talent may still ask what is going on.
    ok = client.post(f"/api/v1/invitations/{inv.id}/messages", json={"body": "Is it still on?"},
                     headers=auth(talent_user))
    assert ok.status_code == 201
