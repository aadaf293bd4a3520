"""Venues: kinds, IANA timezones, meeting links for virtual venues; the API and the page."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.core.errors import Forbidden, ValidationError
from casting.extensions import db
from casting.productions import services
from casting.productions.models import Venue
from tests.conftest import auth, count, login
from tests.factories import make_user, make_venue

STUDIO = {"name": "Spotlight Studio 2", "kind": "casting_studio",
          "address": "7 Leicester Place, London WC2H 7RJ", "timezone": "Europe/London"}


def test_create_venue_is_audited(app):
    cd = make_user("casting_director")
    venue = services.create_venue(actor=cd, **STUDIO)
    assert (venue.kind, venue.timezone, venue.meeting_url) == ("casting_studio", "Europe/London", None)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "venue.created"))
    assert entry.entity_id == venue.id and entry.actor_id == cd.id


def test_virtual_venue_needs_an_https_link_not_an_address(app):
    venue = services.create_venue(actor=make_user("producer"), name="Zoom room", kind="virtual",
                                  timezone="America/New_York", meeting_url="https://meet.example.com/room-12")
    assert venue.address == "" and venue.meeting_url.startswith("https://")


def test_a_failing_kind_may_be_recorded(app):
    # The checklist, not the venue list, refuses hotel rooms for callbacks.
    venue = services.create_venue(actor=make_user("casting_director"), **{**STUDIO, "kind": "hotel_room"})
    assert venue.kind == "hotel_room"


@pytest.mark.parametrize("change, field", [
    ({"timezone": "Mars/Olympus"}, "timezone"), ({"timezone": "GMT+1"}, "timezone"), ({"timezone": ""}, "timezone"),
    ({"kind": "castle"}, "kind"), ({"name": ""}, "name"), ({"address": ""}, "address"),
    ({"kind": "virtual", "address": "", "meeting_url": None}, "meeting_url"),
    ({"kind": "virtual", "meeting_url": "http://meet.example.com/x"}, "meeting_url"),
    ({"meeting_url": "https://"}, "meeting_url"),
])
def test_bad_venues(app, change, field):
    with pytest.raises(ValidationError) as exc:
        services.create_venue(actor=make_user("casting_director"), **{**STUDIO, **change})
    assert field in exc.value.fields
    assert count(Venue) == 0


@pytest.mark.parametrize("kind", ["talent", "admin"])
def test_talent_and_admins_do_not_add_venues(app, kind):
    with pytest.raises(Forbidden):
        services.create_venue(actor=make_user(kind), **STUDIO)


def test_api_create_list_get(client, app):
    cd = make_user("casting_director")
    headers = auth(cd)
    resp = client.post("/api/v1/venues", json=STUDIO, headers=headers)
    assert resp.status_code == 201
    body = resp.get_json()
    assert {k: body[k] for k in STUDIO} == STUDIO and body["meeting_url"] is None
    listed = client.get("/api/v1/venues", headers=auth(make_user("producer"))).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    assert client.get(f"/api/v1/venues/{body['id']}", headers=headers).get_json()["name"] == STUDIO["name"]
    assert client.get("/api/v1/venues/99999", headers=headers).status_code == 404
    assert client.get(f"/api/v1/venues/{body['id']}", headers=auth(make_user("talent"))).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({**STUDIO, "timezone": "Europe/Atlantis"}, "timezone"), ({**STUDIO, "kind": "garage"}, "kind"),
    ({k: v for k, v in STUDIO.items() if k != "name"}, "name"), ({**STUDIO, "timezone": 1}, "timezone"),
    ({**STUDIO, "kind": "virtual", "meeting_url": "ftp://x.example"}, "meeting_url"),
])
def test_api_bad_venues(client, app, body, field):
    resp = client.post("/api/v1/venues", json=body, headers=auth(make_user("casting_director")))
    assert resp.status_code == 422 and field in resp.get_json()["error"]["details"]["fields"]
    assert count(Venue) == 0


def test_venues_page_lists_and_adds(client, app):
    cd = make_user("casting_director")
    make_venue(cd, kind="hotel_room", name="Grand Hotel suite")
    db.session.commit()
    login(client, cd)
    page = client.get("/venues")
    assert page.status_code == 200 and b"Grand Hotel suite" in page.data and b"not allowed for callbacks" in page.data
    resp = client.post("/venues", data={**STUDIO, "meeting_url": ""})
    assert resp.status_code == 302 and count(Venue) == 2
    bad = client.post("/venues", data={**STUDIO, "timezone": "Nowhere/Town"})
    assert bad.status_code == 422 and b"IANA timezone" in bad.data and count(Venue) == 2


def test_venues_page_refuses_talent(client, app):
    talent = make_user("talent")
    db.session.commit()
    login(client, talent)
    assert client.get("/venues").status_code == 403
    assert client.post("/venues", data=STUDIO).status_code == 403
    assert count(Venue) == 0
