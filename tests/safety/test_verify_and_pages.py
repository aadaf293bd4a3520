"""Checking a letter by place and time, the company registry links, and the public safety page."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from casting.documents import services as documents
from casting.extensions import db
from tests.calls.factories import calls_world
from tests.documents.factories import make_callback
from tests.documents.helpers import by_kind
from tests.factories import at

COMPANIES_HOUSE = "https://find-and-update.company-information.service.gov.uk/search/companies?q="


@pytest.fixture
def letters(app):
    # 18:00 UTC in New York's winter is 13:00 local: the page must show the venue's wall time.
    inv = make_callback(tz="America/New_York", starts=at(2027, 3, 2, 13, 0, tz="America/New_York"))
    docs = by_kind(documents.issue_invitation_documents(inv, actor=None))
    db.session.commit()
    return inv, docs


def test_verify_api_gives_the_talents_slot_venue_and_role(client, letters):
    inv, docs = letters
    body = client.get(f"/api/v1/verify/{docs['callback_confirmation'].verification_code}").get_json()
    venue = inv.session.venue
    assert body["role"] == inv.role.name
    assert body["session"] == {"starts_at": "2027-03-02T18:00:00Z", "ends_at": "2027-03-02T18:20:00Z",
                               "venue_name": venue.name, "venue_address": venue.address,
                               "timezone": "America/New_York"}
    # The talent's own slot, not the session's start.
    assert inv.starts_at == datetime(2027, 3, 2, 18, 0, tzinfo=timezone.utc)


def test_a_later_slot_answers_its_own_start(client, app):
    inv = make_callback(starts=at(2027, 3, 2, 10, 0, tz="Europe/London"))
    inv.starts_at = at(2027, 3, 2, 11, 20, tz="Europe/London")
    inv.ends_at = at(2027, 3, 2, 11, 40, tz="Europe/London")
    doc = by_kind(documents.issue_invitation_documents(inv, actor=None))["callback_confirmation"]
    db.session.commit()
    body = client.get(f"/api/v1/verify/{doc.verification_code}").get_json()
    assert body["session"]["starts_at"] == "2027-03-02T11:20:00Z"


def test_other_documents_carry_no_callback_facts(client, app):
    inv = make_callback(recorded=True)
    docs = by_kind(documents.issue_invitation_documents(inv, actor=None))
    db.session.commit()
    body = client.get(f"/api/v1/verify/{docs['recording_release'].verification_code}").get_json()
    assert "session" not in body and "role" not in body


def test_verify_page_shows_role_date_time_and_place_in_the_venues_timezone(client, letters):
    inv, docs = letters
    code = docs["callback_confirmation"].verification_code
    html = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Compare these with your letter" in html
    assert inv.role.name in html and "Tuesday 02 March 2027" in html and "13:00 to 13:20 EST" in html
    assert inv.session.venue.name in html and inv.session.venue.address in html
    assert f'href="/report?code={code}" id="report-mismatch"' in html
    company = inv.session.production.company
    assert COMPANIES_HOUSE + company.legal_name.replace(" ", "+") in html
    assert company.website not in html  # never a link the production supplied


def test_registry_link_follows_settings_and_open_call_page_shows_it(client, app):
    w = calls_world()
    db.session.commit()
    html = client.get(f"/calls/{w.call.id}").get_data(as_text=True)
    assert COMPANIES_HOUSE + w.company.legal_name.replace(" ", "+") in html
    assert w.company.registration_number in html
    assert f"/report?production_id={w.production.id}" in html
    app.config["CASTING_COUNTRY"] = "US"  # no national registry configured: no link, rather than a wrong one
    assert COMPANIES_HOUSE not in client.get(f"/calls/{w.call.id}").get_data(as_text=True)
    app.config["CASTING_COMPANY_REGISTRIES"] = {"US": {"name": "OpenCorporates",
                                                      "search_url": "https://opencorporates.com/companies?q={query}"}}
    assert "https://opencorporates.com/companies?q=Harbour+Light" in client.get(f"/calls/{w.call.id}").get_data(as_text=True)


def test_the_safety_page_lists_red_flags_checks_and_regional_channels(client, app):
    html = client.get("/safety").get_data(as_text=True)
    for text in ("Red flags", "How to check a letter", "How to check a company", "How to report",
                 "Action Fraud", "https://www.actionfraud.police.uk/", 'href="/report"'):
        assert text in html, text
    app.config["CASTING_REPORT_CHANNELS"] = [{"country": "NZ", "region": "New Zealand", "name": "Netsafe",
                                              "url": "https://netsafe.org.nz/", "what": "online safety"}]
    html = client.get("/safety").get_data(as_text=True)
    assert "Netsafe" in html and "Action Fraud" not in html


def test_the_portal_links_to_the_report_form(client, app):
    from tests.conftest import login
    from tests.factories import make_talent, make_user

    user = make_user("talent")
    make_talent(user=user)
    db.session.commit()
    login(client, user)
    html = client.get("/me/callbacks").get_data(as_text=True)
    assert 'href="/report"' in html and 'href="/reports/mine"' in html
