"""Checklist settings: business hours and minimum notice.

``CASTING_BUSINESS_HOURS`` format: one or more rules separated by ``;``, each
``DAYS HH:MM-HH:MM``, where DAYS is a comma-separated list of days or day ranges
(Mon Tue Wed Thu Fri Sat Sun). Examples: ``Mon-Sat 08:00-20:00`` (the default),
``Mon-Fri 09:00-18:00; Sat 10:00-16:00``, ``Mon,Wed,Fri 08:00-20:00``. A session passes
when it starts and ends on the same local day inside one window of that day.
``CASTING_MIN_NOTICE_HOURS`` must be a whole number of hours, at least 24.
``CASTING_CHECKIN_OPENS_HOURS``: how many hours before a talent's slot check-in opens (it closes at the
session's end); a whole number from 0 to 24, default 2.

Longer sides need longer notice (the UK Equity and CDG self-tape and audition guidance): ``CASTING_SIDES_NOTICE``
lists ``PAGES:HOURS`` tiers separated by commas, e.g. ``3:72, 6:96`` (the default): sides of more than 3 pages
need at least 72 hours, of more than 6 pages at least 96 hours. Those hours are counted over working days only
(``CASTING_WORKING_DAYS``, default ``Mon-Fri``, in the venue's timezone), so a request on a Friday is not due
before the Tuesday. Hours are whole numbers of at least 24, pages whole numbers of at least 1, a longer tier never
asks for fewer hours; ``none`` turns the tiers off.

All are read and checked once, when the app starts (``init_app``, called by ``create_app``):
a bad value stops start-up with a ``ConfigError`` naming the setting. The checklist then
uses the parsed ``Rules`` kept in ``app.extensions`` (``current_rules``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from casting.config import ConfigError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIN_NOTICE_FLOOR = 24
DEFAULT_BUSINESS_HOURS = "Mon-Sat 08:00-20:00"
DEFAULT_MIN_NOTICE_HOURS = 48
DEFAULT_CHECKIN_OPENS_HOURS = 2
# Check-in opens on the callback day: never more than a day before the slot.
CHECKIN_OPENS_RANGE = (0, 24)
DEFAULT_SIDES_NOTICE = "3:72, 6:96"
DEFAULT_WORKING_DAYS = "Mon-Fri"
EXTENSION_KEY = "casting.callbacks.rules"


@dataclass(frozen=True)
class BusinessHours:
    """Opening windows per weekday (0 = Monday)."""

    windows: dict[int, tuple[tuple[time, time], ...]]

    def describe(self) -> str:
        """Human wording, e.g. 'Mon-Sat 08:00-20:00'."""
        groups: dict[tuple, list[int]] = {}
        for day in range(7):
            if self.windows.get(day):
                groups.setdefault(self.windows[day], []).append(day)
        parts = []
        for wins, days in groups.items():
            runs, start = [], days[0]
            for a, b in zip(days, days[1:] + [None]):
                if b != a + 1:
                    runs.append(DAYS[start].title() if start == a else f"{DAYS[start].title()}-{DAYS[a].title()}")
                    start = b
            hours = ", ".join(f"{o:%H:%M}-{c:%H:%M}" for o, c in wins)
            parts.append(f"{','.join(runs)} {hours}")
        return "; ".join(parts) or "never"

    def contains(self, start: datetime, end: datetime) -> bool:
        """Whether local ``start``..``end`` falls inside one window of one day."""
        if start.date() != end.date():
            return False
        return any(o <= start.time() and end.time() <= c for o, c in self.windows.get(start.weekday(), ()))


def _day(token: str, spec: str) -> int:
    try:
        return DAYS.index(token.strip().lower()[:3])
    except ValueError:
        raise ValueError(f"CASTING_BUSINESS_HOURS: unknown day {token!r} in {spec!r}") from None


def parse_business_hours(spec: str) -> BusinessHours:
    """Parse the ``CASTING_BUSINESS_HOURS`` format documented at the top of this module."""
    windows: dict[int, list[tuple[time, time]]] = {}
    rules = [r.strip() for r in (spec or "").split(";") if r.strip()]
    if not rules:
        raise ValueError("CASTING_BUSINESS_HOURS is empty")
    for rule in rules:
        m = re.fullmatch(r"([A-Za-z,\- ]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", rule)
        if not m:
            raise ValueError(f"CASTING_BUSINESS_HOURS: cannot read {rule!r}; expected e.g. 'Mon-Sat 08:00-20:00'")
        h1, m1, h2, m2 = (int(x) for x in m.group(2, 3, 4, 5))
        if h2 == 24 and m2 == 0:
            h2, m2 = 23, 59
        try:
            opens, closes = time(h1, m1), time(h2, m2)
        except ValueError:
            raise ValueError(f"CASTING_BUSINESS_HOURS: bad time in {rule!r}") from None
        if opens >= closes:
            raise ValueError(f"CASTING_BUSINESS_HOURS: {rule!r} closes before it opens")
        for part in m.group(1).split(","):
            first, _, last = part.strip().partition("-")
            a = _day(first, spec)
            b = _day(last, spec) if last else a
            days = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
            for d in days:
                windows.setdefault(d, []).append((opens, closes))
    return BusinessHours({d: tuple(sorted(w)) for d, w in windows.items()})


def parse_working_days(spec: str) -> frozenset[int]:
    """``Mon-Fri`` or ``Mon,Tue,Thu-Sat``: the weekdays (0 = Monday) whose hours count towards sides notice."""
    days: set[int] = set()
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        first, _, last = part.strip().partition("-")
        try:
            a = DAYS.index(first.strip().lower()[:3]) if len(first.strip()) >= 3 else -1
            b = DAYS.index(last.strip().lower()[:3]) if last else a
        except ValueError:
            a = b = -1
        if a < 0 or b < 0:
            raise ConfigError(f"Invalid CASTING_WORKING_DAYS: cannot read {part.strip()!r}; expected e.g. 'Mon-Fri'.")
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    if not days:
        raise ConfigError("Invalid CASTING_WORKING_DAYS: no working day given; expected e.g. 'Mon-Fri'.")
    return frozenset(days)


def parse_sides_notice(spec) -> tuple[tuple[int, int], ...]:
    """``3:72, 6:96`` -> ((3, 72), (6, 96)): sides over PAGES pages need HOURS working hours' notice."""
    if isinstance(spec, (list, tuple)):
        spec = ", ".join(f"{p}:{h}" for p, h in spec)
    if not isinstance(spec, str):
        raise ConfigError(f"Invalid CASTING_SIDES_NOTICE: {spec!r}; expected e.g. '3:72, 6:96'.")
    if spec.strip().lower() == "none":
        return ()
    tiers: list[tuple[int, int]] = []
    for part in spec.split(","):
        m = re.fullmatch(r"\s*(\d{1,4})\s*:\s*(\d{1,4})\s*", part)
        if not m:
            raise ConfigError(f"Invalid CASTING_SIDES_NOTICE: cannot read {part.strip()!r}; expected 'PAGES:HOURS' "
                              "tiers separated by commas, e.g. '3:72, 6:96' (or 'none').")
        pages, hours = int(m.group(1)), int(m.group(2))
        if pages < 1 or hours < MIN_NOTICE_FLOOR:
            raise ConfigError(f"Invalid CASTING_SIDES_NOTICE: {part.strip()!r}; pages must be at least 1 and hours "
                              f"at least {MIN_NOTICE_FLOOR}.")
        tiers.append((pages, hours))
    tiers.sort()
    for (p1, h1), (p2, h2) in zip(tiers, tiers[1:]):
        if p1 == p2 or h2 < h1:
            raise ConfigError(f"Invalid CASTING_SIDES_NOTICE: {spec!r}; each tier is for more pages than the one "
                              "before and never asks for fewer hours.")
    return tuple(tiers)


