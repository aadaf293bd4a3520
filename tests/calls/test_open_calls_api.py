"""API: drafting, publishing and reading open calls (API.md "Open calls, submissions, shortlists")."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.calls.models import OpenCall
from casting.core.db import utcnow
from casting.extensions import db
from tests.calls.factories import calls_world
from tests.conftest import auth, count
from tests.factories import make_role


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def future(days: int = 10) -> str:
    return (utcnow() + timedelta(days=days)).isoformat().replace("+00:00", "Z")


def body(w, **over):
    data = {"title": "Open call: The Tide Line", "role_ids": [w.role.id], "closes_at": future(),
            "instructions": "A recent headshot and two lines about your stage experience."}
    data.update(over)
    return data


def test_casting_director_drafts_an_open_call(client, app):
    w = calls_world()
    db.session.commit()
    resp = client.post(f"/api/v1/productions/{w.production.id}/open-calls", json=body(w, role_ids=[w.role.id, w.role2.id]),
                       headers=auth(w.cd))
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["status"] == "draft" and got["role_ids"] == [w.role.id, w.role2.id]
    assert got["closes_at"].endswith("Z") and got["published_at"] is None
    assert actions()[-1] == "open_call.created"
    assert db.session.get(OpenCall, got["id"]).created_by_id == w.cd.id


@pytest.mark.parametrize("who,status", [("producer", 403), ("other_cd", 404), ("talent_user", 404), ("admin", 403)])
def test_only_casting_director_members_draft(client, app, who, status):
    w = calls_world()
    db.session.commit()
    before = count(OpenCall)
    resp = client.post(f"/api/v1/productions/{w.production.id}/open-calls", json=body(w), headers=auth(getattr(w, who)))
    assert resp.status_code == status
    assert count(OpenCall) == before


def test_unknown_production_is_404(client, app):
    w = calls_world()
    db.session.commit()
    assert client.post("/api/v1/productions/9999/open-calls", json=body(w), headers=auth(w.cd)).status_code == 404


@pytest.mark.parametrize("over,field", [
    ({"closes_at": "2030-03-02T10:00:00"}, "closes_at"),          # naive
    ({"closes_at": "next friday"}, "closes_at"),
    ({"closes_at": "2020-03-02T10:00:00Z"}, "closes_at"),          # past
    ({"role_ids": []}, "role_ids"),
    ({"role_ids": "1"}, "role_ids"),
    ({"role_ids": [True]}, "role_ids"),
    ({"role_ids": [987654]}, "role_ids"),
    ({"title": ""}, "title"),
    ({"title": 12}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"instructions": ["a"]}, "instructions"),
])
def test_bad_open_call_input_is_422_and_changes_nothing(client, app, over, field):
    w = calls_world()
    db.session.commit()
    before = count(OpenCall)
    resp = client.post(f"/api/v1/productions/{w.production.id}/open-calls", json=body(w, **over), headers=auth(w.cd))
    assert resp.status_code == 422, resp.get_json()
    err = resp.get_json()["error"]
    assert err["code"] == "validation_error" and field in err["details"]["fields"]
    assert count(OpenCall) == before


def test_missing_fields_are_each_reported(client, app):
    w = calls_world()
    db.session.commit()
    resp = client.post(f"/api/v1/productions/{w.production.id}/open-calls", json={}, headers=auth(w.cd))
    assert resp.status_code == 422
    assert set(resp.get_json()["error"]["details"]["fields"]) == {"title", "role_ids", "closes_at"}
    assert client.post(f"/api/v1/productions/{w.production.id}/open-calls", data="title=x",
                       headers=auth(w.cd)).status_code == 400


def test_roles_of_another_production_are_refused(client, app):
    w = calls_world()
    db.session.commit()
    before = count(OpenCall)
    resp = client.post(f"/api/v1/productions/{w.production.id}/open-calls",
                       json=body(w, role_ids=[w.role.id, w.other_role.id]), headers=auth(w.cd))
    assert resp.status_code == 422
    assert "role of this production" in resp.get_json()["error"]["details"]["fields"]["role_ids"][0]
    assert count(OpenCall) == before


def test_a_role_with_nudity_or_intimacy_is_cast_by_invitation_only(client, app):
    w = calls_world()
    intimate = make_role(w.production, name="Lena", nudity_or_intimacy=True,
                         nudity_or_intimacy_details="A simulated love scene in episode 3, with an intimacy coordinator.")
    db.session.commit()
    before = count(OpenCall)
    resp = client.post(f"/api/v1/productions/{w.production.id}/open-calls",
                       json=body(w, role_ids=[w.role.id, intimate.id]), headers=auth(w.cd))
    assert resp.status_code == 422
    message = resp.get_json()["error"]["details"]["fields"]["role_ids"][0]
    assert "Lena" in message and "invitation only" in message
    assert count(OpenCall) == before


def test_publish_needs_a_verified_company(client, app):
    w = calls_world(verified=False, published=False)
    db.session.commit()
    resp = client.post(f"/api/v1/open-calls/{w.call.id}/publish", headers=auth(w.cd))
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "company_unverified"
    db.session.expire_all()
    assert db.session.get(OpenCall, w.call.id).status == "draft"
    assert actions()[-1] == "blocked.company_unverified"


def test_publish_a_draft_then_not_again(client, app):
    w = calls_world(published=False)
    db.session.commit()
    headers = auth(w.cd)
    resp = client.post(f"/api/v1/open-calls/{w.call.id}/publish", headers=headers)
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "published" and resp.get_json()["published_at"].endswith("Z")
    assert actions()[-1] == "open_call.published"
    again = client.post(f"/api/v1/open-calls/{w.call.id}/publish", headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_state"


def test_publish_refuses_a_role_flagged_after_drafting_and_a_passed_closing_time(client, app):
    w = calls_world(published=False)
    w.role2.nudity_or_intimacy = True
    db.session.commit()
    headers = auth(w.cd)
    resp = client.post(f"/api/v1/open-calls/{w.call.id}/publish", headers=headers)
    assert resp.status_code == 422 and "invitation only" in resp.get_json()["error"]["message"]
    w.role2.nudity_or_intimacy = False
    w.call.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    resp = client.post(f"/api/v1/open-calls/{w.call.id}/publish", headers=headers)
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "invalid_state"
    db.session.expire_all()
    assert db.session.get(OpenCall, w.call.id).status == "draft"


@pytest.mark.parametrize("who,status", [("producer", 403), ("other_cd", 404), ("talent_user", 404), ("admin", 403)])
def test_only_casting_director_members_publish(client, app, who, status):
    w = calls_world(published=False)
    db.session.commit()
    assert client.post(f"/api/v1/open-calls/{w.call.id}/publish", headers=auth(getattr(w, who))).status_code == status
    db.session.expire_all()
    assert db.session.get(OpenCall, w.call.id).status == "draft"


def test_a_published_call_is_public_a_draft_only_for_members(client, app):
    w = calls_world()
    other = calls_world(published=False)
    draft = other.call
    db.session.commit()
    pub = client.get(f"/api/v1/open-calls/{w.call.id}")
    assert pub.status_code == 200
    got = pub.get_json()
    assert got["status"] == "published" and got["open"] is True and got["company"]["verified"] is True
    assert [r["name"] for r in got["roles"]] == ["Maya", "Father"]
    assert client.get(f"/api/v1/open-calls/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/open-calls/{draft.id}", headers=auth(w.cd)).status_code == 404
    assert client.get(f"/api/v1/open-calls/{draft.id}", headers=auth(w.talent_user)).status_code == 404
    assert client.get(f"/api/v1/open-calls/{draft.id}", headers=auth(other.producer)).get_json()["status"] == "draft"
    assert client.get("/api/v1/open-calls/424242").status_code == 404


def test_list_and_close_open_calls(client, app):
    w = calls_world()
    db.session.commit()
    headers = auth(w.cd)
    listed = client.get(f"/api/v1/productions/{w.production.id}/open-calls", headers=auth(w.producer))
    assert [c["id"] for c in listed.get_json()["items"]] == [w.call.id]
    assert client.post(f"/api/v1/open-calls/{w.call.id}/close", headers=auth(w.producer)).status_code == 403
    closed = client.post(f"/api/v1/open-calls/{w.call.id}/close", headers=headers)
    assert closed.status_code == 200 and closed.get_json()["open"] is False
    assert actions()[-1] == "open_call.closed"
    assert client.post(f"/api/v1/open-calls/{w.call.id}/close", headers=headers).status_code == 409
