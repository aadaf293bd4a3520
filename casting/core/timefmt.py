"""The one local-time formatter: an aware datetime shown in an IANA timezone, with the zone's abbreviation.

Pages, emails, exports and reports all format times here, with a named format (``FORMATS``) or,
for a one-off, a strftime pattern. Times are stored in UTC; people read them in the venue's timezone.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FORMATS = {
    "default": "%a %d %b %Y, %H:%M",   # pages: Tue 02 Mar 2027, 10:00 GMT
    "long": "%A %d %B %Y, %H:%M",      # emails: Tuesday 02 March 2027, 10:00 GMT
    "day": "%A %d %B %Y",              # Tuesday 02 March 2027 GMT
    "weekday_time": "%a %d %b %H:%M",  # Tue 02 Mar 10:00 GMT
    "slot": "%a %d %b, %H:%M",         # Tue 02 Mar, 10:00 GMT
    "time": "%H:%M",                   # 10:00 GMT
    "sheet": "%Y-%m-%d %H:%M",         # CSV and reports: 2027-03-02 10:00 GMT
}


def long_date(day: date | str | None) -> str:
    """A day written out, as letters and offers give every date: "Tuesday 2 March 2027". A YYYY-MM-DD string
    (a proposal's terms) is read first; nothing (None, "", a template's undefined) gives ""; a string that is
    not a date is shown as it is."""
    if not day:  # None, "", or a missing key in a template
        return ""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return day
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


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


# The one rule for which instants we take, from forms and the API alike: 1900-01-01 to the end of 2100 (UTC),
# read before any arithmetic so that ``0001-01-01T00:00+14:00`` cannot overflow and ``9999-12-31T22:00Z``
# cannot be stored to break every page that shows it.
EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2101, 1, 1, tzinfo=timezone.utc)  # exclusive
RANGE_MESSAGE = "Must be between 1900 and 2100."


class NonexistentTime(ValueError):
    """A wall time the clocks skip (a DST gap)."""


class AmbiguousTime(ValueError):
    """A wall time that happens twice (clocks go back): ``offsets`` are its two UTC offsets, first occurrence first,
    as ``+01:00`` strings."""

    def __init__(self, message: str, offsets: list[str], labels: list[str]) -> None:
        super().__init__(message)
        self.offsets, self.labels = offsets, labels


def check_range(value: date | datetime) -> None:
    """ValueError unless ``value`` (a date, an aware or naive datetime) lies in 1900-2100."""
    if not 1900 <= value.year <= 2100:
        raise ValueError(RANGE_MESSAGE)
    if isinstance(value, datetime) and value.utcoffset() is not None:
        # An offset may carry a wall time of 1900-01-01 00:00 back into 1899 (or 2100 into 2101) in UTC.
        if not EARLIEST <= value.astimezone(timezone.utc) < LATEST:
            raise ValueError(RANGE_MESSAGE)


def format_offset(offset: timedelta | None) -> str:
    """``+01:00``, ``-04:00``, ``+05:30``."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def from_local(value: datetime, tz: str | None, offset: str | None = None) -> datetime:
    """A wall time in the IANA timezone ``tz`` (a naive datetime, as a form gives it) as aware UTC.

    Never guesses: a time the clocks skip raises NonexistentTime; a time that happens twice raises
    AmbiguousTime unless ``offset`` (``+01:00``) names one of its two offsets. Out of 1900-2100: ValueError.
    """
    check_range(value)
    try:
        zone = ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown timezone {tz!r}.") from exc
    naive = value.replace(tzinfo=None)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != naive:
        before = (first - timedelta(hours=3)).astimezone(zone)
        after = (first + timedelta(hours=3)).astimezone(zone)
        raise NonexistentTime(
            f"{naive:%H:%M} does not exist on {naive:%d %b %Y} in {zone.key}: the clocks skip it "
            f"({before.tzname()} to {after.tzname()}). Choose a time before or after the change.")
    if first.utcoffset() != second.utcoffset():
        offsets = [format_offset(first.utcoffset()), format_offset(second.utcoffset())]
        chosen = {offsets[0]: first, offsets[1]: second}.get(offset or "")
        if chosen is None:
            raise AmbiguousTime(
                f"{naive:%H:%M} happens twice on {naive:%d %b %Y} in {zone.key} (the clocks go back): "
                f"choose {first.tzname()} ({offsets[0]}, the first) or {second.tzname()} ({offsets[1]}, the second).",
                offsets, [f"{naive:%H:%M} {first.tzname()} ({offsets[0]}), the first",
                          f"{naive:%H:%M} {second.tzname()} ({offsets[1]}), the second"])
        first = chosen
    result = first.astimezone(timezone.utc)
    check_range(result)
    return result
