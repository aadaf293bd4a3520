"""Proposals through the JSON API: creating, validation, states, four eyes, who sees what."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.decisions.models import Proposal
from casting.extensions import db
from casting.productions.models import ProductionMember
from tests.conftest import auth, count, read_outbox
from tests.decisions.helpers import mail_text
from tests.decisions.factories import TERMS, make_casting, make_proposal
from tests.factories import make_production, make_role, make_talent, make_user


@pytest.fixture
def c(app):
    world = make_casting()
    db.session.commit()
    return world


def _propose(client, c, talent=None, terms=None, user=None, **extra):
    body = {"talent_id": (talent or c.talents[0]).id, "terms": TERMS if terms is None else terms, **extra}
    return client.post(f"/api/v1/roles/{c.role.id}/proposals", json=body, headers=auth(user or c.cd))


def _actions(action):
    db.session.expire_all()
    return [json.loads(e.data) | {"_actor": e.actor_id} for e in
            db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def test_propose_then_read_back(client, c, outbox):
    resp = _propose(client, c)
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["status"] == "proposed" and body["talent_id"] == c.talents[0].id and body["role_id"] == c.role.id
    assert body["terms"]["compensation"] == TERMS["compensation"] and body["terms"]["start_date"] == "2027-05-03"
    got = client.get(f"/api/v1/proposals/{body['id']}", headers=auth(c.producer)).json
    assert {k: got[k] for k in ("id", "role_id", "talent_id", "terms", "status", "offer_document_id")} == {
        "id": body["id"], "role_id": c.role.id, "talent_id": c.talents[0].id, "terms": body["terms"],
        "status": "proposed", "offer_document_id": None}
    [entry] = _actions("proposal.proposed")
    assert entry["talent_id"] == c.talents[0].id and entry["_actor"] == c.cd.id
    # Both producers are asked to review; the talent hears nothing yet.
    [mail] = read_outbox(outbox)
    assert sorted(mail["To"].split(", ")) == sorted(p.email for p in c.producers)
    assert f"/productions/{c.production.id}/review" in mail_text(mail)
    listed = client.get(f"/api/v1/roles/{c.role.id}/proposals", headers=auth(c.producer)).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]


@pytest.mark.parametrize("terms, field", [
    ({}, "terms.compensation"),
    ({"compensation": "   "}, "terms.compensation"),
    ({"compensation": 500}, "terms.compensation"),
    ({"compensation": "Scale", "start_date": "next week"}, "terms.start_date"),
    ({"compensation": "Scale", "start_date": "2027-05-10", "end_date": "2027-05-01"}, "terms.end_date"),
    ({"compensation": "Scale", "jurisdiction": "Mars"}, "terms.jurisdiction"),
    ({"compensation": "Scale", "bonus": "a car"}, "terms"),
    ({"compensation": "x" * 1001}, "terms.compensation"),
    ("Scale", "terms"),
])
def test_bad_terms_are_422_and_change_nothing(client, c, terms, field):
    before = count(Proposal)
    resp = _propose(client, c, terms=terms)
    assert resp.status_code == 422, resp.json
    assert resp.json["error"]["code"] == "validation_error" and field in resp.json["error"]["details"]["fields"]
    assert count(Proposal) == before


def test_body_errors(client, c):
    resp = client.post(f"/api/v1/roles/{c.role.id}/proposals", data="nope", headers=auth(c.cd))
    assert resp.status_code == 400 and resp.json["error"]["code"] == "bad_request"
    resp = client.post(f"/api/v1/roles/{c.role.id}/proposals", json={"terms": TERMS}, headers=auth(c.cd))
    assert resp.status_code == 422 and "talent_id" in resp.json["error"]["details"]["fields"]
    assert count(Proposal) == 0


def test_only_shortlisted_talent(client, c):
    stranger = make_talent()
    db.session.commit()
    for talent_id in (stranger.id, 999999):
        resp = client.post(f"/api/v1/roles/{c.role.id}/proposals", json={"talent_id": talent_id, "terms": TERMS},
                           headers=auth(c.cd))
        assert resp.status_code == 409 and resp.json["error"]["code"] == "not_shortlisted"
    assert count(Proposal) == 0


def test_one_open_proposal_per_role_and_another_after_rejection(client, c):
    first = _propose(client, c).json
    resp = _propose(client, c, talent=c.talents[1])
    assert resp.status_code == 409 and resp.json["error"]["code"] == "invalid_state"
    assert resp.json["error"]["details"]["proposal_id"] == first["id"]
    assert count(Proposal) == 1
    resp = client.post(f"/api/v1/proposals/{first['id']}/reject", json={"comment": "Go younger."},
                       headers=auth(c.producer))
    assert resp.status_code == 200 and resp.json["status"] == "rejected"
    assert resp.json["decision_comment"] == "Go younger." and resp.json["decided_by"] == c.producer.id
    # The comment is optional: an empty POST approves or rejects too.
    second = _propose(client, c, talent=c.talents[1]).json
    resp = client.post(f"/api/v1/proposals/{second['id']}/reject", headers=auth(c.producer))
    assert resp.status_code == 200 and resp.json["decision_comment"] is None
    third = _propose(client, c, talent=c.talents[2])
    assert third.status_code == 201 and count(Proposal) == 3


def test_approved_offer_blocks_another_and_cast_role_refuses(client, c):
    make_proposal(c.role, c.talents[0], by=c.cd, status="approved", decided_by=c.producer)
    db.session.commit()
    assert _propose(client, c, talent=c.talents[1]).json["error"]["code"] == "invalid_state"
    other_role = make_role(c.production, name="Jonah")
    from tests.factories import make_shortlist_entry

    make_shortlist_entry(other_role, c.talents[1], by=c.cd)
    make_proposal(other_role, c.talents[1], by=c.cd, status="accepted", decided_by=c.producer)
    db.session.commit()
    resp = client.post(f"/api/v1/roles/{other_role.id}/proposals",
                       json={"talent_id": c.talents[1].id, "terms": TERMS}, headers=auth(c.cd))
    assert resp.status_code == 409 and "already cast" in resp.json["error"]["message"]


def test_who_may_propose(client, c):
    other_cd = make_user("casting_director")
    make_production(other_cd)
    reader = make_user("casting_director")
    db.session.add(ProductionMember(production_id=c.production.id, user_id=reader.id, role="reader"))
    db.session.commit()
    expected = {c.producer: 403, c.admin: 403, reader: 403, other_cd: 404,
                c.talents[0].user: 404}
    for user, status in expected.items():
        assert _propose(client, c, user=user).status_code == status, user
    assert client.post(f"/api/v1/roles/{c.role.id}/proposals", json={}).status_code == 401
    assert count(Proposal) == 0


def test_four_eyes(client, c):
    pid = _propose(client, c).json["id"]
    # The proposer may never approve their own proposal, even once they are a producer of the production.
    resp = client.post(f"/api/v1/proposals/{pid}/approve", json={}, headers=auth(c.cd))
    assert resp.status_code == 403 and resp.json["error"]["code"] == "four_eyes"
    membership = db.session.scalar(sa.select(ProductionMember).where(ProductionMember.user_id == c.cd.id))
    membership.role = "producer"
    db.session.commit()
    for path in ("approve", "reject"):
        resp = client.post(f"/api/v1/proposals/{pid}/{path}", json={"comment": "fine by me"}, headers=auth(c.cd))
        assert resp.status_code == 403 and resp.json["error"]["code"] == "four_eyes"
    assert db.session.get(Proposal, pid).status == "proposed"
    blocked = _actions("blocked.four_eyes")
    assert len(blocked) == 3 and all(b["_actor"] == c.cd.id for b in blocked)


def test_only_producers_of_the_production_decide(client, c):
    pid = _propose(client, c).json["id"]
    other_producer = make_user("producer")
    make_production(make_user("casting_director"), members={other_producer: "producer"})
    director = make_user("producer")
    db.session.add(ProductionMember(production_id=c.production.id, user_id=director.id, role="director"))
    db.session.commit()
    for user, status in ((other_producer, 404), (c.talents[0].user, 404), (c.admin, 403), (director, 403)):
        resp = client.post(f"/api/v1/proposals/{pid}/approve", json={}, headers=auth(user))
        assert resp.status_code == status, user
        assert client.get(f"/api/v1/proposals/{pid}", headers=auth(user)).status_code == \
            (200 if status == 403 else 404)
    assert db.session.get(Proposal, pid).status == "proposed"


def test_approve_and_states(client, c, outbox):
    pid = _propose(client, c).json["id"]
    resp = client.post(f"/api/v1/proposals/{pid}/approve", json={"comment": "Yes!"}, headers=auth(c.producer))
    assert resp.status_code == 200 and resp.json["status"] == "approved"
    [entry] = _actions("proposal.approved")
    assert entry["_actor"] == c.producer.id and entry["comment"] == "Yes!"
    for path in ("approve", "reject"):
        again = client.post(f"/api/v1/proposals/{pid}/{path}", json={}, headers=auth(c.producers[1]))
        assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"
    subjects = [m["Subject"] for m in read_outbox(outbox)]
    assert f"Offer: Maya in {c.production.title}" in subjects
    offer_mail = next(m for m in read_outbox(outbox) if m["Subject"].startswith("Offer:"))
    assert offer_mail["To"] == c.talents[0].email and "/me/offers" in mail_text(offer_mail)
    assert "never asked to pay" in mail_text(offer_mail)
    assert [a.get_content_type() for a in offer_mail.iter_attachments()] == ["application/pdf"]


def test_comment_validation(client, c):
    pid = _propose(client, c).json["id"]
    resp = client.post(f"/api/v1/proposals/{pid}/reject", data="[1]", content_type="application/json",
                       headers=auth(c.producer))
    assert resp.status_code == 400 and db.session.get(Proposal, pid).status == "proposed"
    resp = client.post(f"/api/v1/proposals/{pid}/approve", json={"comment": "x" * 2001}, headers=auth(c.producer))
    assert resp.status_code == 422 and "comment" in resp.json["error"]["details"]["fields"]
    assert db.session.get(Proposal, pid).status == "proposed"


def test_talent_sees_only_their_own_offer(client, c):
    p = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.commit()
    me, other = c.talents[0].user, c.talents[1].user
    # Proposed (internal deliberation): not even the talent it names sees it.
    assert client.get(f"/api/v1/proposals/{p.id}", headers=auth(me)).status_code == 404
    assert client.get("/api/v1/me/offers", headers=auth(me)).json["total"] == 0
    p.status = "approved"
    p.decision_comment = "internal remark"
    db.session.commit()
    got = client.get(f"/api/v1/proposals/{p.id}", headers=auth(me))
    assert got.status_code == 200 and got.json["status"] == "approved" and "decision_comment" not in got.json
    assert client.get(f"/api/v1/proposals/{p.id}", headers=auth(other)).status_code == 404
    offers = client.get("/api/v1/me/offers", headers=auth(me)).json
    assert [o["id"] for o in offers["items"]] == [p.id]
    assert client.get("/api/v1/me/offers", headers=auth(other)).json["total"] == 0
    assert client.get("/api/v1/me/offers", headers=auth(c.producer)).status_code == 403
    assert client.get(f"/api/v1/roles/{c.role.id}/proposals", headers=auth(me)).status_code == 404
