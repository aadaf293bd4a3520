"""Talent under 18: the guardian signs too, and a blocked trust account where the law requires one."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from casting.core.db import utcnow
from casting.decisions.models import Proposal
from casting.decisions.terms import is_minor
from casting.extensions import db
from tests.conftest import auth, count, read_outbox
from tests.decisions.helpers import mail_text
from tests.decisions.factories import make_casting
from tests.factories import make_shortlist_entry, make_talent


def _years_ago(n: int, days: int = 0) -> date:
    today = utcnow().date()
    return today.replace(year=today.year - n) - timedelta(days=days)


@pytest.fixture
def c(app):
    world = make_casting(called_back=1)
    world.minor = make_talent(legal_name="Milo Young", date_of_birth=_years_ago(12), guardian_name="Gina Young",
                              guardian_email="gina.young@example.com")
    world.orphan = make_talent(legal_name="Nico Alone", date_of_birth=_years_ago(15))
    for t in (world.minor, world.orphan):
        make_shortlist_entry(world.role, t, by=world.cd)
    db.session.commit()
    return world


def _propose(client, c, talent, jurisdiction, trust_account=None):
    body = {"talent_id": talent.id, "terms": {"compensation": "$900 a day", "jurisdiction": jurisdiction}}
    if trust_account is not None:
        body["trust_account"] = trust_account
    return client.post(f"/api/v1/roles/{c.role.id}/proposals", json=body, headers=auth(c.cd))


@pytest.mark.parametrize("jurisdiction", ["US-CA", "US-NY"])
def test_trust_account_required_where_the_law_says(client, c, jurisdiction):
    resp = _propose(client, c, c.minor, jurisdiction)
    assert resp.status_code == 422
    [message] = resp.json["error"]["details"]["fields"]["trust_account"]
    assert ("Coogan" if jurisdiction == "US-CA" else "child performer trust") in message
    assert count(Proposal) == 0
    resp = _propose(client, c, c.minor, jurisdiction, "First Coast Bank, Coogan account 00-1234-5678")
    assert resp.status_code == 201
    assert resp.json["trust_account"] == "First Coast Bank, Coogan account 00-1234-5678"
    assert resp.json["guardian_signature_required"] is True


def test_no_trust_account_needed_elsewhere_but_guardian_is(client, c, outbox):
    resp = _propose(client, c, c.minor, "GB")
    assert resp.status_code == 201 and resp.json["trust_account"] is None
    assert resp.json["guardian_signature_required"] is True
    resp = client.post(f"/api/v1/proposals/{resp.json['id']}/approve", json={}, headers=auth(c.producer))
    assert resp.status_code == 200
    offer = next(m for m in read_outbox(outbox) if m["Subject"].startswith("Offer:"))
    assert offer["To"] == c.minor.email
    assert "Gina Young" in mail_text(offer) and "under 18" in mail_text(offer)


def test_minor_without_a_guardian_cannot_be_proposed(client, c):
    resp = _propose(client, c, c.orphan, "GB")
    assert resp.status_code == 422 and "guardian" in resp.json["error"]["details"]["fields"]["talent_id"][0]
    assert count(Proposal) == 0


def test_adults_get_no_trust_account(client, c):
    resp = _propose(client, c, c.talents[0], "US-CA", "Some account")
    assert resp.status_code == 422 and "trust_account" in resp.json["error"]["details"]["fields"]
    resp = _propose(client, c, c.talents[0], "US-CA")
    assert resp.status_code == 201 and resp.json["guardian_signature_required"] is False


def test_minor_on_the_first_day_or_today():
    class T:
        def __init__(self, dob):
            self.date_of_birth = dob

        def age_on(self, day):
            from casting.talent.models import TalentProfile

            return TalentProfile.age_on(self, day)

    today = date(2027, 3, 1)
    seventeen = T(date(2009, 6, 1))          # 17 today, 18 from 2027-06-01
    assert is_minor(seventeen, {}, today)
    assert is_minor(seventeen, {"start_date": "2027-07-01"}, today)   # still signs as a minor
    assert not is_minor(T(date(2000, 1, 1)), {"start_date": "2027-07-01"}, today)
    assert not is_minor(T(None), {}, today)
