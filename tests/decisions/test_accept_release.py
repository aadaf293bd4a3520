"""The talent's answer: declining, signing (the role is cast), and the courteous release of the others."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.core.aftercommit import run_after_commit
from casting.core.errors import InvalidState
from casting.decisions import services
from casting.decisions.models import Proposal, Release
from casting.extensions import db
from tests.conftest import auth, count, read_outbox
from tests.decisions.factories import (
    make_called_back,
    make_casting,
    make_offer_document,
    make_proposal,
)
from tests.decisions.helpers import mail_text


@pytest.fixture
def c(app):
    world = make_casting()
    world.proposal = make_proposal(world.role, world.talents[0], by=world.cd, status="approved",
                                   decided_by=world.producer)
    world.document = make_offer_document(world.proposal)
    db.session.commit()
    return world


def _actions(*names):
    db.session.expire_all()
    return [e.action for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action.in_(names)).order_by(AuditEntry.id))]


def test_signing_accepts_casts_and_releases_the_others(client, c, outbox):
    # A talent who declined the callback and one only shortlisted are not "called back": no email for them.
    declined = make_called_back(c.role, c.talents[3], session=c.session, by=c.cd, status="declined")
    db.session.commit()
    services.offer_signed(c.document, actor=c.talents[0].user)
    db.session.commit()
    run_after_commit()  # the "not cast" notices: a job started by that commit
    db.session.expire_all()
    assert db.session.get(Proposal, c.proposal.id).status == "accepted"
    assert c.role.status == "cast"
    assert client.get(f"/api/v1/roles/{c.role.id}", headers=auth(c.producer)).json["status"] == "cast"
    assert _actions("proposal.accepted", "role.cast", "role.released") == [
        "proposal.accepted", "role.cast", "role.released", "role.released"]
    released = {r.talent_id for r in db.session.scalars(sa.select(Release))}
    assert released == {c.talents[1].id, c.talents[2].id} and declined.talent_id not in released
    mails = read_outbox(outbox)
    thanks = [m for m in mails if "thank you for your callback" in m["Subject"]]
    assert sorted(m["To"] for m in thanks) == sorted([c.talents[1].email, c.talents[2].email])
    text = mail_text(thanks[0])
    assert "We have now cast the role" in text and "no judgement of the work" in text
    assert c.talents[0].display_name not in text  # nobody is told who was cast
    assert "never ask you for money" in text
    welcome = next(m for m in mails if m["Subject"].startswith("Welcome to the cast"))
    assert welcome["To"] == c.talents[0].email and "cast as Maya" in mail_text(welcome)
    cast_note = next(m for m in mails if m["Subject"].endswith("Maya is cast"))
    assert c.cd.email in cast_note["To"] and c.producer.email in cast_note["To"]


def test_signed_copy_also_resolves_to_the_proposal(app, c):
    from casting.documents.models import Document

    signed = Document(kind="offer", serial="TEST-SIGNED-1", verification_code="SIGNEDCODE01", sha256=c.document.sha256,
                      blob_sha256=c.document.blob_sha256, production_id=c.production.id, status="signed",
                      recipient_talent_id=c.talents[0].id, signed_from_id=c.document.id, title="Offer (signed)",
                      audit_head_at_issue="0" * 64)
    db.session.add(signed)
    db.session.flush()
    assert services.offer_signed(signed, actor=c.talents[0].user).status == "accepted"


def test_signing_twice_or_a_declined_offer_refuses(app, c):
    services.offer_signed(c.document, actor=c.talents[0].user)
    db.session.commit()
    run_after_commit()  # the "not cast" notices: a job started by that commit
    with pytest.raises(InvalidState):
        services.offer_signed(c.document, actor=c.talents[0].user)
    db.session.rollback()
    assert count(Release) == 2  # nobody told twice


def test_decline_voids_the_offer_and_reopens_the_role(client, c, outbox):
    me = c.talents[0].user
    resp = client.post(f"/api/v1/proposals/{c.proposal.id}/decline", json={"reason": "I took another job."},
                       headers=auth(me))
    assert resp.status_code == 200 and resp.json["status"] == "declined"
    db.session.expire_all()
    assert c.document.status == "void" and "declined" in c.document.void_reason
    assert c.role.status == "open"
    assert _actions("proposal.declined") == ["proposal.declined"]
    note = next(m for m in read_outbox(outbox) if "declined" in m["Subject"])
    assert "I took another job." in mail_text(note) and c.cd.email in note["To"]
    again = client.post(f"/api/v1/proposals/{c.proposal.id}/decline", json={}, headers=auth(me))
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"
    # The casting director may now propose someone else.
    resp = client.post(f"/api/v1/roles/{c.role.id}/proposals",
                       json={"talent_id": c.talents[1].id, "terms": {"compensation": "Scale"}}, headers=auth(c.cd))
    assert resp.status_code == 201


def test_only_the_talent_declines(client, c):
    for user, status in ((c.talents[1].user, 404), (c.producer, 403), (c.cd, 403), (c.admin, 403)):
        resp = client.post(f"/api/v1/proposals/{c.proposal.id}/decline", json={}, headers=auth(user))
        assert resp.status_code == status, user
    assert db.session.get(Proposal, c.proposal.id).status == "approved"
    resp = client.post(f"/api/v1/proposals/{c.proposal.id}/decline", json={"reason": 5},
                       headers=auth(c.talents[0].user))
    assert resp.status_code == 422 and db.session.get(Proposal, c.proposal.id).status == "approved"


def test_manual_release_is_told_once(client, c, outbox):
    resp = client.post(f"/api/v1/roles/{c.role.id}/releases", json={"talent_id": c.talents[2].id}, headers=auth(c.cd))
    assert resp.status_code == 201 and resp.json["reason"] == "manual"
    [mail] = [m for m in read_outbox(outbox) if m["To"] == c.talents[2].email]
    assert "did not want to keep you waiting" in mail_text(mail)
    again = client.post(f"/api/v1/roles/{c.role.id}/releases", json={"talent_id": c.talents[2].id}, headers=auth(c.cd))
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    services.offer_signed(c.document, actor=c.talents[0].user)
    db.session.commit()
    run_after_commit()  # the "not cast" notices: a job started by that commit
    assert len([m for m in read_outbox(outbox) if m["To"] == c.talents[2].email]) == 1
    assert count(Release) == 2


def test_release_refusals(client, c):
    from tests.factories import make_talent

    stranger = make_talent()
    db.session.commit()
    cases = [(c.cd, c.talents[0].id, 409, "invalid_state"),     # has the open offer
             (c.cd, stranger.id, 409, "not_shortlisted"),
             (c.producer, c.talents[1].id, 403, "forbidden"),
             (c.talents[1].user, c.talents[1].id, 404, "not_found")]
    for user, talent_id, status, code in cases:
        resp = client.post(f"/api/v1/roles/{c.role.id}/releases", json={"talent_id": talent_id}, headers=auth(user))
        assert (resp.status_code, resp.json["error"]["code"]) == (status, code)
    assert count(Release) == 0
    # A released talent cannot then be proposed.
    client.post(f"/api/v1/roles/{c.role.id}/releases", json={"talent_id": c.talents[1].id}, headers=auth(c.cd))
    services.decline(c.proposal, actor=c.talents[0].user)
    db.session.commit()
    resp = client.post(f"/api/v1/roles/{c.role.id}/proposals",
                       json={"talent_id": c.talents[1].id, "terms": {"compensation": "Scale"}}, headers=auth(c.cd))
    assert resp.status_code == 409 and "released" in resp.json["error"]["message"]
