"""The session's life (issue 13, item 3): the check-in window, no-shows, completing a session, cancelling and
moving one invitation, answering a talent's reschedule request. Services, API and pages."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import invitations
from casting.callbacks.models import Invitation
from casting.core.aftercommit import run_after_commit
from casting.core.api import iso
from casting.core.errors import DoubleBooked, InvalidState, ValidationError
from casting.documents.models import Document
from casting.extensions import db
from tests.callbacks.factories import make_ready_session, set_clock
from casting import create_app
from casting.config import ConfigError
from tests.conftest import auth, base_config, login, read_outbox
from tests.factories import make_shortlist_entry, make_talent, make_user


def _world(*, recorded=False):
    use = "Shown only to the director and producers to choose the cast, then deleted." if recorded else None
    s = make_ready_session(scheduled=True, recorded=recorded, recording_use=use)
    cd = s.lead_casting_director
    talent_user = make_user("talent", name="Tara Talent", email="tara@example.com")
    talent = make_talent(user=talent_user)
    make_shortlist_entry(s.roles[0], talent, by=cd)
    inv = invitations.invite(s, actor=cd, talent_id=talent.id, role_id=s.roles[0].id, starts_at=s.starts_at)
    db.session.commit()
    run_after_commit()  # the letters are rendered after the commit, and the invitation emailed
    return s, cd, inv, talent_user


def _docs(inv) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in db.session.scalars(sa.select(Document).where(Document.invitation_id == inv.id,
                                                          Document.signed_from_id.is_(None)).order_by(Document.id)):
        out.setdefault(d.kind, []).append(d.status)
    return out


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def _post(client, path, user, json=None):
    return client.post(f"/api/v1{path}", headers=auth(user), json=json)


def _producer(s):
    return next(m.user for m in s.production.members if m.role == "producer")


def _confirm(inv) -> None:
    inv.status = "confirmed"
    db.session.commit()


# ---- move ------------------------------------------------------------------------------------

def test_move_voids_the_old_letters_issues_new_ones_and_tells_the_talent(app, outbox):
    s, cd, inv, _ = _world()
    inv.status = "confirmed"
    db.session.commit()
    [old_letter] = db.session.scalars(sa.select(Document).where(Document.invitation_id == inv.id)).all()
    before = len(read_outbox(outbox))
    new_start = s.starts_at + timedelta(minutes=40)
    moved = invitations.move(inv, actor=cd, starts_at=new_start)
    db.session.commit()
    run_after_commit()  # the new letters are rendered after the commit; the mail waits for them
    assert moved is inv and inv.starts_at == new_start and inv.ends_at == new_start + timedelta(minutes=20)
    assert inv.status == "invited"  # asked to confirm the new time
    assert old_letter.status == "void"
    assert _docs(inv) == {"callback_confirmation": ["void", "issued"]}
    assert [e.kind for e in inv.events][-1] == "moved" and inv.events[-1].from_starts_at == s.starts_at
    assert "invitation.moved" in db.session.scalars(sa.select(AuditEntry.action)).all()
    mails = [m for m in read_outbox(outbox)[before:] if m["To"] == "tara@example.com"]
    assert len(mails) == 1 and mails[0]["Subject"].startswith("Callback moved")
    body = mails[0].get_body(("plain",)).get_content()
    assert "10:00" in body and "10:40" in body and "confirm" in body
    [ics] = [p for p in mails[0].iter_attachments() if p.get_content_type() == "text/calendar"]
    assert b"SEQUENCE:1" in ics.get_payload(decode=True)


def test_move_follows_the_rules_of_inviting(app, monkeypatch):
    s, cd, inv, _ = _world()
    other = make_talent(legal_name="Other Person")
    make_shortlist_entry(s.roles[0], other, by=cd)
    taken = invitations.invite(s, actor=cd, talent_id=other.id, role_id=s.roles[0].id,
                               starts_at=s.starts_at + timedelta(minutes=20))
    db.session.commit()
    for bad in (s.starts_at + timedelta(minutes=7), s.ends_at, s.starts_at):
        with pytest.raises(ValidationError):
            invitations.move(inv, actor=cd, starts_at=bad)
    with pytest.raises(DoubleBooked) as caught:
        invitations.move(inv, actor=cd, starts_at=taken.starts_at)
    assert caught.value.details == {"conflict": "slot"}
    producer = next(u for u in s.panel if u.id != cd.id)
    from casting.core.errors import Forbidden
    with pytest.raises(Forbidden):
        invitations.move(inv, actor=producer, starts_at=s.starts_at + timedelta(minutes=60))
    # Once the slot has started, it is too late to move it.
    set_clock(monkeypatch, s.starts_at + timedelta(minutes=1))
    with pytest.raises(InvalidState):
        invitations.move(inv, actor=cd, starts_at=s.starts_at + timedelta(minutes=60))
    db.session.rollback()
    assert db.session.get(Invitation, inv.id).starts_at == s.starts_at


def test_move_through_the_api_answers_the_invitation_and_a_refusal_changes_nothing(app, client, outbox):
    s, cd, inv, talent_user = _world()
    other = make_talent(legal_name="Other Person")
    make_shortlist_entry(s.roles[0], other, by=cd)
    taken = invitations.invite(s, actor=cd, talent_id=other.id, role_id=s.roles[0].id,
                               starts_at=s.starts_at + timedelta(minutes=20))
    db.session.commit()
    iid, old_start = inv.id, s.starts_at
    r = _post(client, f"/invitations/{iid}/move", cd, {"starts_at": taken.starts_at.isoformat()})
    assert r.status_code == 409 and r.json["error"]["code"] == "double_booked"
    r = _post(client, f"/invitations/{iid}/move", cd, {"starts_at": (s.starts_at + timedelta(minutes=5)).isoformat()})
    assert r.status_code == 422 and "starts_at" in r.json["error"]["details"]["fields"]
    assert _post(client, f"/invitations/{iid}/move", _producer(s), {"starts_at": s.ends_at.isoformat()}).status_code == 403
    assert _post(client, f"/invitations/{iid}/move", talent_user,
                 {"starts_at": (s.starts_at + timedelta(minutes=60)).isoformat()}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Invitation, iid).starts_at == old_start
    assert {"blocked.double_booked", "blocked.forbidden"} <= set(_actions())
    new = s.starts_at + timedelta(minutes=60)
    r = _post(client, f"/invitations/{iid}/move", cd, {"starts_at": new.isoformat()})
    assert r.status_code == 200, r.json
    body = r.json
    assert body["id"] == iid and body["status"] == "invited" and body["starts_at"] == iso(new)
    letters = [d for d in body["documents"] if d["kind"] == "callback_confirmation"]
    assert [d["status"] for d in letters][0] == "void" and len(letters) == 2
    after = client.get(f"/api/v1/invitations/{iid}", headers=auth(talent_user)).json
    assert [d["status"] for d in after["documents"]] == ["void", "issued"]  # rendered after the commit
    assert body["history"][-1]["kind"] == "moved" and body["history"][-1]["from_starts_at"] == iso(old_start)
    assert any(m["Subject"].startswith("Callback moved") for m in read_outbox(outbox) if m["To"] == "tara@example.com")


# ---- cancel one invitation -------------------------------------------------------------------

def test_cancel_one_invitation_voids_every_document_tells_the_talent_and_is_audited(app, client, outbox):
    s, cd, inv, talent_user = _world(recorded=True)
    iid = inv.id
    r = _post(client, f"/invitations/{iid}/cancel", cd, {"reason": ""})
    assert r.status_code == 422 and "reason" in r.json["error"]["details"]["fields"]
    assert _post(client, f"/invitations/{iid}/cancel", _producer(s), {"reason": "Role merged"}).status_code == 403
    assert _post(client, f"/invitations/{iid}/cancel", talent_user, {"reason": "Role merged"}).status_code == 403
    assert db.session.get(Invitation, iid).status == "invited"
    before = len(read_outbox(outbox))
    r = _post(client, f"/invitations/{iid}/cancel", cd, {"reason": "The role was merged with another."})
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    assert sorted(d["kind"] for d in r.json["documents"]) == ["callback_confirmation", "recording_release"]
    assert {d["status"] for d in r.json["documents"]} == {"void"}
    [mail] = [m for m in read_outbox(outbox)[before:] if m["To"] == "tara@example.com"]
    assert mail["Subject"].startswith("Callback cancelled")
    assert "The role was merged with another." in mail.get_body(("plain",)).get_content()
    [ics] = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert b"METHOD:CANCEL" in ics.get_payload(decode=True)
    assert "invitation.cancelled" in _actions() and _actions().count("document.voided") == 2
    again = _post(client, f"/invitations/{iid}/cancel", cd, {"reason": "Twice"})
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"
    assert "blocked.invalid_state" in _actions()


def test_an_invitation_whose_slot_started_is_not_cancelled_or_moved(app, client, monkeypatch):
    s, cd, inv, _ = _world()
    set_clock(monkeypatch, s.starts_at + timedelta(minutes=5))
    r = _post(client, f"/invitations/{inv.id}/cancel", cd, {"reason": "Too late now"})
    assert r.status_code == 409 and "no-show" in r.json["error"]["message"]
    r = _post(client, f"/invitations/{inv.id}/move", cd, {"starts_at": (s.starts_at + timedelta(hours=1)).isoformat()})
    assert r.status_code == 409 and r.json["error"]["code"] == "invalid_state"
    db.session.expire_all()
    assert db.session.get(Invitation, inv.id).status == "invited"


# ---- no-show and completing ------------------------------------------------------------------

def test_no_show_only_after_the_slot_started_and_never_for_someone_checked_in(app, client, monkeypatch):
    s, cd, inv, talent_user = _world()
    iid = inv.id
    early = _post(client, f"/invitations/{iid}/no-show", cd)
    assert early.status_code == 409 and early.json["error"]["code"] == "invalid_state"
    assert "has not started yet" in early.json["error"]["message"]
    set_clock(monkeypatch, s.starts_at + timedelta(minutes=10))
    assert _post(client, f"/invitations/{iid}/no-show", _producer(s)).status_code == 403
    assert _post(client, f"/invitations/{iid}/no-show", talent_user).status_code == 403
    assert db.session.get(Invitation, iid).status == "invited"
    r = _post(client, f"/invitations/{iid}/no-show", cd)
    assert r.status_code == 200 and r.json["status"] == "no_show"
    assert "invitation.no_show" in _actions()
    assert _post(client, f"/invitations/{iid}/no-show", cd).json["error"]["code"] == "invalid_state"
    # Someone checked in came: they are not a no-show.
    other = make_talent(user=make_user("talent"), legal_name="Came Along")
    make_shortlist_entry(s.roles[0], other, by=cd)
    second = invitations.invite(s, actor=cd, talent_id=other.id, role_id=s.roles[0].id,
                                starts_at=s.starts_at + timedelta(minutes=20))
    second.status, second.checked_in_at = "checked_in", s.starts_at
    db.session.commit()
    set_clock(monkeypatch, s.starts_at + timedelta(minutes=30))
    assert _post(client, f"/invitations/{second.id}/no-show", cd).json["error"]["code"] == "invalid_state"


def test_complete_only_after_the_end_marks_checked_in_talent_attended(app, client, monkeypatch):
    s, cd, inv, _ = _world()
    sid, iid = s.id, inv.id
    inv.status, inv.checked_in_at = "checked_in", s.starts_at
    db.session.commit()
    early = _post(client, f"/sessions/{sid}/complete", cd)
    assert early.status_code == 409 and "has not ended yet" in early.json["error"]["message"]
    set_clock(monkeypatch, s.ends_at + timedelta(minutes=1))
    assert _post(client, f"/sessions/{sid}/complete", _producer(s)).status_code == 403
    db.session.expire_all()
    assert db.session.get(Invitation, iid).status == "checked_in"
    r = _post(client, f"/sessions/{sid}/complete", cd)
    assert r.status_code == 200 and r.json["status"] == "completed"
    db.session.expire_all()
    assert db.session.get(Invitation, iid).status == "attended"
    assert {"session.completed", "invitation.attended"} <= set(_actions())
    assert _post(client, f"/sessions/{sid}/complete", cd).json["error"]["code"] == "invalid_state"


# ---- check-in window -------------------------------------------------------------------------

def test_check_in_checks_consents_first_then_the_window(app, client, monkeypatch):
    s, cd, inv, talent_user = _world(recorded=True)
    iid = inv.id
    _confirm(inv)
    # A week early, with the release unsigned: the missing consent is what is answered.
    r = _post(client, f"/invitations/{iid}/check-in", cd)
    assert r.status_code == 409 and r.json["error"]["code"] == "missing_consent"
    assert r.json["error"]["details"]["missing"] == ["recording_release"]
    monkeypatch.setattr("casting.documents.receivers.issuing.missing_for_check_in", lambda _inv: [])
    r = _post(client, f"/invitations/{iid}/check-in", cd)
    assert r.status_code == 409 and r.json["error"]["code"] == "outside_window"
    assert r.json["error"]["details"]["opens_at"] == iso(s.starts_at - timedelta(hours=2))
    assert r.json["error"]["details"]["closes_at"] == iso(s.ends_at)
    assert "blocked.outside_window" in _actions()
    # The talent's portal never says "checked in" for a callback still to come.
    tc = app.test_client()
    login(tc, talent_user)
    card = tc.get("/me/callbacks").get_data(as_text=True)
    assert 'class="status checked_in"' not in card and 'class="status confirmed"' in card
    # Just before the window, still refused; at its opening and until the session's end, accepted.
    set_clock(monkeypatch, s.starts_at - timedelta(hours=2, minutes=1))
    assert _post(client, f"/invitations/{iid}/check-in", cd).json["error"]["code"] == "outside_window"
    set_clock(monkeypatch, s.ends_at + timedelta(minutes=1))
    assert _post(client, f"/invitations/{iid}/check-in", cd).json["error"]["code"] == "outside_window"
    set_clock(monkeypatch, s.starts_at - timedelta(hours=2))
    r = _post(client, f"/invitations/{iid}/check-in", cd)
    assert r.status_code == 200 and r.json["status"] == "checked_in"


@pytest.mark.parametrize("app_config", [{"CASTING_CHECKIN_OPENS_HOURS": "5"}])
def test_the_window_opening_is_a_setting(app, client, monkeypatch):
    s, cd, inv, _ = _world()
    _confirm(inv)
    set_clock(monkeypatch, s.starts_at - timedelta(hours=5, minutes=1))
    r = _post(client, f"/invitations/{inv.id}/check-in", cd)
    assert r.json["error"]["code"] == "outside_window" and "5 hours before" in r.json["error"]["message"]
    set_clock(monkeypatch, s.starts_at - timedelta(hours=4, minutes=59))
    assert _post(client, f"/invitations/{inv.id}/check-in", cd).status_code == 200


@pytest.mark.parametrize("value,problem", [(-1, "not between 0 and 24"), (25, "not between 0 and 24"),
                                           ("soon", "'soon' is not a whole number")])
def test_a_bad_window_setting_stops_start_up_naming_it(tmp_path, value, problem):
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(ConfigError) as caught:
        create_app({**config, "CASTING_CHECKIN_OPENS_HOURS": value})
    assert str(caught.value).startswith("Invalid CASTING_CHECKIN_OPENS_HOURS: ") and problem in str(caught.value)


def test_the_window_setting_is_read_from_the_environment(tmp_path, monkeypatch):
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("CASTING_CHECKIN_OPENS_HOURS", "an hour")
    with pytest.raises(ConfigError, match="CASTING_CHECKIN_OPENS_HOURS"):
        create_app(config)
    monkeypatch.setenv("CASTING_CHECKIN_OPENS_HOURS", "30")
    with pytest.raises(ConfigError, match="CASTING_CHECKIN_OPENS_HOURS: 30 is not between"):
        create_app(config)
    monkeypatch.setenv("CASTING_CHECKIN_OPENS_HOURS", "3")
    from casting.callbacks.rules import EXTENSION_KEY
    assert create_app(config).extensions[EXTENSION_KEY].checkin_opens_hours == 3


# ---- reschedule requests ---------------------------------------------------------------------

def test_declining_a_reschedule_request_keeps_the_time_and_asks_the_talent_again(app, client, outbox):
    s, cd, inv, talent_user = _world()
    iid = inv.id
    assert _post(client, f"/invitations/{iid}/reschedule-request/decline", cd).json["error"]["code"] == "invalid_state"
    r = _post(client, f"/invitations/{iid}/reschedule-request", talent_user, {"note": "Could I come after 2pm?"})
    assert r.json["status"] == "reschedule_requested"
    assert _post(client, f"/invitations/{iid}/reschedule-request/decline", talent_user).status_code == 403
    before = len(read_outbox(outbox))
    r = _post(client, f"/invitations/{iid}/reschedule-request/decline", cd, {"note": "Sorry, the panel is only here in the morning."})
    assert r.status_code == 200 and r.json["status"] == "invited" and r.json["starts_at"] == iso(s.starts_at)
    assert r.json["history"][-1]["kind"] == "reschedule_declined"
    [mail] = [m for m in read_outbox(outbox)[before:] if m["To"] == "tara@example.com"]
    text = mail.get_body(("plain",)).get_content()
    assert "cannot offer another time" in text and "only here in the morning" in text
    assert "invitation.reschedule_declined" in _actions()
    tc = app.test_client()
    login(tc, talent_user)
    assert "cannot offer another time (“Sorry, the panel is only here in the morning.”)" in tc.get("/me/callbacks").get_data(as_text=True)
    # The talent may confirm the time now, or ask again.
    assert _post(client, f"/invitations/{iid}/confirm", talent_user).json["status"] == "confirmed"


def test_moving_answers_a_reschedule_request(app, client):
    s, cd, inv, talent_user = _world()
    _post(client, f"/invitations/{inv.id}/reschedule-request", talent_user, {"note": "Afternoon please"})
    new = s.starts_at + timedelta(hours=2)
    r = _post(client, f"/invitations/{inv.id}/move", cd, {"starts_at": new.isoformat()})
    assert r.status_code == 200 and r.json["status"] == "invited" and r.json["starts_at"] == iso(new)
    assert r.json["history"][-1]["note"] == "reschedule request answered"


# ---- the session page --------------------------------------------------------------------------

def test_the_session_page_controls(app, client, monkeypatch, outbox):
    s, cd, inv, talent_user = _world()
    other = make_talent(user=make_user("talent"), legal_name="Sam Second")
    make_shortlist_entry(s.roles[0], other, by=cd)
    second = invitations.invite(s, actor=cd, talent_id=other.id, role_id=s.roles[0].id,
                                starts_at=s.starts_at + timedelta(minutes=20))
    db.session.commit()
    sid, iid, second_id = s.id, inv.id, second.id
    login(client, cd)
    html = client.get(f"/sessions/{sid}").get_data(as_text=True)
    assert f'id="move-slot-{iid}"' in html and f'for="move-slot-{iid}"' in html
    assert f'id="cancel-inv-reason-{iid}"' in html and "Check-in opens" in html
    assert "Mark no-show" not in html and "after it ends" in html
    # Move from the page: into a free slot (10:40 is free, 10:20 is Sam's and is not offered).
    assert f'value="{(s.starts_at + timedelta(minutes=20)).isoformat()}"' not in html.split(f'id="move-slot-{iid}"')[1].split("</select>")[0]
    target = s.starts_at + timedelta(minutes=40)
    r = client.post(f"/invitations/{iid}/move", data={"move-slot": target.isoformat()})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, iid).starts_at == target
    # A reschedule request shows its answers; keeping the time tells the talent.
    tc = app.test_client()
    login(tc, talent_user)
    assert tc.post(f"/invitations/{iid}/reschedule", data={"re-note": "Mornings are hard"}).status_code == 302
    html = client.get(f"/sessions/{sid}").get_data(as_text=True)
    assert "Asked to reschedule." in html and "Mornings are hard" in html
    r = client.post(f"/invitations/{iid}/reschedule-request/decline", data={"answer-note": "Only mornings, sorry."})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, iid).status == "invited"
    # Cancelling needs a reason (said on the page), then cancels.
    r = client.post(f"/invitations/{second_id}/cancel", data={"cancel-inv-reason": ""},
                    headers={"Referer": f"/sessions/{sid}"})
    assert r.status_code == 303
    assert db.session.get(Invitation, second_id).status == "invited"
    assert "Say why the callback is cancelled" in client.get(f"/sessions/{sid}").get_data(as_text=True)
    assert client.post(f"/invitations/{second_id}/cancel", data={"cancel-inv-reason": "Role recast"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, second_id).status == "cancelled"
    # After the slot started: a no-show button; after the end: complete.
    set_clock(monkeypatch, target + timedelta(minutes=5))
    html = client.get(f"/sessions/{sid}").get_data(as_text=True)
    assert "Mark no-show" in html and f'id="move-slot-{iid}"' not in html
    assert client.post(f"/invitations/{iid}/no-show").status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, iid).status == "no_show"
    set_clock(monkeypatch, s.ends_at)
    assert "Complete session" in client.get(f"/sessions/{sid}").get_data(as_text=True)
    assert client.post(f"/sessions/{sid}/complete").status_code == 302
    db.session.expire_all()
    assert db.session.get(type(s), sid).status == "completed"
