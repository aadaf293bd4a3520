"""Withdrawing an offer (issue 13 item 3) and commenting without deciding (issue 11 item 4): service and API."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.core.errors import Forbidden, InvalidState, NotShortlisted, ValidationError
from casting.decisions import services
from casting.decisions.models import Proposal, ReviewComment
from casting.documents.models import Document
from casting.extensions import db
from tests.conftest import auth, count, read_outbox
from tests.decisions.factories import TERMS, make_casting, make_offer_document, make_proposal
from tests.decisions.helpers import mail_text
from tests.factories import make_talent, make_user


@pytest.fixture
def c(app):
    world = make_casting()
    db.session.commit()
    return world


def _actions(action):
    db.session.expire_all()
    return [json.loads(e.data) | {"_actor": e.actor_id} for e in
            db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def _approved_offer(client, c):
    resp = client.post(f"/api/v1/roles/{c.role.id}/proposals", json={"talent_id": c.talents[0].id, "terms": TERMS},
                       headers=auth(c.cd))
    pid = resp.json["id"]
    resp = client.post(f"/api/v1/proposals/{pid}/approve", json={}, headers=auth(c.producer))
    assert resp.status_code == 200, resp.json
    return db.session.get(Proposal, pid)


# --- withdrawing --------------------------------------------------------------------------------------

def test_withdraw_voids_the_offer_tells_the_talent_and_opens_the_role(client, c, outbox):
    p = _approved_offer(client, c)
    doc_id = p.offer_document_id
    assert doc_id is not None
    before = len(read_outbox(outbox))
    resp = client.post(f"/api/v1/proposals/{p.id}/withdraw", json={"reason": "The part was cut from the script."},
                       headers=auth(c.cd))
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "withdrawn" and resp.json["withdrawal_reason"] == "The part was cut from the script."
    db.session.expire_all()
    assert db.session.get(Document, doc_id).status == "void"
    [entry] = _actions("proposal.withdrawn")
    assert entry["_actor"] == c.cd.id and entry["document_id"] == doc_id and entry["reason"].startswith("The part")
    assert [e["serial"] for e in _actions("document.voided")] == [db.session.get(Document, doc_id).serial]
    mails = read_outbox(outbox)[before:]
    [mail] = [m for m in mails if "withdrawn" in m["Subject"] and m["To"] == c.talents[0].email]
    text = mail_text(mail)
    assert "withdrawn its offer of the role of Maya" in text and "The part was cut from the script." in text
    # The producers, in whose name the offer went out, are told too; the casting director who withdrew it is not.
    [told] = [m for m in mails if "withdrawn" in m["Subject"] and m["To"] != c.talents[0].email]
    assert sorted(told["To"].split(", ")) == sorted(p.email for p in c.producers)
    assert c.cd.email not in told["To"]
    production_text = mail_text(told)
    assert "Cara Castwell withdrew the offer" in production_text and "The part was cut" in production_text
    assert f"/productions/{c.production.id}/review#role-{c.role.id}" in production_text
    # The talent still sees it, as withdrawn; the verify page says the letter is void; a new proposal can be made.
    got = client.get(f"/api/v1/proposals/{p.id}", headers=auth(c.talents[0].user)).json
    assert got["status"] == "withdrawn" and "withdrawal_reason" not in got
    code = db.session.get(Document, doc_id).verification_code
    assert client.get(f"/api/v1/verify/{code}").json["status"] == "void"
    again = client.post(f"/api/v1/roles/{c.role.id}/proposals", json={"talent_id": c.talents[1].id, "terms": TERMS},
                        headers=auth(c.cd))
    assert again.status_code == 201, again.json


def test_a_withdrawn_offer_can_no_longer_be_signed(client, c):
    p = _approved_offer(client, c)
    services.withdraw(p, actor=c.cd, reason="Budget")
    db.session.commit()
    talent = c.talents[0].user
    doc_id = p.offer_document_id
    client.get(f"/api/v1/documents/{doc_id}/pdf", headers=auth(talent))
    resp = client.post(f"/api/v1/documents/{doc_id}/sign", json={"full_name": c.talents[0].legal_name, "agree": True},
                       headers=auth(talent))
    assert resp.status_code == 409
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == "withdrawn" and c.role.status == "open"


@pytest.mark.parametrize("status", ["proposed", "rejected", "accepted", "declined", "withdrawn"])
def test_only_an_unanswered_offer_can_be_withdrawn(client, c, status):
    p = make_proposal(c.role, c.talents[0], by=c.cd, status=status, decided_by=c.producer)
    db.session.commit()
    resp = client.post(f"/api/v1/proposals/{p.id}/withdraw", json={"reason": "Why not"}, headers=auth(c.cd))
    assert resp.status_code == 409 and resp.json["error"]["code"] == "invalid_state"
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == status
    assert _actions("proposal.withdrawn") == [] and len(_actions("blocked.invalid_state")) == 1   # the refusal


def test_withdraw_needs_a_reason_and_a_casting_director(client, c):
    p = make_proposal(c.role, c.talents[0], by=c.cd, status="approved", decided_by=c.producer)
    make_offer_document(p)
    db.session.commit()
    for body in ({}, {"reason": "   "}, {"reason": "x" * 2001}):
        resp = client.post(f"/api/v1/proposals/{p.id}/withdraw", json=body, headers=auth(c.cd))
        assert resp.status_code == 422 and "reason" in resp.json["error"]["details"]["fields"]
    assert client.post(f"/api/v1/proposals/{p.id}/withdraw", json={"reason": "No"},
                       headers=auth(c.producer)).status_code == 403
    with pytest.raises(ValidationError):
        services.withdraw(p, actor=c.cd, reason="")
    with pytest.raises(Forbidden):
        services.withdraw(p, actor=c.producer, reason="Budget")
    db.session.rollback()
    assert db.session.get(Proposal, p.id).status == "approved"


def test_withdrawing_a_minors_offer_tells_the_guardian(client, c, outbox):
    from datetime import timedelta

    from casting.core.db import utcnow
    from tests.factories import make_shortlist_entry

    minor = make_talent(user=make_user("talent", name="Milo Young"))
    minor.date_of_birth = utcnow().date().replace(year=utcnow().date().year - 12) - timedelta(days=5)
    minor.guardian_name, minor.guardian_email = "Gina Young", "gina.young@example.com"
    make_shortlist_entry(c.role, minor, by=c.cd)
    p = make_proposal(c.role, minor, by=c.cd, status="approved", decided_by=c.producer)
    db.session.commit()
    services.withdraw(p, actor=c.cd, reason="Dates moved")
    db.session.commit()
    [mail] = [m for m in read_outbox(outbox) if "withdrawn" in m["Subject"] and minor.email in m["To"]]
    assert sorted(mail["To"].split(", ")) == sorted([minor.email, "gina.young@example.com"])
    assert "Gina Young is sent this email too" in mail_text(mail)


# --- comments ---------------------------------------------------------------------------------------

def test_comment_without_deciding(client, c):
    p = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.commit()
    resp = client.post(f"/api/v1/roles/{c.role.id}/comments", json={"talent_id": c.talents[0].id,
                                                                    "body": "Can we see a second tape?"},
                       headers=auth(c.producer))
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert (body["proposal_id"], body["author_name"], body["body"]) == (p.id, c.producer.name, "Can we see a second tape?")
    # On a candidate with no proposal: not tied to one. The casting director may comment too.
    resp = client.post(f"/api/v1/roles/{c.role.id}/comments", json={"talent_id": c.talents[1].id, "body": "Lovely."},
                       headers=auth(c.cd))
    assert resp.status_code == 201 and resp.json["proposal_id"] is None
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == "proposed"          # nothing was decided
    assert [e["proposal_id"] for e in _actions("proposal.commented")] == [p.id]
    assert [e["talent_id"] for e in _actions("candidate.commented")] == [c.talents[1].id]
    listed = client.get(f"/api/v1/roles/{c.role.id}/comments", headers=auth(c.producer)).json
    assert listed["total"] == 2 and listed["items"][0]["body"] == "Lovely."
    # Talent never read them.
    assert client.get(f"/api/v1/roles/{c.role.id}/comments", headers=auth(c.talents[0].user)).status_code == 404


def test_comment_rules(client, c):
    stranger = make_talent(user=make_user("talent"))
    reader = make_user("producer")
    from casting.productions.models import ProductionMember

    db.session.add(ProductionMember(production_id=c.production.id, user_id=reader.id, role="reader"))
    db.session.commit()
    url = f"/api/v1/roles/{c.role.id}/comments"
    assert client.post(url, json={"talent_id": c.talents[0].id, "body": " "}, headers=auth(c.producer)).status_code == 422
    resp = client.post(url, json={"talent_id": stranger.id, "body": "Who?"}, headers=auth(c.producer))
    assert resp.status_code == 409 and resp.json["error"]["code"] == "not_shortlisted"
    assert client.post(url, json={"talent_id": c.talents[0].id, "body": "Hi"}, headers=auth(reader)).status_code == 403
    assert count(ReviewComment) == 0
    with pytest.raises(NotShortlisted):
        services.comment(c.role, actor=c.producer, talent_id=stranger.id, body="Who?")
    with pytest.raises(ValidationError):
        services.comment(c.role, actor=c.producer, talent_id=c.talents[0].id, body="x" * 2001)
    with pytest.raises(InvalidState):
        services.withdraw(make_proposal(c.role, c.talents[0], by=c.cd), actor=c.cd, reason="x")
