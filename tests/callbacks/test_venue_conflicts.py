"""One room, one scheduled session at a time: scheduling or moving a session into a venue another scheduled
session holds at an overlapping time is refused (409 venue_conflict), by the service, the API, the pages and the
CLI alike; virtual venues are never held; two schedules racing for one room cannot both win."""
from __future__ import annotations

import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import services
from casting.callbacks.models import CallbackSession
from casting.core.errors import VenueConflict
from casting.extensions import db
from tests.callbacks.factories import make_ready_session
from tests.conftest import auth, login, token_for
from tests.factories import make_user, make_venue


def _pair(hours_apart: float = 0, *, hours: int = 1, kind: str = "casting_studio", **venue):
    """A scheduled session holding a venue 10:00-13:00 and a draft of the same production in the same venue,
    ``hours_apart`` after the first's start."""
    a = make_ready_session(scheduled=True, title="Maya callbacks")
    if kind == "virtual":
        a.venue.kind, a.venue.address, a.venue.meeting_url = "virtual", "", "https://meet.example.com/room-1"
        db.session.flush()
    b = make_ready_session(a.lead_casting_director, production=a.production, venue=a.venue, roles=a.roles,
                           panel=a.panel, starts_at=a.starts_at + timedelta(hours=hours_apart), hours=hours,
                           title="Tom callbacks")
    return a, b


def _status(sid: int) -> str:
    db.session.expire_all()
    return db.session.get(CallbackSession, sid).status


def test_scheduling_into_a_held_room_is_refused_and_audited(app):
    a, b = _pair(0)
    with pytest.raises(VenueConflict) as caught:
        services.schedule_session(b, actor=b.lead_casting_director)
    assert caught.value.status == 409 and caught.value.code == "venue_conflict"
    assert caught.value.details == {"session_id": a.id}
    # Plain words: the room, when it is taken, by which session (the actor sees that production).
    assert "Spotlight Studio 2 is already booked" in caught.value.message
    assert "10:00–13:00" in caught.value.message and "Maya callbacks" in caught.value.message
    assert "venue_conflict" not in caught.value.message


@pytest.mark.parametrize("offset,hours,ok", [(1, 1, False), (-0.5, 1, False), (2.5, 2, False), (3, 1, True),
                                             (-1, 1, True)])
def test_only_an_overlap_conflicts(app, offset, hours, ok):
    a, b = _pair(offset, hours=hours)
    if ok:
        services.schedule_session(b, actor=b.lead_casting_director)
        assert b.status == "scheduled"
    else:
        with pytest.raises(VenueConflict):
            services.schedule_session(b, actor=b.lead_casting_director)


def test_a_virtual_venue_is_never_held(app):
    a, b = _pair(0, kind="virtual")
    services.schedule_session(b, actor=b.lead_casting_director)
    assert (a.status, b.status) == ("scheduled", "scheduled")


def test_drafts_and_cancelled_sessions_hold_nothing(app):
    a, b = _pair(0)
    c = make_ready_session(a.lead_casting_director, production=a.production, venue=a.venue, roles=a.roles,
                           panel=a.panel, starts_at=a.starts_at, title="Another draft")
    services.cancel_session(a, actor=a.lead_casting_director, reason="The director is ill")
    services.schedule_session(b, actor=b.lead_casting_director)
    assert b.status == "scheduled" and c.status == "draft"


def test_another_office_session_is_not_named(app):
    a, _ = _pair(0)
    other_cd = make_user("casting_director", name="Olga Other",
                         credential_verified_by=make_user("admin", name="Val Verifier"))
    c = make_ready_session(other_cd, venue=a.venue, starts_at=a.starts_at + timedelta(hours=1), hours=1,
                           title="Secret project callbacks")
    with pytest.raises(VenueConflict) as caught:
        services.schedule_session(c, actor=other_cd)
    assert "Maya callbacks" not in caught.value.message and "another casting office" in caught.value.message
    assert caught.value.details == {"session_id": a.id}


def test_api_schedule_answers_409_venue_conflict_and_changes_nothing(app, client):
    a, b = _pair(1)
    aid, bid, headers = a.id, b.id, auth(b.lead_casting_director)
    resp = client.post(f"/api/v1/sessions/{bid}/schedule", headers=headers)
    assert resp.status_code == 409, resp.get_json()
    body = resp.get_json()["error"]
    assert body["code"] == "venue_conflict" and body["details"] == {"session_id": aid}
    assert _status(bid) == "draft"
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "blocked.venue_conflict")).one()
    assert f'"session_id": {aid}' in entry.data or f'"session_id":{aid}' in entry.data


