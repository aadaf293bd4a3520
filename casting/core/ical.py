"""Calendar (.ics) times every client reads right: a VTIMEZONE of one STANDARD and one DAYLIGHT rule with RRULEs
(what Outlook writes and expects), built from the zone's current rule, or UTC times when the zone has no such rule.

icalendar's ``add_missing_timezones`` lists every transition as an RDATE between 1970 and 2038, which Outlook is
known to misread and vobject reads an hour off (a 10:00 GMT callback in December as 09:00 UTC). The current rule
of a zone is the POSIX TZ string at the end of its TZif file (``GMT0BST,M3.5.0/1,M10.5.0`` for Europe/London);
a VTIMEZONE is made from it only when it gives the same UTC offset as the tz database at every instant the
calendar names and none of them is a wall time that happens twice; otherwise the times are written in UTC.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from zoneinfo import TZPATH, ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_NAME = r"(?:<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"[+-]?\d{1,3}(?::\d{2}){0,2}"
_POSIX = re.compile(rf"^(?P<std>{_NAME})(?P<stdoff>{_OFFSET})"
                    rf"(?:(?P<dst>{_NAME})(?P<dstoff>{_OFFSET})?,(?P<start>[^,]+),(?P<end>[^,]+))?$")
_RULE = re.compile(r"^M(?P<month>\d{1,2})\.(?P<week>[1-5])\.(?P<day>[0-6])(?:/(?P<time>[+-]?\d{1,3}(?::\d{2}){0,2}))?$")
# RRULE BYDAY names, POSIX day 0 = Sunday.
_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")


def _duration(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")] + [0, 0]
    return sign * timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2])


@dataclass(frozen=True)
class Transition:
    """``M<month>.<week>.<day>/<time>``: the ``week``-th (5 = last) ``day`` of ``month`` at local ``time``."""
    month: int
    week: int
    weekday: int  # 0 = Sunday
    time: timedelta

    def local(self, year: int) -> datetime:
        """The wall time (in the offset in force before it) of this transition in ``year``."""
        first = date(year, self.month, 1)
        # Python's weekday(): Monday = 0; POSIX: Sunday = 0.
        day = first + timedelta(days=(self.weekday - (first.weekday() + 1) % 7) % 7 + 7 * (self.week - 1))
        while day.month != self.month:  # week 5 means the last one in the month
            day -= timedelta(days=7)
        return datetime.combine(day, datetime.min.time()) + self.time

    def rrule(self) -> dict:
        return {"freq": "yearly", "bymonth": self.month,
                "byday": f"{-1 if self.week == 5 else self.week}{_DAYS[self.weekday]}"}


@dataclass(frozen=True)
class ZoneRule:
    """A zone's current rule: standard offset, and when it has one, the daylight offset and its two transitions."""
    std_name: str
    std: timedelta
    dst_name: str | None = None
    dst: timedelta | None = None
    start: Transition | None = None  # into daylight time
    end: Transition | None = None    # back to standard time

    def offset_at(self, instant: datetime) -> timedelta:
        """The UTC offset this rule gives at an aware ``instant``."""
        if self.start is None:
            return self.std
        year = (instant.astimezone(timezone.utc) + self.std).year
        begins = self.start.local(year) - self.std
        ends = self.end.local(year) - self.dst
        t = instant.astimezone(timezone.utc).replace(tzinfo=None)
        in_dst = begins <= t < ends if begins < ends else (t >= begins or t < ends)
        return self.dst if in_dst else self.std


def _transition(text: str) -> Transition | None:
    m = _RULE.match(text)
    if not m:
        return None  # Julian-day rules (Jn, n): no zone in use has one with daylight time
    time = _duration(m["time"]) if m["time"] else timedelta(hours=2)
    if not timedelta(0) <= time < timedelta(hours=24):
        return None  # e.g. America/Nuuk's "/-1": not one RRULE day; written in UTC instead
    return Transition(int(m["month"]), int(m["week"]), int(m["day"]), time)


def zone_rule(key: str) -> ZoneRule | None:
    """The current rule of the IANA zone ``key`` from its TZif footer, or None when it cannot be read."""
    data = _tzif(key)
    if not data or not data.startswith(b"TZif") or data[4:5] < b"2":
        return None
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii", "replace")
    m = _POSIX.match(footer)
    if not m:
        return None
    std = -_duration(m["stdoff"])  # POSIX offsets are west-positive
    if not m["dst"]:
        return ZoneRule(m["std"].strip("<>"), std)
    dst = -_duration(m["dstoff"]) if m["dstoff"] else std + timedelta(hours=1)
    start, end = _transition(m["start"]), _transition(m["end"])
    if start is None or end is None:
        return None
    return ZoneRule(m["std"].strip("<>"), std, m["dst"].strip("<>"), dst, start, end)


def _tzif(key: str) -> bytes | None:
    if not re.fullmatch(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*", key):
        return None
    for base in TZPATH:
        path = os.path.join(base, key)
        if os.path.isfile(path):
            with open(path, "rb") as fh:
                return fh.read()
    try:  # the tzdata package, where the system has no zone files
        return resources.files("tzdata.zoneinfo").joinpath(*key.split("/")).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


def vtimezone(key: str, instants: list[datetime]) -> Timezone | None:
    """A VTIMEZONE for ``key`` (one STANDARD, and one DAYLIGHT with RRULEs when the zone has daylight time), or
    None when its current rule does not give the tz database's offset at each of ``instants``: then write UTC."""
    rule = zone_rule(key)
    zone = ZoneInfo(key)
    if rule is None or any(rule.offset_at(t) != t.astimezone(zone).utcoffset() for t in instants):
        return None
    # A wall time that happens twice (01:30 the night the clocks go back) means its first occurrence in
    # iCalendar (RFC 5545 3.3.5): an event at the second one can only be said in UTC.
    for t in instants:
        local = t.astimezone(zone)
        if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
            return None
    tz = Timezone()
    tz.add("tzid", key)
    if rule.start is None:
        std = TimezoneStandard()
        std.add("tzname", rule.std_name)
        std.add("dtstart", datetime(1970, 1, 1))
        std.add("tzoffsetfrom", rule.std)
        std.add("tzoffsetto", rule.std)
        tz.add_component(std)
        return tz
    for kind, transition, before, after, name in (
            (TimezoneDaylight, rule.start, rule.std, rule.dst, rule.dst_name),
            (TimezoneStandard, rule.end, rule.dst, rule.std, rule.std_name)):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", transition.local(1970))  # a first onset, as Outlook writes it
        part.add("rrule", transition.rrule())
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        tz.add_component(part)
    return tz
