"""Calendar invites every client reads right: each generated .ics is parsed by two independent parsers
(icalendar and vobject), which must agree on the instant of DTSTART for venues on both sides of DST; the
VTIMEZONE is one STANDARD and one DAYLIGHT rule with RRULEs (never RDATE lists), or the times are UTC;
a reminder; METHOD and SEQUENCE on updates and cancels (issue 10)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import icalendar
import pytest
import vobject

from casting.callbacks.notify import calendar_bytes
from casting.core.ical import vtimezone, zone_rule
from casting.extensions import db
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import auth, read_outbox

YEAR = datetime.now(timezone.utc).year + 1
UTC = timezone.utc

# Instants on both sides of each zone's DST change (southern summer in January), and the hours around a change.
CASES = [
    ("Europe/London", datetime(YEAR, 1, 12, 10, 0, tzinfo=UTC)),      # 10:00 GMT
    ("Europe/London", datetime(YEAR, 7, 13, 9, 0, tzinfo=UTC)),       # 10:00 BST
    ("Europe/London", datetime(YEAR, 12, 7, 10, 0, tzinfo=UTC)),      # the December case vobject read as 09:00
    ("America/New_York", datetime(YEAR, 1, 12, 15, 0, tzinfo=UTC)),   # 10:00 EST
    ("America/New_York", datetime(YEAR, 7, 13, 14, 0, tzinfo=UTC)),   # 10:00 EDT
    ("Australia/Sydney", datetime(YEAR, 1, 11, 23, 0, tzinfo=UTC)),   # 10:00 AEDT
    ("Australia/Sydney", datetime(YEAR, 7, 13, 0, 0, tzinfo=UTC)),    # 10:00 AEST
    ("Asia/Kolkata", datetime(YEAR, 1, 12, 4, 30, tzinfo=UTC)),       # 10:00 IST
    ("Asia/Kolkata", datetime(YEAR, 7, 13, 4, 30, tzinfo=UTC)),
]


def parse_both(data: bytes):
    """(the VEVENT as icalendar reads it, as vobject reads it, the icalendar calendar)."""
    cal = icalendar.Calendar.from_ical(data)
    [event] = cal.walk("VEVENT")
    vcal = vobject.readOne(data.decode())
    return event, vcal.vevent, cal


def _instants(data: bytes) -> tuple[datetime, datetime, datetime, datetime]:
    event, vevent, _ = parse_both(data)
    return (event.decoded("dtstart"), vevent.dtstart.value, event.decoded("dtend"), vevent.dtend.value)


def _check_vtimezone(cal, tz: str) -> None:
    zones = cal.walk("VTIMEZONE")
    if not zones:  # UTC times
        [event] = cal.walk("VEVENT")
        assert event["dtstart"].to_ical().endswith(b"Z")
        return
    [zone] = zones
    assert zone["tzid"] == tz
    standard, daylight = zone.walk("STANDARD"), zone.walk("DAYLIGHT")
    assert len(standard) == 1 and len(daylight) == (0 if tz == "Asia/Kolkata" else 1)
    for part in standard + daylight:
        assert "RDATE" not in part
        assert ("RRULE" in part) == bool(daylight)


@pytest.mark.parametrize("tz,start", CASES)
def test_both_parsers_read_the_instant_of_dtstart(app, tz, start):
    s = make_ready_session(tz=tz, starts_at=start)
    inv = make_invitation(s, starts_at=start)
    data = calendar_bytes(inv)
    ical_start, vobject_start, ical_end, vobject_end = _instants(data)
    assert ical_start == start and vobject_start == start
    assert ical_end == vobject_end == start + timedelta(minutes=s.slot_minutes)
    assert vobject_start.utcoffset() == start.astimezone(__import__("zoneinfo").ZoneInfo(tz)).utcoffset()
    event, vevent, cal = parse_both(data)
    _check_vtimezone(cal, tz)
    assert cal.walk("VTIMEZONE"), "these four zones all have an RRULE VTIMEZONE"
    [alarm] = event.walk("VALARM")
    assert alarm["action"] == "DISPLAY" and alarm.decoded("trigger") == -timedelta(hours=2)
    assert vevent.valarm.trigger.value == -timedelta(hours=2)


@pytest.mark.parametrize("tz", ["Europe/London", "America/New_York"])
def test_the_hours_around_a_change(app, tz):
    rule = zone_rule(tz)
    for transition, offset in ((rule.start, rule.std), (rule.end, rule.dst)):
        change = transition.local(YEAR) - offset  # the change, in UTC
        for instant in (change - timedelta(minutes=30), change + timedelta(minutes=30)):
            instant = instant.replace(tzinfo=UTC)
            # Around the spring change every instant has one wall time; in autumn the hour after the change
            # repeats the hour before, and an event there is written in UTC.
            repeated = transition is rule.end
            assert (vtimezone(tz, [instant]) is None) == repeated
            s = make_ready_session(tz=tz, starts_at=instant)
            s.status = "scheduled"  # in the night: outside the checklist's business hours, not this test's concern
            inv = make_invitation(s, starts_at=instant)
            ical_start, vobject_start, _, _ = _instants(calendar_bytes(inv))
            assert ical_start == vobject_start == instant


def test_a_zone_whose_rule_an_rrule_cannot_say_is_written_in_utc(app):
    # America/Nuuk changes at -01:00 local time ("M3.5.0/-1"): no one RRULE day; the times go out in UTC.
    start = datetime(YEAR, 1, 12, 13, 0, tzinfo=UTC)
    s = make_ready_session(tz="America/Nuuk", starts_at=start)
    inv = make_invitation(s, starts_at=start)
    data = calendar_bytes(inv)
    event, vevent, cal = parse_both(data)
    assert cal.walk("VTIMEZONE") == [] and b"DTSTART:" in data
    _check_vtimezone(cal, "America/Nuuk")
    assert event.decoded("dtstart") == vevent.dtstart.value == start


def _calendars(outbox):
    found = []
    for mail in read_outbox(outbox):
        for part in mail.iter_attachments():
            if part.get_content_type() == "text/calendar":
                data = part.get_payload(decode=True)
                event, vevent, cal = parse_both(data)
                assert part.get_param("method") == str(cal["method"])  # the MIME method matches the calendar's
                found.append((str(cal["method"]), int(event["sequence"]), str(event["status"]), event, vevent))
    return found


def test_updates_and_cancels_carry_method_and_sequence(app, client, outbox):
    s = make_ready_session(scheduled=True, tz="America/New_York",
                           starts_at=datetime(YEAR, 7, 13, 14, 0, tzinfo=UTC))
    inv = make_invitation(s, status="confirmed")
    sid, iid, h, uid = s.id, inv.id, auth(s.lead_casting_director), f"invitation-{inv.id}@callback"
    db.session.commit()
    first = calendar_bytes(inv)
    assert int(parse_both(first)[0]["sequence"]) == 0
    new_start = s.starts_at + timedelta(days=1)
    resp = client.patch(f"/api/v1/sessions/{sid}", json={"starts_at": new_start.isoformat(),
                                                         "ends_at": (new_start + timedelta(hours=3)).isoformat()},
                        headers=h)
    assert resp.status_code == 200, resp.json
    resp = client.post(f"/api/v1/sessions/{sid}/cancel", json={"reason": "The director is ill"}, headers=h)
    assert resp.status_code == 200
    [moved, cancelled] = _calendars(outbox)
    assert moved[:3] == ("REQUEST", 1, "CONFIRMED")
    assert moved[3].decoded("dtstart") == moved[4].dtstart.value == new_start.replace(tzinfo=UTC)
    assert moved[3].walk("VALARM")
    assert cancelled[:3] == ("CANCEL", 2, "CANCELLED")
    assert not cancelled[3].walk("VALARM")
    assert str(moved[3]["uid"]) == str(cancelled[3]["uid"]) == uid
    assert client.get(f"/api/v1/invitations/{iid}", headers=h).json["status"] == "cancelled"
