"""`flask seed-demo` builds the whole demo through the services, prints the logins, and is idempotent."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casting.audit import services as audit
from casting.callbacks.gate import checklist_for, checklist_options
from casting.callbacks.models import CallbackSession, Invitation
from casting.calls.models import OpenCall, ShortlistEntry, Submission
from casting.decisions.models import Proposal
from casting.documents.models import Document
from casting.extensions import db
from casting.productions.models import ProductionRole
from casting.seed import PASSWORD, USERS
from tests.conftest import count


def test_seed_demo_builds_the_demo_once(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    for email, *_ in USERS:
        assert email in first.output
    assert PASSWORD in first.output

    call = db.session.scalar(sa.select(OpenCall))
    assert call.status == "published"
    assert 28 <= count(Submission) <= 32
    assert count(ShortlistEntry) >= 8
    roles = db.session.scalars(sa.select(ProductionRole).options(selectinload(ProductionRole.sides))
                               .order_by(ProductionRole.id)).all()
    assert len(roles) == 3 and all(r.sides for r in roles)

    # Loaded with what their checklists read (the N+1 guard refuses a query per session otherwise).
    listed = sa.select(CallbackSession).options(*checklist_options(production=True))
    sessions = {s.title: s for s in db.session.scalars(listed)}
    ready = [s for s in sessions.values() if s.status == "draft" and checklist_for(s).ready]
    failing = [s for s in sessions.values() if s.status == "draft" and not checklist_for(s).ready]
    assert len(ready) == 1
    # Ready means schedulable: no other scheduled session holds its studio then (one session a room).
    from casting.callbacks.services import venue_holder
    assert venue_holder(ready[0]) is None
    assert [checklist_for(s).failed_codes for s in failing] == [["no_fees", "professional_venue", "business_hours"]]

    talia_inv = db.session.scalar(sa.select(Invitation).join(Invitation.talent).where(
        Invitation.session.has(CallbackSession.status == "scheduled"), Invitation.status == "confirmed"))
    kinds = {d.kind for d in db.session.scalars(sa.select(Document).where(Document.invitation_id == talia_inv.id))}
    assert {"callback_confirmation", "consent_rider", "recording_release"} <= kinds

    assert any(r.status == "cast" for r in roles)
    assert db.session.scalar(sa.select(Proposal.status)) == "accepted"
    result = audit.verify_chain()
    assert result.ok and result.count > 100

    before = {m.__name__: count(m) for m in (Submission, CallbackSession, Document, Proposal)}
    head = result.head
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "already loaded" in second.output
    assert {m.__name__: count(m) for m in (Submission, CallbackSession, Document, Proposal)} == before
    assert audit.head()[1] == head