def test_api_patch_into_a_held_room_is_refused(app, client):
    a, b = _pair(4)  # 14:00-15:00: free
    services.schedule_session(b, actor=b.lead_casting_director)
    aid, bid, starts = a.id, b.id, b.starts_at
    headers = auth(b.lead_casting_director)
    moved = (a.starts_at + timedelta(minutes=30)).isoformat()
    ends = (a.starts_at + timedelta(minutes=90)).isoformat()
    resp = client.patch(f"/api/v1/sessions/{bid}", json={"starts_at": moved, "ends_at": ends}, headers=headers)
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "venue_conflict"
    assert resp.get_json()["error"]["details"]["session_id"] == aid
    db.session.expire_all()
    assert db.session.get(CallbackSession, bid).starts_at == starts
    # A change that keeps the room free goes through; so does an edit that moves nothing.
    assert client.patch(f"/api/v1/sessions/{bid}", json={"title": "Tom — second round"},
                        headers=headers).status_code == 200


def test_api_patch_of_a_draft_into_a_held_room_is_refused(app, client):
    a, b = _pair(4)
    other = make_venue(a.lead_casting_director, name="Studio 9")
    bid = b.id
    b.venue_id = other.id
    db.session.flush()
    headers = auth(b.lead_casting_director)
    resp = client.patch(f"/api/v1/sessions/{bid}", json={"venue_id": a.venue_id,
                                                          "starts_at": a.starts_at.isoformat(),
                                                          "ends_at": (a.starts_at + timedelta(hours=1)).isoformat()},
                        headers=headers)
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "venue_conflict"
    db.session.expire_all()
    assert db.session.get(CallbackSession, bid).venue_id == other.id


def test_cli_schedule_says_why(app, runner):
    _, b = _pair(0)
    bid, email = b.id, b.lead_casting_director.email
    db.session.commit()
    result = runner.invoke(args=["sessions", "schedule", str(bid), "--as", email])
    assert result.exit_code != 0 and "venue_conflict" in result.output and "already booked" in result.output
    assert _status(bid) == "draft"


def test_schedule_button_says_so_in_plain_words(app, client):
    _, b = _pair(1)
    bid = b.id
    login(client, b.lead_casting_director)
    db.session.commit()
    resp = client.post(f"/sessions/{bid}/schedule", headers={"Referer": f"/sessions/{bid}"})
    assert resp.status_code == 303 and _status(bid) == "draft"
    html = client.get(f"/sessions/{bid}").get_data(as_text=True)
    assert "Spotlight Studio 2 is already booked" in html and "venue_conflict" not in html


def test_edit_form_shows_the_conflict_beside_the_venue_and_keeps_the_input(app, client):
    a, b = _pair(4)
    services.schedule_session(b, actor=b.lead_casting_director)
    bid, tz, starts = b.id, b.venue.timezone, b.starts_at
    local = a.starts_at.astimezone(ZoneInfo(tz))
    form = {"title": "Moved into Maya's time", "role_ids": [r.id for r in b.roles], "venue_id": b.venue_id,
            "starts_at": f"{local.date()}T{local:%H}:20", "ends_at": f"{local.date()}T{local.hour + 1:02d}:20",
            "slot_minutes": "20", "panel_user_ids": [u.id for u in b.panel]}
    login(client, b.lead_casting_director)
    db.session.commit()
    resp = client.post(f"/sessions/{bid}/edit", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "is already booked" in html and "Maya callbacks" in html and "venue_conflict" not in html
    assert 'value="Moved into Maya&#39;s time"' in html or "Moved into Maya's time" in html
    db.session.expire_all()
    assert db.session.get(CallbackSession, bid).starts_at == starts
    assert db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "blocked.venue_conflict")).one()


def test_two_schedules_racing_for_one_room_cannot_both_win(app):
    a = make_ready_session(title="Racer A")
    b = make_ready_session(a.lead_casting_director, production=a.production, venue=a.venue, roles=a.roles,
                           panel=a.panel, starts_at=a.starts_at + timedelta(minutes=30), title="Racer B")
    ids = [a.id, b.id] * 2
    # A token each: one shared token's last-use update would queue the requests behind its row lock.
    tokens = [token_for(a.lead_casting_director) for _ in ids]
    db.session.commit()
    barrier = threading.Barrier(len(ids))
    results: list = [None] * len(ids)

    def run(i, sid):
        client = app.test_client()
        barrier.wait()
        resp = client.post(f"/api/v1/sessions/{sid}/schedule", headers={"Authorization": f"Bearer {tokens[i]}"})
        results[i] = (resp.status_code, (resp.get_json().get("error") or {}).get("code"))

    threads = [threading.Thread(target=run, args=(i, sid)) for i, sid in enumerate(ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(code for code, _ in results) == [200, 409, 409, 409], results
    # The loser of its own session's race is invalid_state (already scheduled); the other session's are the room.
    assert {code for status, code in results if status == 409} <= {"venue_conflict", "invalid_state"}
    assert any(code == "venue_conflict" for _, code in results)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(CallbackSession.id.in_([a.id, b.id]),
                                                              CallbackSession.status == "scheduled")) == 1
