"""The gate in the service layer: schedule only when ready; refusals change nothing and are audited."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks.services import schedule_session
from casting.core.errors import ChecklistFailed, Forbidden, InvalidState
from casting.extensions import db
from tests.callbacks.factories import make_ready_session
from tests.factories import make_user


def test_schedule_ready_session(app):
    s = make_ready_session()
    schedule_session(s, actor=s.lead_casting_director)
    assert s.status == "scheduled" and s.scheduled_at is not None
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "session.scheduled")).one()
    assert entry.entity_id == s.id and entry.production_id == s.production_id


def test_schedule_failing_session_raises_with_codes(app):
    s = make_ready_session(attest=False)
    s.production.safeguarding_contact = ""
    with pytest.raises(ChecklistFailed) as exc:
        schedule_session(s, actor=s.lead_casting_director)
    assert exc.value.details["failed"] == ["no_fees", "safeguarding_contact"]
    assert exc.value.audit_action == "session.schedule_blocked"
    assert s.status == "draft"


def test_only_a_casting_director_member_schedules_and_only_drafts(app):
    s = make_ready_session()
    with pytest.raises(Forbidden):
        schedule_session(s, actor=make_user("casting_director"))
    producer = next(m.user for m in s.production.members if m.role == "producer")
    with pytest.raises(Forbidden):
        schedule_session(s, actor=producer)
    schedule_session(s, actor=s.lead_casting_director)
    with pytest.raises(InvalidState):
        schedule_session(s, actor=s.lead_casting_director)


def test_cli_calls_the_same_gate(app, runner):
    from casting.callbacks.models import CallbackSession

    s = make_ready_session(attest=False)
    sid, email = s.id, s.lead_casting_director.email
    db.session.commit()
    result = runner.invoke(args=["sessions", "schedule", str(sid), "--as", email])
    assert result.exit_code != 0 and "checklist_failed" in result.output and "No fees asked of talent" in result.output
    db.session.expire_all()
    assert db.session.get(CallbackSession, sid).status == "draft"
    blocked = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "session.schedule_blocked")).one()
    assert "no_fees" in blocked.data and blocked.actor_label == email
    out = runner.invoke(args=["sessions", "checklist", str(sid)])
    assert "FAIL no_fees" in out.output and "not ready: no_fees" in out.output
    from casting.callbacks.services import attest

    attest(db.session.get(CallbackSession, sid), actor=s.lead_casting_director)
    db.session.commit()
    result = runner.invoke(args=["sessions", "schedule", str(sid), "--as", email])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(CallbackSession, sid).status == "scheduled"
