"""casting.core.timefmt: the one local-time formatter (pages, emails, exports, reports)."""
from __future__ import annotations

from datetime import datetime, timezone

from casting.core import templating
from casting.core.timefmt import FORMATS, local_span, local_time, to_local

WINTER = datetime(2027, 3, 2, 10, 0, tzinfo=timezone.utc)   # a Tuesday
SUMMER = datetime(2027, 7, 6, 17, 20, tzinfo=timezone.utc)


def test_named_formats_in_the_venue_timezone_with_the_zone_abbreviation():
    assert local_time(WINTER, "Europe/London") == "Tue 02 Mar 2027, 10:00 GMT"
    assert local_time(SUMMER, "Europe/London") == "Tue 06 Jul 2027, 18:20 BST"
    assert local_time(SUMMER, "America/Los_Angeles", "long") == "Tuesday 06 July 2027, 10:20 PDT"
    assert local_time(WINTER, "Europe/London", "day") == "Tuesday 02 March 2027 GMT"
    assert local_time(WINTER, "Europe/London", "slot") == "Tue 02 Mar, 10:00 GMT"
    assert local_time(WINTER, "Europe/London", "weekday_time") == "Tue 02 Mar 10:00 GMT"
    assert local_time(WINTER, "Asia/Kolkata", "time") == "15:30 IST"
    assert local_time(WINTER, "Europe/London", "sheet") == "2027-03-02 10:00 GMT"
    assert set(FORMATS) >= {"default", "long", "day", "slot", "weekday_time", "time", "sheet"}


def test_strftime_patterns_utc_default_none_and_no_zone():
    assert local_time(WINTER, "Europe/Paris", "%H.%M") == "11.00 CET"
    assert local_time(WINTER) == "Tue 02 Mar 2027, 10:00 UTC"
    assert local_time(None, "Europe/London") == ""
    assert local_time(WINTER, "UTC", "sheet", zone=False) == "2027-03-02 10:00"
    assert to_local(WINTER, "Europe/Paris").hour == 11


def test_spans():
    end = WINTER.replace(hour=13)
    assert local_span(WINTER, end, "Europe/London") == "Tue 02 Mar 10:00–13:00 GMT"
    assert local_span(WINTER, end, "Europe/London", "time", zone=False) == "10:00–13:00"


def test_the_template_filter_is_the_same_function():
    assert templating.local_time is local_time