def working_hours_between(start: datetime, end: datetime, tz: str, working_days: frozenset[int]) -> float:
    """Hours from ``start`` to ``end`` (aware) that fall on working days in the timezone ``tz``: a weekend in
    between does not count. Real elapsed hours, so a DST change counts as it happens."""
    if end <= start:
        return (end - start).total_seconds() / 3600
    zone = ZoneInfo(tz)
    total = 0.0
    day: date = start.astimezone(zone).date()
    last: date = end.astimezone(zone).date()
    while day <= last:
        if day.weekday() in working_days:
            opens = datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)
            closes = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(timezone.utc)
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total / 3600


def describe_days(days: frozenset[int]) -> str:
    """Working days in words, e.g. 'Monday to Friday'."""
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{names[ordered[0]]} to {names[ordered[-1]]}"
    return ", ".join(names[d] for d in ordered)


@dataclass(frozen=True)
class Rules:
    """The configurable parts of the checklist."""

    business_hours: BusinessHours
    min_notice_hours: int
    checkin_opens_hours: int = DEFAULT_CHECKIN_OPENS_HOURS
    # (pages, hours): sides of more than ``pages`` pages need ``hours`` of notice on working days.
    sides_notice: tuple[tuple[int, int], ...] = ((3, 72), (6, 96))
    working_days: frozenset[int] = frozenset(range(5))

    def sides_notice_hours(self, pages: int) -> int | None:
        """The working hours' notice sides of ``pages`` pages need, or None when the flat notice is enough."""
        need = None
        for over, hours in self.sides_notice:
            if pages > over:
                need = hours
        return need

    @classmethod
    def from_config(cls, config) -> "Rules":
        """Read the checklist settings (module docstring); ConfigError when one is bad."""
        try:
            hours = parse_business_hours(config.get("CASTING_BUSINESS_HOURS") or DEFAULT_BUSINESS_HOURS)
        except ValueError as exc:
            raise ConfigError(f"Invalid {exc}. {_FORMAT_HINT}") from None
        sides = config.get("CASTING_SIDES_NOTICE")
        days = config.get("CASTING_WORKING_DAYS")
        return cls(hours, _min_notice(config.get("CASTING_MIN_NOTICE_HOURS")),
                   checkin_opens_hours=_checkin_opens(config.get("CASTING_CHECKIN_OPENS_HOURS")),
                   sides_notice=parse_sides_notice(DEFAULT_SIDES_NOTICE if sides is None or sides == "" else sides),
                   working_days=parse_working_days(DEFAULT_WORKING_DAYS if days is None or days == "" else days))


