"""API: /talent (casting directors add talent), /talent/{id}, /me/talent; the emailed claim link."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casting.accounts.models import User
from casting.audit.models import AuditEntry
from casting.extensions import db
from casting.talent.models import TalentProfile
from tests.calls.factories import calls_world
from tests.conftest import auth, count, read_outbox
from tests.factories import make_submission, make_talent, make_user


def last_action() -> str:
    db.session.expire_all()
    return db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))


def claim_link(outbox) -> str:
    body = read_outbox(outbox)[-1].get_body(("plain",)).get_content()
    return re.search(r"http://callback\.test(/claim/\S+)", body).group(1)


def test_casting_director_adds_talent_who_claims_it_from_the_emailed_link(client, app, outbox):
    cd = make_user("casting_director", name="Cara Director")
    db.session.commit()
    resp = client.post("/api/v1/talent", headers=auth(cd), json={
        "legal_name": "Noor Haddad", "professional_name": "Noor H", "email": "Noor@Example.com",
        "date_of_birth": "1995-04-02", "agent": "Lumen Artists"})
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["email"] == "noor@example.com" and got["claimed"] is False and got["date_of_birth"] == "1995-04-02"
    assert last_action() == "talent.created"
    [mail] = read_outbox(outbox)
    assert mail["To"] == "noor@example.com"
    assert "will ever ask you for money" in mail.get_body(("plain",)).get_content()
    link = claim_link(outbox)
    assert client.get(link).status_code == 200
    short = client.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and count(User) == 1
    done = client.post(link, data={"password": "a long enough password", "confirm": "a long enough password"})
    assert done.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "noor@example.com"))
    assert user.role == "talent" and user.talent_profile.id == got["id"]
    assert last_action() == "talent.claimed"
    # The link worked once.
    assert client.get(link).status_code == 404
    me = client.get("/api/v1/me/talent", headers=auth(user)).get_json()
    assert me["id"] == got["id"] and me["claimed"] is True and me["agent"] == "Lumen Artists"


@pytest.mark.parametrize("who", ["producer", "talent", "admin"])
def test_only_casting_directors_add_talent(client, app, who):
    user = make_user(who)
    db.session.commit()
    before = count(TalentProfile)
    resp = client.post("/api/v1/talent", headers=auth(user), json={"legal_name": "X Y", "email": "xy@example.com"})
    assert resp.status_code == 403
    assert count(TalentProfile) == before


def _minor_dob() -> str:
    return (date.today() - timedelta(days=15 * 365)).isoformat()


@pytest.mark.parametrize("payload,field", [
    ({}, "legal_name"),
    ({"legal_name": "", "email": "a@example.com"}, "legal_name"),
    ({"legal_name": "A B", "email": "not-an-email"}, "email"),
    ({"legal_name": "A B", "email": 5}, "email"),
    ({"legal_name": "A B", "email": "a@example.com", "date_of_birth": "02/04/1995"}, "date_of_birth"),
    ({"legal_name": "A B", "email": "a@example.com", "date_of_birth": "2999-01-01"}, "date_of_birth"),
    ({"legal_name": "A B", "email": "a@example.com", "date_of_birth": "MINOR"}, "guardian_name"),
    ({"legal_name": "A B", "email": "a@example.com", "date_of_birth": "MINOR", "guardian_name": "Mum",
      "guardian_email": "nope"}, "guardian_email"),
    ({"legal_name": "A" * 201, "email": "a@example.com"}, "legal_name"),
])
def test_bad_talent_input_is_422_and_sends_nothing(client, app, outbox, payload, field):
    cd = make_user("casting_director")
    db.session.commit()
    payload = {k: (_minor_dob() if v == "MINOR" else v) for k, v in payload.items()}
    resp = client.post("/api/v1/talent", headers=auth(cd), json=payload)
    assert resp.status_code == 422, resp.get_json()
    assert field in resp.get_json()["error"]["details"]["fields"]
    assert count(TalentProfile) == 0 and read_outbox(outbox) == []


def test_a_minor_with_a_guardian_is_accepted(client, app):
    cd = make_user("casting_director")
    db.session.commit()
    resp = client.post("/api/v1/talent", headers=auth(cd), json={
        "legal_name": "Kit Young", "email": "kit@example.com", "date_of_birth": _minor_dob(),
        "guardian_name": "Rae Young", "guardian_email": "rae@example.com"})
    assert resp.status_code == 201 and resp.get_json()["guardian_name"] == "Rae Young"


def test_duplicate_email_is_409(client, app, outbox):
    cd = make_user("casting_director")
    make_talent(legal_name="Already Here")
    db.session.commit()
    existing = db.session.scalar(sa.select(TalentProfile.email))
    resp = client.post("/api/v1/talent", headers=auth(cd), json={"legal_name": "Again", "email": existing.upper()})
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "duplicate"
    assert count(TalentProfile) == 1 and read_outbox(outbox) == []


def test_get_talent_follows_who_may_see_them(client, app):
    w = calls_world()
    added = make_talent(created_by=w.cd, legal_name="Noor Added")
    make_submission(w.call, w.role, w.talent)
    db.session.commit()
    # Applied to the production: its members see the talent; outsiders do not.
    for who in (w.cd, w.producer, w.admin, w.talent_user):
        assert client.get(f"/api/v1/talent/{w.talent.id}", headers=auth(who)).status_code == 200
    for who in (w.other_cd, w.talent2_user):
        assert client.get(f"/api/v1/talent/{w.talent.id}", headers=auth(who)).status_code == 404
    # Added by hand: its creator sees it, the production's producer does not (yet).
    assert client.get(f"/api/v1/talent/{added.id}", headers=auth(w.cd)).get_json()["legal_name"] == "Noor Added"
    assert client.get(f"/api/v1/talent/{added.id}", headers=auth(w.producer)).status_code == 404
    assert client.get("/api/v1/talent/99999", headers=auth(w.cd)).status_code == 404
    assert client.get(f"/api/v1/talent/{w.talent.id}").status_code == 401


def test_me_talent_is_for_talent_accounts(client, app):
    w = calls_world()
    db.session.commit()
    assert client.get("/api/v1/me/talent", headers=auth(w.talent_user)).get_json()["id"] == w.talent.id
    assert client.get("/api/v1/me/talent", headers=auth(w.cd)).status_code == 403
