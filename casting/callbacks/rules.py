"""Checklist settings: business hours and minimum notice.

``CASTING_BUSINESS_HOURS`` format: one or more rules separated by ``;``, each
``DAYS HH:MM-HH:MM``, where DAYS is a comma-separated list of days or day ranges
(Mon Tue Wed Thu Fri Sat Sun). Examples: ``Mon-Sat 08:00-20:00`` (the default),
``Mon-Fri 09:00-18:00; Sat 10:00-16:00``, ``Mon,Wed,Fri 08:00-20:00``. A session passes
when it starts and ends on the same local day inside one window of that day.
``CASTING_MIN_NOTICE_HOURS`` must be a whole number of hours, at least 24.
``CASTING_CHECKIN_OPENS_HOURS``: how many hours before a talent's slot check-in opens (it closes at the
session's end); a whole number from 0 to 24, default 2.

All are read and checked once, when the app starts (``init_app``, called by ``create_app``):
a bad value stops start-up with a ``ConfigError`` naming the setting. The checklist then
uses the parsed ``Rules`` kept in ``app.extensions`` (``current_rules``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from flask import Flask, current_app

from casting.config import ConfigError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIN_NOTICE_FLOOR = 24
DEFAULT_BUSINESS_HOURS = "Mon-Sat 08:00-20:00"
DEFAULT_MIN_NOTICE_HOURS = 48
DEFAULT_CHECKIN_OPENS_HOURS = 2
# Check-in opens on the callback day: never more than a day before the slot.
CHECKIN_OPENS_RANGE = (0, 24)
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


@dataclass(frozen=True)
class Rules:
    """The configurable parts of the checklist."""

    business_hours: BusinessHours
    min_notice_hours: int
    checkin_opens_hours: int = DEFAULT_CHECKIN_OPENS_HOURS

    @classmethod
    def from_config(cls, config) -> "Rules":
        """Read ``CASTING_BUSINESS_HOURS``, ``CASTING_MIN_NOTICE_HOURS`` and ``CASTING_CHECKIN_OPENS_HOURS``;
        ConfigError when one is bad."""
        try:
            hours = parse_business_hours(config.get("CASTING_BUSINESS_HOURS") or DEFAULT_BUSINESS_HOURS)
        except ValueError as exc:
            raise ConfigError(f"Invalid {exc}. {_FORMAT_HINT}") from None
        return cls(hours, _min_notice(config.get("CASTING_MIN_NOTICE_HOURS")),
                   _checkin_opens(config.get("CASTING_CHECKIN_OPENS_HOURS")))


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
