"""The calendar: a day or a week of sessions with their slots and who is booked; moving an invitation from it."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import agenda
from casting.callbacks.models import Invitation
from casting.callbacks.services import cancel_session
from casting.extensions import db
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import login
from tests.factories import make_talent, make_user, make_venue


def _local_day(s):
    return s.starts_at.astimezone(ZoneInfo(s.venue.timezone)).date()


def test_week_groups_sessions_by_their_local_day_with_slots_and_bookings(app):
    s = make_ready_session(scheduled=True, title="Maya callbacks")  # Tuesday 10:00-13:00 London, 20-minute slots
    inv = make_invitation(s, talent=make_talent(legal_name="Talia Able"))
    cd = s.lead_casting_director
    # Thursday 08:00 in Tokyo is Wednesday 23:00 UTC: it belongs to Thursday (Tokyo), not Wednesday (UTC).
    tokyo = make_venue(cd, timezone_name="Asia/Tokyo", name="Tokyo studio")
    thursday = datetime.combine(_local_day(s) + timedelta(days=2), time(8), ZoneInfo("Asia/Tokyo"))
    t = make_ready_session(cd, production=s.production, venue=tokyo, roles=s.roles, panel=s.panel,
                           starts_at=thursday.astimezone(timezone.utc), title="Tokyo callbacks")
    assert t.starts_at.weekday() == 2
    cal = agenda.build(agenda.sessions_query(user=cd), view="week", day=_local_day(s), viewer=cd)
    assert cal.start.weekday() == 0 and len(cal.days) == 7
    by_title = {e.session.title: d.day for d in cal.days for e in d.sessions}
    assert by_title["Maya callbacks"] == _local_day(s)
    assert by_title["Tokyo callbacks"] == _local_day(t) and _local_day(t).weekday() == 3
    entry = next(e for d in cal.days for e in d.sessions if e.session.id == s.id)
    assert len(entry.slots) == 9 and entry.manager
    assert entry.slots[0].booked == [inv] and not entry.slots[0].free
    assert entry.free_starts == [slot.starts_at for slot in entry.slots[1:]]


def test_only_the_users_productions_and_no_cancelled_sessions(app):
    s = make_ready_session(scheduled=True, title="Mine")
    other = make_ready_session(starts_at=s.starts_at, title="Someone else's")
    gone = make_ready_session(s.lead_casting_director, production=s.production, venue=make_venue(s.lead_casting_director),
                              roles=s.roles, panel=s.panel, starts_at=s.starts_at, title="Cancelled one")
    cancel_session(gone, actor=s.lead_casting_director, reason="The director is ill")
    cal = agenda.build(agenda.sessions_query(user=s.lead_casting_director), view="day", day=_local_day(s),
                       viewer=s.lead_casting_director)
    assert [e.session.title for e in cal.days[0].sessions] == ["Mine"]
    theirs = agenda.build(agenda.sessions_query(production=other.production), view="day", day=_local_day(s),
                          viewer=s.lead_casting_director)
    # Another production's calendar read by a non-member offers nothing to move.
    assert [e.session.title for e in theirs.days[0].sessions] == ["Someone else's"]
    assert not theirs.days[0].sessions[0].manager and theirs.days[0].sessions[0].free_starts == []


def test_parse_day_and_view():
    from datetime import date
    today = date(2027, 3, 2)
    assert agenda.parse_day("2027-03-09", today) == date(2027, 3, 9)
    assert agenda.parse_day("2027-02-30", today) == today and agenda.parse_day("x", today) == today
    assert agenda.parse_day("0001-01-01", today) == today and agenda.parse_day("9999-12-31", today) == today
    assert agenda.parse_view("day") == "day" and agenda.parse_view("month") == "week"


def test_calendar_page_shows_who_is_booked_with_words_and_a_move_control(app, client):
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    inv = make_invitation(s, talent=make_talent(legal_name="Talia Able"), status="confirmed")
    day, iid = _local_day(s).isoformat(), inv.id
    login(client, s.lead_casting_director)
    db.session.commit()
    html = client.get(f"/calendar?view=week&date={day}").get_data(as_text=True)
    assert "Maya callbacks" in html and "Talia Able" in html
    assert '<span class="status confirmed">confirmed</span>' in html  # a word beside the colour
    assert f'action="/calendar/invitations/{iid}/move"' in html
    assert f'<label for="move-{iid}-to" class="small">Move Talia Able to</label>' in html
    assert 'draggable="true"' in html and "js/calendar.js" in html and 'data-drop-session=' in html
    day_html = client.get(f"/calendar?view=day&date={day}").get_data(as_text=True)
    assert "Maya callbacks" in day_html
    next_day = (_local_day(s) + timedelta(days=1)).isoformat()
    assert "Maya callbacks" not in client.get(f"/calendar?view=day&date={next_day}").get_data(as_text=True)
    assert client.get("/calendar?view=week&date=not-a-day").status_code == 200


def test_members_who_do_not_manage_see_no_move_control(app, client):
    s = make_ready_session(scheduled=True)
    make_invitation(s, talent=make_talent(legal_name="Talia Able"))
    producer = next(m.user for m in s.production.members if m.role == "producer")
    pid, day = s.production_id, _local_day(s).isoformat()
    login(client, producer)
    db.session.commit()
    html = client.get(f"/productions/{pid}/calendar?view=week&date={day}").get_data(as_text=True)
    assert "Talia Able" in html and "/move" not in html and 'draggable="true"' not in html


def test_talent_have_no_calendar(app, client):
    talent = make_user("talent")
    db.session.commit()
    login(client, talent)
    assert client.get("/calendar").status_code == 403  # admins: the access matrix


def test_move_from_the_calendar_uses_the_invitation_rules_and_goes_back(app, client):
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s, talent=make_talent(legal_name="Talia Able"))
    other = make_invitation(s, talent=make_talent(legal_name="Omar Other"))
    iid, taken, target = inv.id, other.starts_at, s.starts_at + timedelta(minutes=3 * s.slot_minutes)
    back = f"/calendar?view=day&date={_local_day(s).isoformat()}"
    login(client, s.lead_casting_director)
    db.session.commit()
    refused = client.post(f"/calendar/invitations/{iid}/move", data={"starts_at": taken.isoformat(), "next": back},
                          headers={"Referer": back})
    assert refused.status_code == 303 and refused.headers["Location"].endswith(back)
    assert "already" in client.get(back).get_data(as_text=True)  # said in words on the calendar
    off_grid = client.post(f"/calendar/invitations/{iid}/move",
                           data={"starts_at": (target + timedelta(minutes=5)).isoformat()}, headers={"Referer": back})
    assert off_grid.status_code == 303
    naive = client.post(f"/calendar/invitations/{iid}/move", data={"starts_at": "2027-03-02T10:00"},
                        headers={"Referer": back})
    assert naive.status_code == 303
    db.session.expire_all()
    assert db.session.get(Invitation, iid).starts_at != target
    ok = client.post(f"/calendar/invitations/{iid}/move", data={"starts_at": target.isoformat(), "next": back})
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"{back}#invitation-{iid}")
    db.session.expire_all()
    assert db.session.get(Invitation, iid).starts_at == target
    assert db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "invitation.moved")).one()
    # An off-site "next" is ignored.
    away = client.post(f"/calendar/invitations/{iid}/move",
                       data={"starts_at": (target + timedelta(minutes=s.slot_minutes)).isoformat(),
                             "next": "//evil.example/"})
    assert away.status_code == 302 and away.headers["Location"].startswith("/calendar#")
