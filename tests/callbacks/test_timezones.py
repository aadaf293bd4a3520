"""Times in the venue's timezone: Asia/Kolkata (UTC+05:30, no DST) and America/Los_Angeles across a DST change."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar

from casting.callbacks.gate import checklist_for
from casting.callbacks.invitations import slot_grid
from casting.callbacks.notify import calendar_bytes
from casting.core.api import iso
from casting.extensions import db
from tests.callbacks.factories import make_invitation, make_ready_session, next_weekday
from tests.conftest import auth, read_outbox

LA = ZoneInfo("America/Los_Angeles")
KOLKATA = ZoneInfo("Asia/Kolkata")


def next_us_dst_start(after: date) -> date:
    """The second Sunday of March (US DST starts) on or after ``after``."""
    year = after.year if after < date(after.year, 3, 1) else after.year + 1
    first = date(year, 3, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7)


def la(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LA).astimezone(timezone.utc)


def test_kolkata_half_hour_offset_in_checklist_grid_and_calendar(app):
    s = make_ready_session(tz="Asia/Kolkata", starts_at=next_weekday(1, tz="Asia/Kolkata", hour=19), hours=1)
    assert checklist_for(s).failed_codes == []  # 19:00-20:00 IST ends exactly at closing
    s.ends_at += timedelta(minutes=30)
    assert checklist_for(s).failed_codes == ["business_hours"]
    assert "20:30 IST" in checklist_for(s).item("business_hours").detail
    s.ends_at -= timedelta(minutes=30)
    assert [a.astimezone(KOLKATA).strftime("%H:%M") for a, _ in slot_grid(s)] == ["19:00", "19:20", "19:40"]
    inv = make_invitation(s, starts_at=s.starts_at + timedelta(minutes=20))
    assert inv.starts_at.minute == 50  # 19:20 IST is 13:50 UTC
    event = icalendar.Calendar.from_ical(calendar_bytes(inv)).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Kolkata" and start.strftime("%H:%M") == "19:20"


def test_los_angeles_across_the_dst_change(app, client, outbox):
    dst = next_us_dst_start(date.today() + timedelta(days=10))
    before, after = dst - timedelta(days=5), dst + timedelta(days=2)  # Tuesday before and after
    s = make_ready_session(tz="America/Los_Angeles", starts_at=la(before, 10), scheduled=True)
    assert s.starts_at.hour == 18  # 10:00 PST = 18:00 UTC
    inv = make_invitation(s, starts_at=s.starts_at + timedelta(minutes=20))
    sid, iid, cd = s.id, inv.id, s.lead_casting_director
    db.session.commit()
    # Move the session a week later, same wall time: 10:00 PDT is 17:00 UTC.
    body = {"starts_at": f"{after}T10:00:00-07:00", "ends_at": f"{after}T13:00:00-07:00"}
    resp = client.patch(f"/api/v1/sessions/{sid}", json=body, headers=auth(cd))
    assert resp.status_code == 200, resp.json
    assert resp.json["starts_at"] == iso(la(after, 10)) and resp.json["starts_at"].endswith("T17:00:00Z")
    got = client.get(f"/api/v1/invitations/{iid}", headers=auth(cd)).json
    assert got["starts_at"] == iso(la(after, 10, 20))  # still the second slot, 10:20 local
    assert got["status"] == "invited"
    mail = read_outbox(outbox)[-1]
    assert "10:20 PDT" in mail.get_body(("plain",)).get_content()
    ics = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"][0]
    event = icalendar.Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
    assert event.decoded("dtstart").strftime("%H:%M %Z") == "10:20 PDT"
    assert int(event["sequence"]) == 1


def test_los_angeles_business_hours_follow_local_time_not_utc(app):
    dst = next_us_dst_start(date.today() + timedelta(days=10))
    after = dst + timedelta(days=2)
    s = make_ready_session(tz="America/Los_Angeles", starts_at=la(after, 19), hours=1)
    assert checklist_for(s).failed_codes == []  # 19:00-20:00 PDT
    # The same UTC time as 19:00 PST the week before would be 20:00 PDT: outside hours.
    s.starts_at, s.ends_at = la(after, 19) + timedelta(hours=1), la(after, 19) + timedelta(hours=2)
    assert checklist_for(s).failed_codes == ["business_hours"]
