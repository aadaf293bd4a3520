"""Editing a production and a venue, removing a member: audited, and refused (nothing changed, the sessions named in
plain words) when a scheduled callback session would fail its checklist."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.core.errors import ChecklistFailed, Forbidden, InvalidState, ValidationError, VenueConflict
from casting.extensions import db
from casting.productions import services
from casting.productions.models import Production, ProductionMember, Venue
from tests.callbacks.factories import make_ready_session
from tests.conftest import login
from tests.factories import make_user


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


# --- the production --------------------------------------------------------------------------

def test_edit_a_production_is_audited_with_what_changed(app):
    s = make_ready_session(scheduled=True)
    p, cd = s.production, s.lead_casting_director
    changed = services.update_production(p, actor=cd, title="The Tide Line (2027)",
                                         safeguarding_contact="Sam Lee, 020 7946 0000")
    assert changed == ["title", "safeguarding_contact"] and p.title == "The Tide Line (2027)"
    entry = _audit("production.updated")[0]
    assert '"changed":["title","safeguarding_contact"]' in entry.data and entry.production_id == p.id
    assert services.update_production(p, actor=cd, title="The Tide Line (2027)") == []


def test_a_production_edit_that_fails_a_scheduled_session_is_refused_naming_it(app):
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    p, cd = s.production, s.lead_casting_director
    before, pid = p.safeguarding_contact, p.id
    db.session.commit()
    with pytest.raises(ChecklistFailed) as caught:
        services.update_production(p, actor=cd, safeguarding_contact="Sam Lee")  # no way to reach them
    message = caught.value.message
    assert "\u201cMaya callbacks\u201d" in message and "safeguarding contact" in message.lower()
    assert "safeguarding_contact" not in message  # plain words, not the code
    assert caught.value.details["failed"] == ["safeguarding_contact"]
    assert caught.value.details["sessions"] == [{"session_id": s.id, "failed": ["safeguarding_contact"]}]
    db.session.rollback()
    assert db.session.get(Production, pid).safeguarding_contact == before


@pytest.mark.parametrize("change,field", [({"title": ""}, "title"), ({"kind": "opera"}, "kind"),
                                          ({"company_id": 5}, "company_id")])
def test_bad_production_edits(app, change, field):
    s = make_ready_session()
    with pytest.raises(ValidationError) as caught:
        services.update_production(s.production, actor=s.lead_casting_director, **change)
    assert field in caught.value.fields


def test_only_a_casting_director_member_edits_a_production(app):
    s = make_ready_session()
    producer = next(m.user for m in s.production.members if m.role == "producer")
    with pytest.raises(Forbidden):
        services.update_production(s.production, actor=producer, title="Mine now")


def test_edit_production_page(app, client):
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    pid = s.production_id
    login(client, s.lead_casting_director)
    db.session.commit()
    page = client.get(f"/productions/{pid}/edit")
    assert page.status_code == 200 and 'name="safeguarding_contact"' in page.get_data(as_text=True)
    form = {"title": "Renamed", "kind": "film", "description": "A feature film shot on the Kent coast.",
            "safeguarding_contact": "Sam Lee"}
    refused = client.post(f"/productions/{pid}/edit", data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Maya callbacks" in html and 'value="Renamed"' in html
    assert db.session.get(Production, pid).title != "Renamed"
    assert _audit("blocked.checklist_failed")
    ok = client.post(f"/productions/{pid}/edit", data={**form, "safeguarding_contact": "Sam Lee, sam@example.com"})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(Production, pid).title == "Renamed"


# --- members ---------------------------------------------------------------------------------

def test_removing_a_member_off_a_scheduled_panel_of_two_is_refused(app):
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    p, cd = s.production, s.lead_casting_director
    producer = next(m for m in p.members if m.role == "producer")
    mid = producer.id
    db.session.commit()
    with pytest.raises(ChecklistFailed) as caught:
        services.remove_member(p, producer, actor=cd)
    assert "Removing Prue Producer" in caught.value.message and "\u201cMaya callbacks\u201d" in caught.value.message
    assert caught.value.details["failed"] == ["panel_of_two"]
    db.session.rollback()
    assert db.session.get(ProductionMember, mid) is not None


def test_removing_a_member_no_session_needs(app):
    s = make_ready_session(scheduled=True)
    p, cd = s.production, s.lead_casting_director
    reader = ProductionMember(user_id=make_user("producer", name="Rita Reader").id, role="reader", added_by_id=cd.id)
    p.members.append(reader)
    db.session.flush()
    services.remove_member(p, reader, actor=cd)
    assert reader not in p.members
    entry = _audit("production.member_removed")[0]
    assert '"role":"reader"' in entry.data


def test_the_last_casting_director_and_oneself_are_not_removed(app):
    s = make_ready_session()
    p, cd = s.production, s.lead_casting_director
    me = p.member(cd)
    with pytest.raises(InvalidState):
        services.remove_member(p, me, actor=cd)
    other_cd = make_user("casting_director")
    p.members.append(ProductionMember(user_id=other_cd.id, role="casting_director", added_by_id=cd.id))
    db.session.flush()
    with pytest.raises(InvalidState):  # other_cd may not remove the only other casting director's... themself
        services.remove_member(p, p.member(other_cd), actor=other_cd)


def test_remove_member_page(app, client):
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    p, cd = s.production, s.lead_casting_director
    producer = next(m for m in p.members if m.role == "producer")
    pid, mid = p.id, producer.id
    login(client, cd)
    db.session.commit()
    html = client.get(f"/productions/{pid}").get_data(as_text=True)
    assert f"/productions/{pid}/members/{mid}/remove" in html
    resp = client.post(f"/productions/{pid}/members/{mid}/remove", headers={"Referer": f"/productions/{pid}"})
    assert resp.status_code == 303
    assert "Maya callbacks" in client.get(f"/productions/{pid}").get_data(as_text=True)
    assert db.session.get(ProductionMember, mid) is not None
    # Off the panel first, then the removal goes through.
    db.session.execute(sa.text("DELETE FROM session_panel WHERE user_id = :u"), {"u": producer.user_id})
    extra = make_user("producer")
    p = db.session.get(Production, pid)
    p.members.append(ProductionMember(user_id=extra.id, role="producer", added_by_id=cd.id))
    db.session.flush()
    db.session.execute(sa.text("INSERT INTO session_panel (session_id, user_id) VALUES (:s, :u)"),
                       {"s": s.id, "u": extra.id})
    db.session.commit()
    assert client.post(f"/productions/{pid}/members/{mid}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(ProductionMember, mid) is None


# --- venues ----------------------------------------------------------------------------------

def test_edit_a_venue_is_audited(app):
    s = make_ready_session(scheduled=True)
    venue, cd = s.venue, s.lead_casting_director
    changed = services.update_venue(venue, actor=cd, name="Spotlight Studio Two",
                                    address="Spotlight Studios, 8 Leicester Place, London WC2H 7RJ")
    assert changed == ["name", "address"]
    assert '"changed":["name","address"]' in _audit("venue.updated")[0].data


def test_a_venue_edit_that_fails_a_scheduled_session_is_refused_naming_it(app):
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    other = make_ready_session(s.lead_casting_director, production=s.production, venue=s.venue, roles=s.roles,
                               panel=s.panel, starts_at=s.starts_at + timedelta(days=1), scheduled=True,
                               title="Tom callbacks")
    venue, cd = s.venue, s.lead_casting_director
    vid, ids = venue.id, {s.id, other.id}
    db.session.commit()
    with pytest.raises(ChecklistFailed) as caught:
        services.update_venue(venue, actor=cd, kind="hotel_room")
    message = caught.value.message
    assert "these 2 scheduled sessions" in message and "Maya callbacks" in message and "Tom callbacks" in message
    assert {x["session_id"] for x in caught.value.details["sessions"]} == ids
    db.session.rollback()
    assert db.session.get(Venue, vid).kind == "casting_studio"
    # Business hours are read in the venue's timezone: moving it to Tokyo puts 10:00 London in the evening.
    with pytest.raises(ChecklistFailed) as caught:
        services.update_venue(db.session.get(Venue, vid), actor=db.session.get(type(cd), cd.id), timezone="Asia/Tokyo")
    assert "business_hours" in caught.value.details["failed"]


def test_a_virtual_room_becoming_physical_cannot_hold_two_sessions(app):
    s = make_ready_session(title="Online A")
    venue = s.venue
    venue.kind, venue.meeting_url = "virtual", "https://meet.example.com/room-1"
    db.session.flush()
    from casting.callbacks.services import schedule_session
    schedule_session(s, actor=s.lead_casting_director)
    b = make_ready_session(s.lead_casting_director, production=s.production, venue=venue, roles=s.roles,
                           panel=s.panel, starts_at=s.starts_at, title="Online B", scheduled=True)
    assert b.status == "scheduled"
    with pytest.raises(VenueConflict):
        services.update_venue(venue, actor=s.lead_casting_director, kind="casting_studio", meeting_url=None)


def test_only_whoever_recorded_a_venue_edits_it(app):
    venue = make_ready_session().venue
    with pytest.raises(Forbidden):
        services.update_venue(venue, actor=make_user("casting_director"), name="Taken over")


def test_edit_venue_page(app, client):
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    vid, cd = s.venue_id, s.lead_casting_director
    login(client, cd)
    db.session.commit()
    assert f"/venues/{vid}/edit" in client.get("/venues").get_data(as_text=True)
    form = {"name": "Spotlight Studio 2", "kind": "hotel_room", "address": s.venue.address,
            "timezone": "Europe/London", "meeting_url": ""}
    refused = client.post(f"/venues/{vid}/edit", data=form)
    assert refused.status_code == 409 and "Maya callbacks" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Venue, vid).kind == "casting_studio"
    assert client.post(f"/venues/{vid}/edit", data={**form, "kind": "casting_studio",
                                                    "name": "Studio Two"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Venue, vid).name == "Studio Two"


def test_what_a_session_already_fails_does_not_block_an_unrelated_change(app):
    # A scheduled session whose attestation was since withdrawn (data from before the rule) already fails no_fees:
    # renaming the production breaks nothing new, so it goes through; what it breaks is still refused.
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    p, cd = s.production, s.lead_casting_director
    for a in list(s.attestations):
        db.session.delete(a)
    db.session.flush()
    db.session.expire(s, ["attestations"])
    assert services.update_production(p, actor=cd, title="Renamed") == ["title"]
    with pytest.raises(ChecklistFailed) as caught:
        services.update_production(p, actor=cd, safeguarding_contact="Sam Lee")
    assert caught.value.details["failed"] == ["safeguarding_contact"]


def test_a_venue_edit_reissues_the_letters_of_its_scheduled_sessions(app):
    from casting.callbacks.models import Invitation, InvitationEvent
    from casting.jobs.models import Job
    from tests.callbacks.factories import make_invitation
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s, status="confirmed")
    services.update_venue(s.venue, actor=s.lead_casting_director,
                          address="Spotlight Studios, 9 Leicester Place, London WC2H 7RJ")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Invitation, inv.id).status == "invited"  # asked to confirm the new place
    events = db.session.scalars(sa.select(InvitationEvent.note).where(InvitationEvent.invitation_id == inv.id)).all()
    assert "venue changed" in events
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 1


def test_a_new_name_for_a_venue_does_not_reissue_anything(app):
    from casting.callbacks.models import Invitation
    from casting.jobs.models import Job
    from tests.callbacks.factories import make_invitation
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s, status="confirmed")
    assert services.update_venue(s.venue, actor=s.lead_casting_director, name="Studio Two (ground floor)") == ["name"]
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Invitation, inv.id).status == "confirmed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_whoever_recorded_a_venue_cannot_move_another_offices_talent(app):
    """A venue is shared by every casting office: its recorder may not rewrite the address another production's
    letters send talent to (a genuine letter with a new address is what a fake casting room would want)."""
    from casting.callbacks.models import Invitation
    from tests.callbacks.factories import make_invitation
    theirs = make_ready_session(scheduled=True)            # another office's session, at a venue ...
    recorder = make_user("casting_director")
    theirs.venue.created_by_id = recorder.id               # ... that someone else recorded
    inv = make_invitation(theirs, status="confirmed")
    db.session.commit()
    address = theirs.venue.address
    with pytest.raises(InvalidState, match="productions you do not manage"):
        services.update_venue(theirs.venue, actor=recorder, address="Room 214, Seaview Hotel, Brighton BN1 2FW")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Venue, theirs.venue_id).address == address
    assert db.session.get(Invitation, inv.id).status == "confirmed"
    # A new name stays possible: it sends nobody anywhere else.
    assert services.update_venue(theirs.venue, actor=recorder, name="Studio 1") == ["name"]
