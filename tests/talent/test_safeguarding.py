"""Minors' safeguarding data: what a casting office set the talent cannot undo, and a talent's own change of
date of birth that would make a minor an adult waits for a casting office's confirmation."""
from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from casting.accounts import services as accounts
from casting.audit.models import AuditEntry
from casting.core.errors import Forbidden, InvalidState, NotFound
from casting.extensions import db
from casting.talent import services
from casting.talent.models import TalentProfile
from tests.conftest import auth, login
from tests.factories import make_production, make_talent, make_user

TODAY = date.today()
MINOR = date(TODAY.year - 15, 1, 1)        # 14 or 15 today
OLDER_MINOR = date(TODAY.year - 16, 1, 1)  # 15 or 16 today
ADULT = date(TODAY.year - 20, 1, 1)        # 19 or 20 today
GUARDIAN = {"guardian_name": "Gina Guardian", "guardian_email": "gina@example.com"}


def entries(action: str) -> list[dict]:
    db.session.expire_all()
    return [json.loads(e.data) | {"_actor": e.actor_id} for e in
            db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def office_minor():
    """A minor added by a casting office, with date of birth and guardian, then claimed by the talent."""
    cd = make_user("casting_director")
    profile = services.create_talent(actor=cd, legal_name="Mia Minor", email="mia@example.com", date_of_birth=MINOR,
                                     **GUARDIAN)
    user = accounts.create_user("mia@example.com", "Mia Minor", "talent", "a long enough password", verified=True)
    assert user.talent_profile.id == profile.id
    return cd, user, profile


def self_minor():
    """A talent who registered themselves and set their own date of birth (a minor) and guardian."""
    user = make_user("talent")
    profile = user.talent_profile
    services.update_profile(profile, actor=user, legal_name=profile.legal_name, date_of_birth=MINOR, **GUARDIAN)
    return user, profile


def test_data_a_casting_office_set_is_locked_for_the_talent(app):
    cd, user, profile = office_minor()
    assert profile.date_of_birth_set_by_id == cd.id and profile.guardian_set_by_id == cd.id
    assert services.locked_fields(profile) == {"date_of_birth", "guardian_name", "guardian_email"}
    [created] = entries("talent.created")
    assert created["safeguarding"]["date_of_birth"] == {"old": None, "new": MINOR.isoformat()}
    assert created["safeguarding"]["guardian_email"] == {"old": None, "new": "gina@example.com"}
    for change in ({"date_of_birth": OLDER_MINOR}, {"date_of_birth": None}, {"guardian_name": None},
                   {"guardian_email": "me@example.com"}):
        with pytest.raises(Forbidden):
            services.update_profile(profile, actor=user, **change)
    assert profile.date_of_birth == MINOR and profile.guardian_email == "gina@example.com"
    # Unchanged values pass, other fields are the talent's, and an empty guardian field may be filled in.
    services.update_profile(profile, actor=user, legal_name="Mia Minor", date_of_birth=MINOR, agent="Agency One",
                            guardian_phone="+44 20 7946 0001", **GUARDIAN)
    assert profile.agent == "Agency One" and profile.guardian_phone == "+44 20 7946 0001"
    assert profile.guardian_set_by_id == cd.id
    with pytest.raises(Forbidden):
        services.update_profile(profile, actor=user, guardian_phone=None)


def test_a_self_registered_talent_changes_their_own_data_freely(app):
    user, profile = self_minor()
    assert profile.date_of_birth == MINOR and profile.date_of_birth_set_by_id == user.id
    assert services.locked_fields(profile) == set()
    services.update_profile(profile, actor=user, date_of_birth=OLDER_MINOR, guardian_name="Gus Guardian")
    assert profile.date_of_birth == OLDER_MINOR and profile.guardian_name == "Gus Guardian"
    updated = entries("talent.updated")[-1]
    assert updated["values"] == {"date_of_birth": {"old": MINOR.isoformat(), "new": OLDER_MINOR.isoformat()},
                                 "guardian_name": {"old": "Gina Guardian", "new": "Gus Guardian"}}
    assert not profile.date_of_birth_pending


@pytest.mark.parametrize("new", [ADULT, None], ids=["adult", "removed"])
def test_a_minor_turning_adult_waits_for_the_office(app, new):
    user, profile = self_minor()
    services.update_profile(profile, actor=user, date_of_birth=new, agent="Agency Two")
    assert profile.date_of_birth == MINOR and profile.agent == "Agency Two"  # the old date stays in force
    assert profile.date_of_birth_pending and profile.pending_date_of_birth == new
    assert profile.pending_date_of_birth_by_id == user.id and profile.pending_date_of_birth_at is not None
    [requested] = entries("talent.date_of_birth_requested")
    assert requested["old"] == MINOR.isoformat() and requested["new"] == (new.isoformat() if new else None)
    # A guardian is still needed while the minor's date is in force.
    with pytest.raises(Exception) as refused:
        services.update_profile(profile, actor=user, guardian_name=None)
    assert getattr(refused.value, "code", "") == "validation_error"
    # Saving the form again (the date in force) leaves the request alone.
    services.update_profile(profile, actor=user, date_of_birth=MINOR, phone="+44 1")
    assert profile.date_of_birth_pending and len(entries("talent.date_of_birth_requested")) == 1


def test_the_office_confirms_a_pending_date_of_birth(app):
    user, profile = self_minor()
    cd = make_user("casting_director")
    profile.created_by_id = cd.id  # the office works with this talent
    other_cd, producer = make_user("casting_director"), make_user("producer")
    make_production(cd, members={producer: "producer"})
    with pytest.raises(InvalidState):
        services.confirm_date_of_birth(profile, actor=cd)
    services.update_profile(profile, actor=user, date_of_birth=ADULT)
    with pytest.raises(NotFound):
        services.confirm_date_of_birth(profile, actor=other_cd)
    with pytest.raises(Forbidden):
        services.confirm_date_of_birth(profile, actor=user)
    services.confirm_date_of_birth(profile, actor=cd)
    assert profile.date_of_birth == ADULT and not profile.date_of_birth_pending
    assert profile.pending_date_of_birth is None and profile.date_of_birth_set_by_id == cd.id
    assert not services.minor_today(profile)
    [confirmed] = entries("talent.date_of_birth_confirmed")
    assert confirmed == confirmed | {"old": MINOR.isoformat(), "new": ADULT.isoformat(), "requested_by_id": user.id,
                                     "_actor": cd.id}
    # Now confirmed by the office, the talent cannot change it back alone.
    with pytest.raises(Forbidden):
        services.update_profile(profile, actor=user, date_of_birth=MINOR)


def test_the_profile_page_shows_locked_and_pending_data(client, app):
    cd, user, profile = office_minor()
    db.session.commit()
    login(client, user)
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'name="date_of_birth"' not in page and 'name="guardian_email"' not in page
    assert 'name="guardian_phone"' in page and MINOR.isoformat() in page and "gina@example.com" in page
    assert 'id="safeguarding-locked"' in page
    # The locked fields are not in the form: a save keeps them (a forged value is ignored too).
    resp = client.post("/me/profile", data={"legal_name": "Mia Minor", "agent": "Agency Three",
                                            "date_of_birth": ADULT.isoformat(), "guardian_email": ""})
    assert resp.status_code == 302
    db.session.expire_all()
    profile = db.session.get(TalentProfile, profile.id)
    assert profile.agent == "Agency Three" and profile.date_of_birth == MINOR
    assert profile.guardian_email == "gina@example.com" and not profile.date_of_birth_pending


def test_pending_change_through_the_pages_and_the_office_confirms(client, app):
    user, profile = self_minor()
    cd = make_user("casting_director")
    profile.created_by_id = cd.id
    db.session.commit()
    login(client, user)
    form = {"legal_name": profile.legal_name, "date_of_birth": ADULT.isoformat(), **GUARDIAN}
    assert client.post("/me/profile", data=form).status_code == 302
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'id="dob-pending"' in page and ADULT.isoformat() in page
    assert f'value="{MINOR.isoformat()}"' in page  # the form shows the date in force
    assert client.post(f"/talent/{profile.id}/confirm-date-of-birth").status_code == 403
    login(client, cd)
    detail = client.get(f"/talent/{profile.id}").get_data(as_text=True)
    assert 'id="dob-pending"' in detail and f"/talent/{profile.id}/confirm-date-of-birth" in detail
    assert client.post(f"/talent/{profile.id}/confirm-date-of-birth").status_code == 302
    db.session.expire_all()
    assert db.session.get(TalentProfile, profile.id).date_of_birth == ADULT
    assert "dob-pending" not in client.get(f"/talent/{profile.id}").get_data(as_text=True)


def test_api_shows_and_confirms_the_pending_change(client, app):
    user, profile = self_minor()
    cd, other_cd = make_user("casting_director"), make_user("casting_director")
    profile.created_by_id = cd.id
    services.update_profile(profile, actor=user, date_of_birth=ADULT)
    db.session.commit()
    me = client.get("/api/v1/me/talent", headers=auth(user)).get_json()
    assert me["date_of_birth"] == MINOR.isoformat() and me["date_of_birth_pending"] is True
    assert me["pending_date_of_birth"] == ADULT.isoformat() and me["locked_fields"] == []
    path = f"/api/v1/talent/{profile.id}/confirm-date-of-birth"
    assert client.post(path, json={}, headers=auth(other_cd)).status_code == 404
    assert client.post(path, json={}, headers=auth(user)).get_json()["error"]["code"] == "forbidden"
    body = client.post(path, json={}, headers=auth(cd)).get_json()
    assert body["date_of_birth"] == ADULT.isoformat() and body["date_of_birth_pending"] is False
    assert body["locked_fields"] == ["date_of_birth"]
    again = client.post(path, json={}, headers=auth(cd))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_state"
    assert [e["_actor"] for e in entries("blocked.forbidden")] == [user.id]
