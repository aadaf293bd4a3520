"""Suspending a production: every member's write refused (409 suspended) through one check, open calls frozen and
shown as suspended, invited talent told; reinstating by another admin only (four eyes); all audited."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks.models import CallbackSession
from casting.calls.models import Submission
from casting.core.errors import Suspended
from casting.extensions import db
from casting.productions import access
from casting.productions.models import Production, ProductionRole
from tests.calls.factories import calls_world
from tests.conftest import auth, count, login, read_outbox
from tests.documents.factories import make_callback
from tests.factories import make_open_call, make_talent, make_user


@pytest.fixture
def world(app):
    inv = make_callback(legal_name="Talia Marie Able")
    production = inv.session.production
    admins = [make_user("admin", name="Ada Admin"), make_user("admin", name="Bea Admin")]
    call = make_open_call(production, [inv.role])
    db.session.commit()
    cd = inv.session.lead_casting_director
    producer = next(m.user for m in production.members if m.role == "producer")
    return inv, production, cd, producer, admins, call


def suspend(client, production, admin, reason="Reported for asking talent for a registration fee."):
    return client.post(f"/api/v1/productions/{production.id}/suspend", headers=auth(admin), json={"reason": reason})


def test_suspending_freezes_every_members_write_and_tells_invited_talent(client, world, outbox):
    inv, production, cd, producer, (ada, bea), call = world
    r = suspend(client, production, ada)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["suspended"] is True and r.get_json()["suspended_by"] == ada.id
    mails = [m for m in read_outbox(outbox) if inv.talent.email in m["To"]]
    assert len(mails) == 1 and "on hold" in mails[0]["Subject"].lower() + mails[0].get_content()
    body = mails[0].get_content()
    assert "do not go to this callback" in body and "registration fee" not in body  # plain words, not the reason
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "production.suspended"))
    assert entry.actor_id == ada.id and json.loads(entry.data)["talent_told"] == 1

    cd_h, producer_h = auth(cd), auth(producer)
    refused = [
        client.post(f"/api/v1/productions/{production.id}/roles", headers=cd_h,
                    json={"name": "Harbourmaster", "description": "x" * 60, "nudity_or_intimacy": False}),
        client.patch(f"/api/v1/roles/{inv.role.id}", headers=cd_h, json={"name": "Maya Jones"}),
        client.patch(f"/api/v1/sessions/{inv.session_id}", headers=cd_h, json={"title": "Moved callbacks"}),
        client.post(f"/api/v1/sessions/{inv.session_id}/cancel", headers=cd_h, json={"reason": "Hiding it."}),
        client.post(f"/api/v1/invitations/{inv.id}/check-in", headers=producer_h),
        client.post(f"/api/v1/invitations/{inv.id}/notes", headers=producer_h, json={"rating": 4, "note": "Good."}),
        client.post(f"/api/v1/open-calls/{call.id}/close", headers=cd_h),
    ]
    for r in refused:
        assert r.status_code == 409 and r.get_json()["error"]["code"] == "suspended", (r.request.path, r.get_json())
    db.session.expire_all()
    assert db.session.get(ProductionRole, inv.role.id).name != "Maya Jones"
    assert db.session.get(CallbackSession, inv.session_id).status == "scheduled"
    blocked = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action == "blocked.suspended")).all()
    assert len(blocked) == len(refused)
    # Non-members still get what they got before: the check comes after membership.
    other = make_user("casting_director")
    db.session.commit()
    assert client.post(f"/api/v1/productions/{production.id}/roles", headers=auth(other),
                       json={"name": "X", "description": "x" * 60}).status_code == 404


def test_the_one_place_that_decides(world):
    inv, production, cd, *_ = world
    production.suspended_at = db.func.now()
    db.session.flush()
    db.session.refresh(production)
    with pytest.raises(Suspended):
        access.require_production_role(production, cd)
    with pytest.raises(Suspended):
        access.require_manager(production, cd)


def test_the_public_open_call_shows_it_is_suspended_and_takes_no_applications(client, world):
    inv, production, cd, producer, (ada, bea), call = world
    talent_user = make_user("talent")
    make_talent(user=talent_user)
    db.session.commit()
    assert suspend(client, production, ada).status_code == 200
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "This open call is suspended" in page and "Send my application" not in page
    assert "Paused by Callback's safety team" in client.get("/calls").get_data(as_text=True)
    got = client.get(f"/api/v1/open-calls/{call.id}").get_json()
    assert got["suspended"] is True and got["open"] is False and got["status"] == "published"
    r = client.post(f"/api/v1/open-calls/{call.id}/submissions", headers=auth(talent_user),
                    json={"role_id": inv.role.id})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "suspended"
    assert count(Submission) == 0


def test_reinstating_needs_another_admin(client, world, outbox):
    inv, production, cd, producer, (ada, bea), call = world
    assert suspend(client, production, ada).status_code == 200
    assert suspend(client, production, bea).get_json()["error"]["code"] == "invalid_state"
    r = client.post(f"/api/v1/productions/{production.id}/reinstate", headers=auth(ada))
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "four_eyes"
    db.session.expire_all()
    assert db.session.get(Production, production.id).suspended
    assert client.post(f"/api/v1/productions/{production.id}/reinstate",
                       headers=auth(cd)).get_json()["error"]["code"] == "forbidden"
    r = client.post(f"/api/v1/productions/{production.id}/reinstate", headers=auth(bea))
    assert r.status_code == 200 and r.get_json()["suspended"] is False
    assert client.post(f"/api/v1/productions/{production.id}/reinstate",
                       headers=auth(bea)).get_json()["error"]["code"] == "invalid_state"
    # Writes work again, and the talent heard it is back on.
    r = client.post(f"/api/v1/productions/{production.id}/roles", headers=auth(cd),
                    json={"name": "Harbourmaster", "description": "x" * 60, "nudity_or_intimacy": False})
    assert r.status_code == 201, r.get_json()
    assert any("back on" in m["Subject"].lower() for m in read_outbox(outbox) if inv.talent.email in m["To"])
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("production.%")).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["production.suspended", "production.reinstated"]
    assert "blocked.four_eyes" in db.session.scalars(sa.select(AuditEntry.action)).all()


@pytest.mark.parametrize("who,status", [("cd", 403), ("producer", 403), ("outsider", 404)])
def test_only_admins_suspend(client, world, who, status):
    inv, production, cd, producer, admins, call = world
    user = {"cd": cd, "producer": producer, "outsider": make_user("casting_director")}[who]
    db.session.commit()
    assert suspend(client, production, user).status_code == status
    r = client.post(f"/api/v1/productions/{production.id}/suspend", headers=auth(admins[0]), json={"reason": ""})
    assert r.status_code == 422 and "reason" in r.get_json()["error"]["details"]["fields"]
    db.session.expire_all()
    assert not db.session.get(Production, production.id).suspended


def test_admins_suspend_and_reinstate_from_the_production_page(client, world):
    inv, production, cd, producer, (ada, bea), call = world
    login(client, ada)
    page = client.get(f"/productions/{production.id}").get_data(as_text=True)
    assert f"/productions/{production.id}/suspend" in page
    assert client.get(f"/productions/{production.id}/suspend").status_code == 200
    r = client.post(f"/productions/{production.id}/suspend", data={"reason": ""})
    assert r.status_code == 422
    r = client.post(f"/productions/{production.id}/suspend", data={"reason": "Two reports of fee requests."})
    assert r.status_code == 302
    page = client.get(f"/productions/{production.id}").get_data(as_text=True)
    assert "Suspended by Callback" in page and "Two reports of fee requests." in page
    r = client.post(f"/productions/{production.id}/reinstate")
    assert r.status_code == 403 and "another admin must reinstate it" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Production, production.id).suspended
    login(client, cd)
    page = client.get(f"/productions/{production.id}").get_data(as_text=True)
    assert "Suspended by Callback" in page and "Two reports of fee requests." not in page
    assert f"/productions/{production.id}/reinstate" not in page
    assert client.post(f"/productions/{production.id}/reinstate").status_code == 403
    login(client, bea)
    assert client.post(f"/productions/{production.id}/reinstate").status_code == 302
    db.session.expire_all()
    assert not db.session.get(Production, production.id).suspended


def test_a_production_of_another_world_is_untouched(client, app):
    w = calls_world()
    other_admin = make_user("admin")
    db.session.commit()
    assert suspend(client, w.other_production, other_admin).status_code == 200
    r = client.patch(f"/api/v1/roles/{w.role.id}", headers=auth(w.cd), json={"name": "Maya Jones"})
    assert r.status_code == 200
