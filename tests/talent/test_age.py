"""Age and minor status: calendar birthdays, one rule for the whole app (casting/talent/age.py)."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from casting.decisions.terms import is_minor
from casting.documents.context import talent_dict
from casting.extensions import db
from casting.talent.age import ADULT_AGE, age_on, is_minor_on
from casting.talent.models import TalentProfile
from tests.conftest import auth, count
from tests.factories import make_user


def birthday_years_before(day: date, years: int, *, feb29_falls_on: int) -> date:
    """``day`` ``years`` earlier; a 29 February that year does not have becomes 28 Feb or 1 Mar."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28) if feb29_falls_on == 28 else date(day.year - years, 3, 1)


def test_adult_age_is_18():
    assert ADULT_AGE == 18


@pytest.mark.parametrize("dob,day,age", [
    (date(2008, 6, 15), date(2026, 6, 14), 17),
    (date(2008, 6, 15), date(2026, 6, 15), 18),
    (date(2008, 6, 15), date(2026, 6, 16), 18),
    (date(2008, 1, 1), date(2025, 12, 31), 17),
    (date(2008, 1, 1), date(2026, 1, 1), 18),
    # Born on 29 February: a year older on 1 March in common years, on 29 February in leap years.
    (date(2008, 2, 29), date(2026, 2, 28), 17),
    (date(2008, 2, 29), date(2026, 3, 1), 18),
    (date(2004, 2, 29), date(2022, 2, 28), 17),
    (date(2004, 2, 29), date(2022, 3, 1), 18),
    (date(2010, 2, 28), date(2028, 2, 28), 18),
    (date(2012, 2, 29), date(2030, 2, 28), 17),
    (date(2012, 2, 29), date(2030, 3, 1), 18),
    (date(2008, 2, 29), date(2032, 2, 29), 24),
    (date(2008, 2, 29), date(2032, 2, 28), 23),
])
def test_age_counts_calendar_birthdays(dob, day, age):
    assert age_on(dob, day) == age
    assert is_minor_on(dob, day) is (age < 18)


def test_unknown_date_of_birth_has_no_age_and_is_not_a_minor():
    assert age_on(None, date(2026, 1, 1)) is None
    assert is_minor_on(None, date(2026, 1, 1)) is False


def test_three_days_short_of_18_is_a_minor():
    # 18 * 365 days is fewer than 18 years (leap days): the old day-count rule called this talent an adult.
    day = date(2026, 5, 10)
    dob = date(2008, 5, 13)
    assert (day - dob).days >= 18 * 365
    assert is_minor_on(dob, day)


def test_offer_terms_use_the_same_rule():
    day = date(2026, 5, 10)
    assert is_minor(SimpleNamespace(date_of_birth=date(2008, 5, 11)), {}, today=day)
    assert not is_minor(SimpleNamespace(date_of_birth=date(2008, 5, 10)), {}, today=day)
    # Under 18 today, 18 by the first day of work: still a minor.
    assert is_minor(SimpleNamespace(date_of_birth=date(2008, 5, 11)), {"start_date": "2026-06-01"}, today=day)
    assert not is_minor(SimpleNamespace(date_of_birth=None), {}, today=day)


def test_documents_print_the_same_rule():
    day = date(2026, 2, 28)
    talent = TalentProfile(legal_name="Leap Kid", email="leap@example.com", date_of_birth=date(2008, 2, 29))
    assert talent_dict(talent, day)["age"] == 17 and talent_dict(talent, day)["minor"] is True
    assert talent_dict(talent, date(2026, 3, 1))["minor"] is False


def _add_talent(client, cd, dob: date, email: str):
    return client.post("/api/v1/talent", headers=auth(cd), json={
        "legal_name": "Edge Case", "email": email, "date_of_birth": dob.isoformat()})


def test_talent_turning_18_tomorrow_needs_a_guardian(client, app):
    cd = make_user("casting_director")
    db.session.commit()
    dob = birthday_years_before(date.today() + timedelta(days=1), 18, feb29_falls_on=3)
    resp = _add_talent(client, cd, dob, "edge1@example.com")
    assert resp.status_code == 422, resp.get_json()
    assert "guardian_name" in resp.get_json()["error"]["details"]["fields"]
    assert count(TalentProfile) == 0


def test_talent_turning_18_today_is_an_adult(client, app):
    cd = make_user("casting_director")
    db.session.commit()
    dob = birthday_years_before(date.today(), 18, feb29_falls_on=28)
    resp = _add_talent(client, cd, dob, "edge2@example.com")
    assert resp.status_code == 201, resp.get_json()


def test_talent_three_days_short_of_18_needs_a_guardian(client, app):
    cd = make_user("casting_director")
    db.session.commit()
    dob = birthday_years_before(date.today() + timedelta(days=3), 18, feb29_falls_on=3)
    resp = _add_talent(client, cd, dob, "edge3@example.com")
    assert resp.status_code == 422
