"""Checklist settings: business hours and minimum notice.

``CASTING_BUSINESS_HOURS`` format: one or more rules separated by ``;``, each
``DAYS HH:MM-HH:MM``, where DAYS is a comma-separated list of days or day ranges
(Mon Tue Wed Thu Fri Sat Sun). Examples: ``Mon-Sat 08:00-20:00`` (the default),
``Mon-Fri 09:00-18:00; Sat 10:00-16:00``, ``Mon,Wed,Fri 08:00-20:00``. A session passes
when it starts and ends on the same local day inside one window of that day.
``CASTING_MIN_NOTICE_HOURS`` is clamped to at least 24.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIN_NOTICE_FLOOR = 24


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

    @classmethod
    def from_config(cls, config) -> "Rules":
        """Read ``CASTING_BUSINESS_HOURS`` and ``CASTING_MIN_NOTICE_HOURS`` (never under 24)."""
        hours = parse_business_hours(config.get("CASTING_BUSINESS_HOURS") or "Mon-Sat 08:00-20:00")
        notice = int(config.get("CASTING_MIN_NOTICE_HOURS") or 48)
        return cls(hours, max(MIN_NOTICE_FLOOR, notice))
