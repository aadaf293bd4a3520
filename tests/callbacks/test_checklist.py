"""The checklist: a ready fixture passes every item; breaking one thing fails exactly that item."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from casting import create_app
from casting.callbacks import gate
from casting.callbacks.checklist import CODES, Rules, parse_business_hours
from casting.callbacks.gate import checklist_for
from casting.callbacks.models import Attestation
from casting.config import ConfigError
from casting.extensions import db
from tests.callbacks.factories import make_ready_session, next_weekday
from tests.conftest import base_config
from tests.factories import make_role, make_user


def failed(session, now=None):
    db.session.flush()
    db.session.expire_all()
    return checklist_for(session, now).failed_codes


def test_ready_session_passes_every_item_in_order(app):
    s = make_ready_session()
    result = checklist_for(s)
    assert [i.code for i in result.items] == list(CODES)
    assert result.ready, [(i.code, i.detail) for i in result.items if i.failed]
    by_code = {i.code: i for i in result.items}
    assert not by_code["intimacy_safeguards"].applicable and not by_code["recording_terms"].applicable
    assert all(i.detail for i in result.items)
    assert result.to_dict()["ready"] is True
    assert set(result.to_dict()["items"][0]) == {"code", "title", "applicable", "passed", "detail"}


def _unverify_company(s):
    s.production.company.verified_at = None
    s.production.company.verified_by_id = None


def _company_verified_by_creator(s):
    s.production.company.verified_by_id = s.production.company.created_by_id


def _unverify_lead(s):
    s.lead_casting_director.credential.verified_at = None


def _vague_role(s):
    s.roles[0].description = "We are looking for flexible talent for various projects across the year, apply now."


def _short_role(s):
    s.roles[0].description = "Lead role, 30s."


def _no_attestation(s):
    for a in list(s.attestations):
        db.session.delete(a)


def _producer_attested_only(s):
    _no_attestation(s)
    producer = next(m.user for m in s.production.members if m.role == "producer")
    db.session.add(Attestation(session_id=s.id, code="no_fees", statement="none", attested_by_id=producer.id))


def _fee_in_role_text(s):
    s.roles[0].description += " A small registration fee secures your place on the day."


def _fee_in_title(s):
    s.title = "Callbacks (deposit payable on arrival)"


def _hotel(s):
    s.venue.kind = "hotel_room"


def _no_address(s):
    s.venue.address = "London"


def _virtual_without_link(s):
    s.venue.kind = "virtual"
    s.venue.meeting_url = None


def _evening(s):
    start = next_weekday(1, hour=19, tz=s.venue.timezone)
    s.starts_at, s.ends_at = start, start + timedelta(hours=3)


def _sunday(s):
    start = next_weekday(6, hour=10, tz=s.venue.timezone)
    s.starts_at, s.ends_at = start, start + timedelta(hours=2)


def _panel_of_one(s):
    s.panel = [s.lead_casting_director]


def _panel_without_cd(s):
    director = make_user("producer", name="Dee Director")
    from casting.productions.models import ProductionMember

    db.session.add(ProductionMember(production_id=s.production_id, user_id=director.id, role="director"))
    producer = next(m.user for m in s.production.members if m.role == "producer")
    s.panel = [producer, director]


def _no_sides(s):
    s.roles = [*s.roles, make_role(s.production, with_sides=False)]


def _no_safeguarding(s):
    s.production.safeguarding_contact = ""


def _unreachable_safeguarding(s):
    s.production.safeguarding_contact = "Priya Shah"


def _intimacy_without_coordinator(s):
    s.roles[0].nudity_or_intimacy = True
    s.roles[0].nudity_or_intimacy_details = "A kissing scene and a partially clothed scene in a bedroom."


def _intimacy_without_details(s):
    coordinator = make_user("producer", name="Ines Coordinator")
    from casting.productions.models import ProductionMember

    db.session.add(ProductionMember(production_id=s.production_id, user_id=coordinator.id, role="intimacy_coordinator"))
    s.panel = [*s.panel, coordinator]
    s.roles[0].nudity_or_intimacy = True
    s.roles[0].nudity_or_intimacy_details = "Kissing."


def _recorded_without_terms(s):
    s.recorded = True
    s.recording_use = "For us."


BREAKERS = [
    ("company_verified", _unverify_company), ("company_verified", _company_verified_by_creator),
    ("casting_director_verified", _unverify_lead),
    ("roles_specific", _vague_role), ("roles_specific", _short_role),
    ("no_fees", _no_attestation), ("no_fees", _producer_attested_only), ("no_fees", _fee_in_role_text),
    ("no_fees", _fee_in_title),
    ("professional_venue", _hotel), ("professional_venue", _no_address), ("professional_venue", _virtual_without_link),
    ("business_hours", _evening), ("business_hours", _sunday),
    ("panel_of_two", _panel_of_one), ("panel_of_two", _panel_without_cd),
    ("sides_uploaded", _no_sides),
    ("safeguarding_contact", _no_safeguarding), ("safeguarding_contact", _unreachable_safeguarding),
    ("intimacy_safeguards", _intimacy_without_coordinator), ("intimacy_safeguards", _intimacy_without_details),
    ("recording_terms", _recorded_without_terms),
]


@pytest.mark.parametrize("code,breaker", BREAKERS, ids=[b.__name__.strip("_") for _, b in BREAKERS])
def test_breaking_one_thing_fails_exactly_that_item(app, code, breaker):
    s = make_ready_session()
    breaker(s)
    result_failed = failed(s)
    assert result_failed == [code]
    item = checklist_for(s).item(code)
    assert item.applicable and not item.passed and item.fix is not None and len(item.detail) > 20


def test_advance_notice_counts_from_the_moment_of_scheduling(app):
    s = make_ready_session()
    assert failed(s, now=s.starts_at - timedelta(hours=48)) == []
    assert failed(s, now=s.starts_at - timedelta(hours=47)) == ["advance_notice"]
    assert failed(s, now=s.starts_at + timedelta(hours=1)) == ["advance_notice"]


@pytest.mark.parametrize("app_config", [{"CASTING_MIN_NOTICE_HOURS": 72}])
def test_min_notice_is_configurable(app):
    s = make_ready_session()
    assert failed(s, now=s.starts_at - timedelta(hours=60)) == ["advance_notice"]
    assert failed(s, now=s.starts_at - timedelta(hours=73)) == []


@pytest.mark.parametrize("app_config", [{"CASTING_MIN_NOTICE_HOURS": "24"}])
def test_min_notice_may_be_as_low_as_24(app):
    s = make_ready_session()
    assert Rules.from_config(app.config).min_notice_hours == 24
    assert failed(s, now=s.starts_at - timedelta(hours=20)) == ["advance_notice"]
    assert failed(s, now=s.starts_at - timedelta(hours=25)) == []


@pytest.mark.parametrize("app_config,failures", [
    ({"CASTING_BUSINESS_HOURS": "Mon-Fri 12:00-18:00"}, ["business_hours"]),
    ({"CASTING_BUSINESS_HOURS": "Tue 09:00-13:00; Sat 10:00-14:00"}, []),
])
def test_business_hours_are_configurable(app, failures):
    s = make_ready_session()  # Tuesday 10:00-13:00
    assert failed(s) == failures


def test_settings_are_parsed_once_at_start_up(app):
    s = make_ready_session()
    before = gate.rules()
    app.config["CASTING_BUSINESS_HOURS"] = "Mon-Fri 12:00-18:00"
    assert gate.rules() is before and failed(s) == []


@pytest.mark.parametrize("setting,value,problem", [
    ("CASTING_BUSINESS_HOURS", "Xyz 08:00-20:00", "unknown day 'Xyz'"),
    ("CASTING_BUSINESS_HOURS", "Mon-Sat", "cannot read 'Mon-Sat'"),
    ("CASTING_BUSINESS_HOURS", "Mon 20:00-08:00", "closes before it opens"),
    ("CASTING_BUSINESS_HOURS", "Mon 25:00-26:00", "bad time"),
    ("CASTING_MIN_NOTICE_HOURS", 1, "1 is under the minimum of 24"),
    ("CASTING_MIN_NOTICE_HOURS", 0, "0 is under the minimum of 24"),
    ("CASTING_MIN_NOTICE_HOURS", "soon", "'soon' is not a whole number"),
])
def test_a_bad_setting_stops_start_up_naming_it(tmp_path, setting, value, problem):
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(ConfigError) as caught:
        create_app({**config, setting: value})
    message = str(caught.value)
    assert message.startswith(f"Invalid {setting}: ") and problem in message
    assert isinstance(caught.value, RuntimeError)


def test_a_bad_environment_number_stops_start_up_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CASTING_MIN_NOTICE_HOURS", "two days")
    with pytest.raises(ConfigError, match="CASTING_MIN_NOTICE_HOURS"):
        create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}"))


def test_intimacy_and_recording_pass_when_done_properly(app):
    s = make_ready_session(recorded=True, recording_use="Shared only with the director and producers for casting; "
                                                         "deleted 90 days after the role is cast.")
    _intimacy_without_details(s)
    s.roles[0].nudity_or_intimacy_details = "A partially clothed bedroom scene with a kiss; modesty garments worn."
    result = checklist_for(s)
    assert result.ready
    assert result.item("intimacy_safeguards").applicable and result.item("recording_terms").applicable


def test_business_hours_format():
    hours = parse_business_hours("Mon-Fri 09:00-18:00; Sat,Sun 10:00-14:00")
    assert hours.describe() == "Mon-Fri 09:00-18:00; Sat-Sun 10:00-14:00"
    assert parse_business_hours("Mon-Sat 08:00-20:00").describe() == "Mon-Sat 08:00-20:00"
    assert parse_business_hours("Fri-Mon 08:00-20:00").windows.keys() == {4, 5, 6, 0}
    for bad in ("", "Mon-Sat", "Xyz 08:00-20:00", "Mon 20:00-08:00", "Mon 25:00-26:00"):
        with pytest.raises(ValueError):
            parse_business_hours(bad)


def test_the_attestation_is_dated_in_the_venues_time(app):
    """The passing no-fees item says who attested and when, in the venue's zone (as every time a person reads)."""
    s = make_ready_session()
    s.venue.timezone = "America/New_York"
    db.session.flush()
    attestation = s.attestations[-1]
    detail = {i.code: i for i in checklist_for(s).items}["no_fees"].detail
    local = attestation.attested_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{local:%a %d %b %Y, %H:%M} {local.tzname()}" in detail
    assert "UTC" not in detail
