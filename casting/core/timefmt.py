"""The one local-time formatter: an aware datetime shown in an IANA timezone, with the zone's abbreviation.

Pages, emails, exports and reports all format times here, with a named format (``FORMATS``) or,
for a one-off, a strftime pattern. Times are stored in UTC; people read them in the venue's timezone.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

FORMATS = {
    "default": "%a %d %b %Y, %H:%M",   # pages: Tue 02 Mar 2027, 10:00 GMT
    "long": "%A %d %B %Y, %H:%M",      # emails: Tuesday 02 March 2027, 10:00 GMT
    "day": "%A %d %B %Y",              # Tuesday 02 March 2027 GMT
    "weekday_time": "%a %d %b %H:%M",  # Tue 02 Mar 10:00 GMT
    "slot": "%a %d %b, %H:%M",         # Tue 02 Mar, 10:00 GMT
    "time": "%H:%M",                   # 10:00 GMT
    "sheet": "%Y-%m-%d %H:%M",         # CSV and reports: 2027-03-02 10:00 GMT
}


def to_local(dt: datetime, tz: str | None) -> datetime:
    """``dt`` (aware) in the IANA timezone ``tz`` (UTC when None)."""
    return dt.astimezone(ZoneInfo(tz or "UTC"))


def local_time(dt: datetime | None, tz: str | None = None, fmt: str = "default", *, zone: bool = True) -> str:
    """``dt`` as wall time in ``tz`` (UTC when None), followed by the zone's abbreviation unless ``zone`` is False.

    ``fmt`` is a name in ``FORMATS`` or a strftime pattern. None formats as "".
    """
    if dt is None:
        return ""
    value = to_local(dt, tz)
    text = value.strftime(FORMATS.get(fmt, fmt))
    return f"{text} {value.tzname()}" if zone else text


def local_span(start: datetime, end: datetime, tz: str | None, fmt: str = "weekday_time", *,
               zone: bool = True) -> str:
    """A start and end on one line, e.g. ``Tue 02 Mar 10:00–13:00 GMT`` (the zone of the start)."""
    text = f"{local_time(start, tz, fmt, zone=False)}–{local_time(end, tz, 'time', zone=False)}"
    return f"{text} {to_local(start, tz).tzname()}" if zone else text