_FORMAT_HINT = ("The format is 'DAYS HH:MM-HH:MM', several separated by ';', "
                "e.g. 'Mon-Fri 09:00-18:00; Sat 10:00-16:00'.")


def _min_notice(raw) -> int:
    if raw is None or raw == "":
        return DEFAULT_MIN_NOTICE_HOURS
    try:
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            raise ValueError
        notice = int(raw)
    except ValueError:
        raise ConfigError(f"Invalid CASTING_MIN_NOTICE_HOURS: {raw!r} is not a whole number of hours.") from None
    if notice < MIN_NOTICE_FLOOR:
        raise ConfigError(f"Invalid CASTING_MIN_NOTICE_HOURS: {notice} is under the minimum of "
                          f"{MIN_NOTICE_FLOOR} hours' notice of a callback.")
    return notice


def _checkin_opens(raw) -> int:
    if raw is None or raw == "":
        return DEFAULT_CHECKIN_OPENS_HOURS
    low, high = CHECKIN_OPENS_RANGE
    try:
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            raise ValueError
        hours = int(raw)
    except ValueError:
        raise ConfigError(f"Invalid CASTING_CHECKIN_OPENS_HOURS: {raw!r} is not a whole number of hours.") from None
    if not low <= hours <= high:
        raise ConfigError(f"Invalid CASTING_CHECKIN_OPENS_HOURS: {hours} is not between {low} and {high} hours "
                          "(check-in opens on the callback day).")
    return hours


def init_app(app: Flask) -> Rules:
    """Parse and check the checklist settings once, at start-up, and keep them on the app."""
    rules = Rules.from_config(app.config)
    app.extensions[EXTENSION_KEY] = rules
    return rules


def current_rules() -> Rules:
    """The checklist settings of the running app (parsed by ``init_app``)."""
    return current_app.extensions[EXTENSION_KEY]
