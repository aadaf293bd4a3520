"""Sensible defaults on the new-session form (issue 13.7): no failing venue pre-selected, professional venues
first and the others marked in plain words; roles and panel as checkbox lists; the venue's zone beside the times."""
from __future__ import annotations

import re

from casting.extensions import db
from tests.conftest import login
from tests.factories import make_company, make_production, make_role, make_user, make_venue


def _options(html: str) -> list[tuple[str, bool, str]]:
    select = re.search(r'<select[^>]*name="venue_id".*?</select>', html, re.S).group(0)
    return [(v, bool(a or b), label) for a, v, b, label in
            re.findall(r'<option( selected)? value="([^"]*)"( selected)?>([^<]*)</option>', select)]


def test_new_session_form_lists_passing_venues_first_and_never_preselects_a_failing_one(client, app):
    admin = make_user("admin")
    cd = make_user("casting_director")
    production = make_production(cd, make_company(cd, verified_by=admin))
    make_role(production, name="Maya")
    make_role(production, name="Father")
    hotel = make_venue(cd, kind="hotel_room", name="Aardvark Hotel, room 214")  # first by name, and failing
    studio = make_venue(cd, kind="casting_studio", name="Studio 2", timezone_name="America/New_York")
    db.session.commit()
    login(client, cd)
    html = client.get(f"/productions/{production.id}/sessions/new").get_data(as_text=True)
    options = _options(html)
    assert [v for v, _, _ in options] == [str(studio.id), str(hotel.id)]
    assert [v for v, sel, _ in options if sel] == [str(studio.id)]
    assert "fails the checklist: not a professional venue" in options[1][2]
    assert "Wall time at the venue: America/New_York." in html
    # Roles and panel are checkbox lists with a select-all button for script.
    assert html.count('name="role_ids" type="checkbox"') == 2
    assert 'data-select-all="role_ids"' in html and 'name="panel_user_ids"' in html and "<legend>Panel" in html


def test_with_only_failing_venues_nothing_is_chosen(client, app):
    admin = make_user("admin")
    cd = make_user("casting_director")
    production = make_production(cd, make_company(cd, verified_by=admin))
    make_role(production)
    make_venue(cd, kind="hotel_room", name="Seaview Hotel, room 214")
    db.session.commit()
    login(client, cd)
    options = _options(client.get(f"/productions/{production.id}/sessions/new").get_data(as_text=True))
    assert options[0][:2] == ("", True) and not any(sel for v, sel, _ in options if v)
    assert "Seaview Hotel, room 214" in options[1][2] and "fails the checklist" in options[1][2]
