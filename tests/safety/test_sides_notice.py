"""Notice by the length of the sides (issue 14 item 7): over 3 pages 72 h, over 6 pages 96 h, counted on
working days only; page counts read once at upload."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from casting import create_app
from casting.callbacks.gate import checklist_for
from casting.callbacks.rules import Rules, parse_sides_notice, working_hours_between
from casting.config import ConfigError
from casting.extensions import db
from casting.productions.models import Side
from tests.callbacks.factories import make_ready_session, next_weekday
from tests.conftest import auth, base_config
from tests.factories import make_production, make_role, make_user
from tests.productions.factories import make_side, multipart
from tests.safety.factories import pages_pdf

LONDON = ZoneInfo("Europe/London")


def _session_with_sides(pages: int, starts_at: datetime):
    s = make_ready_session(starts_at=starts_at)
    make_side(s.roles[0], data=pages_pdf(pages))
    db.session.flush()
    db.session.expire_all()
    return s


def _item(s, now):
    return checklist_for(s, now).item("advance_notice")


def _local(d: datetime, hour: int) -> datetime:
    return datetime.combine(d.date(), datetime.min.time().replace(hour=hour), LONDON).astimezone(timezone.utc)


def test_upload_reads_the_page_count_once(client, app):
    cd = make_user("casting_director")
    role = make_role(make_production(cd), with_sides=False)
    resp = client.post(f"/api/v1/roles/{role.id}/sides", headers=auth(cd),
                       **multipart({"file": (pages_pdf(5), "scene.pdf")}))
    assert resp.status_code == 201 and resp.get_json()["pages"] == 5
    assert db.session.get(Side, resp.get_json()["id"]).page_count == 5
    # The checklist sums stored counts: it never opens a PDF.
    s = make_ready_session(roles=[role])
    with mock.patch("pypdf.PdfReader", side_effect=AssertionError("the checklist read a PDF")):
        assert checklist_for(s).item("advance_notice").passed


def test_short_sides_keep_the_flat_notice(app):
    tuesday = next_weekday(1, days_ahead=14)
    s = _session_with_sides(2, tuesday)  # with the factory's 1-page sides: 3 pages, not over 3
    assert _item(s, tuesday - timedelta(hours=49)).passed


def test_over_three_pages_need_72_working_hours(app):
    wednesday = next_weekday(2, days_ahead=14, hour=10)
    s = _session_with_sides(3, wednesday)  # 1 + 3 = 4 pages
    monday_10 = wednesday - timedelta(days=2)
    item = _item(s, monday_10)  # 48 h: the flat rule passes, the sides rule does not
    assert not item.passed
    assert "4 pages" in item.detail and "72 hours" in item.detail and "Monday to Friday" in item.detail
    assert "advance_notice" not in item.detail  # plain words, no codes
    assert not _item(s, wednesday - timedelta(hours=72)).passed  # since Sunday 10:00: 58 working hours
    assert _item(s, wednesday - timedelta(days=5)).passed  # since Friday 10:00: 14 + 24 + 24 + 10


def test_over_six_pages_need_96_working_hours(app):
    friday = next_weekday(4, days_ahead=14, hour=10)
    s = _session_with_sides(7, friday)  # Monday 10:00 to Friday 10:00 is 96 hours, all of them working days
    assert not _item(s, friday - timedelta(hours=95)).passed
    assert "96 hours" in _item(s, friday - timedelta(hours=95)).detail
    assert _item(s, friday - timedelta(hours=96)).passed


def test_a_weekend_does_not_count(app):
    # Asked on a Friday at 12:00 for sides over 3 pages: Monday 12:00 is 72 calendar hours but only 12 + 24 on
    # working days; the talent gets their 72 working hours on Wednesday at 12:00.
    friday = next_weekday(4, days_ahead=14, hour=12)
    wednesday_12 = friday + timedelta(days=5)
    s = _session_with_sides(4, wednesday_12)
    assert _item(s, friday).passed
    for when in (friday + timedelta(days=3), _local(friday + timedelta(days=4), 11)):  # Monday, Tuesday 11:00
        s.starts_at, s.ends_at = when, when + timedelta(hours=3)
        db.session.flush()
        item = _item(s, friday)
        assert not item.passed, when
    s.starts_at, s.ends_at = wednesday_12 - timedelta(minutes=1), wednesday_12 + timedelta(hours=3)
    assert not _item(s, friday).passed
    s.starts_at = wednesday_12
    assert _item(s, friday).passed


def test_scheduling_refuses_long_sides_without_notice(client, app):
    wednesday = next_weekday(2, days_ahead=14, hour=10)
    s = _session_with_sides(6, wednesday)
    cd = s.lead_casting_director
    with mock.patch("casting.callbacks.services.utcnow", return_value=wednesday - timedelta(hours=50)):
        resp = client.post(f"/api/v1/sessions/{s.id}/schedule", headers=auth(cd))
    assert resp.status_code == 409
    assert resp.get_json()["error"]["details"]["failed"] == ["advance_notice"]
    db.session.expire_all()
    assert s.status == "draft"


def test_working_hours_follow_the_venue_timezone():
    days = frozenset(range(5))
    fri = datetime(2027, 3, 5, 12, tzinfo=LONDON)
    assert working_hours_between(fri, fri + timedelta(days=3), "Europe/London", days) == 12 + 12
    assert working_hours_between(fri, fri + timedelta(days=1), "Europe/London", days) == 12
    # The same instant is still Friday in New York, a working day there.
    late = datetime(2027, 3, 6, 2, tzinfo=timezone.utc)  # Saturday 02:00 in London, Friday 21:00 in New York
    assert working_hours_between(late, late + timedelta(hours=2), "Europe/London", days) == 0
    assert working_hours_between(late, late + timedelta(hours=2), "America/New_York", days) == 2
    # The clocks go forward on Sunday 2027-03-28 in London: real hours are counted, Monday whole, Tuesday
    # from 00:00 to 13:00 summer time.
    sat = datetime(2027, 3, 27, 12, tzinfo=timezone.utc)
    assert working_hours_between(sat, sat + timedelta(days=3), "Europe/London", days) == 24 + 13
    assert working_hours_between(sat, sat + timedelta(days=3), "Europe/London", frozenset(range(7))) == 72


@pytest.mark.parametrize("value", ["3:72 6:96", "3:12", "0:72", "6:72, 3:96", "3:72, 3:96", "x", "3:"])
def test_bad_sides_notice_stops_start_up(tmp_path, value):
    with pytest.raises(ConfigError, match="CASTING_SIDES_NOTICE"):
        create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/x.db") | {"CASTING_SIDES_NOTICE": value})


@pytest.mark.parametrize("value", ["Mon-Xyz", "Funday", ","])
def test_bad_working_days_stop_start_up(tmp_path, value):
    with pytest.raises(ConfigError, match="CASTING_WORKING_DAYS"):
        create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/x.db") | {"CASTING_WORKING_DAYS": value})


def test_sides_notice_settings_parse():
    assert parse_sides_notice("3:72, 6:96") == ((3, 72), (6, 96))
    assert parse_sides_notice("none") == ()
    rules = Rules.from_config({"CASTING_SIDES_NOTICE": "2:48, 10:120", "CASTING_WORKING_DAYS": "Mon-Sat"})
    assert rules.sides_notice_hours(2) is None and rules.sides_notice_hours(3) == 48
    assert rules.sides_notice_hours(11) == 120 and rules.working_days == frozenset(range(6))


@pytest.mark.parametrize("app_config", [{"CASTING_SIDES_NOTICE": "1:120"}])
def test_sides_notice_is_configurable(app):
    tuesday = next_weekday(1, days_ahead=14)
    s = _session_with_sides(1, tuesday)  # 2 pages, over 1
    assert not _item(s, tuesday - timedelta(days=6)).passed  # 4 working days = 96 h
    assert _item(s, tuesday - timedelta(days=7)).passed  # 5 working days = 120 h
