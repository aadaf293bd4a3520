"""The session's life (issue 13, item 3): the check-in window, no-shows, completing a session, cancelling and
moving one invitation, answering a talent's reschedule request. Services, API and pages."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import invitations
from casting.callbacks.models import Invitation
from casting.core.aftercommit import run_after_commit
from casting.core.errors import DoubleBooked, InvalidState, ValidationError
from casting.documents.models import Document
from casting.extensions import db
from tests.callbacks.factories import make_ready_session, set_clock
from tests.conftest import auth, read_outbox
from tests.factories import make_shortlist_entry, make_talent, make_user


def _world(*, recorded=False):
    use = "Shown only to the director and producers to choose the cast, then deleted." if recorded else None
    s = make_ready_session(scheduled=True, recorded=recorded, recording_use=use)
    cd = s.lead_casting_director
    talent_user = make_user("talent", name="Tara Talent", email="tara@example.com")
    talent = make_talent(user=talent_user)
    make_shortlist_entry(s.roles[0], talent, by=cd)
    inv = invitations.invite(s, actor=cd, talent_id=talent.id, role_id=s.roles[0].id, starts_at=s.starts_at)
    db.session.commit()
    return s, cd, inv, talent_user


def _docs(inv) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in db.session.scalars(sa.select(Document).where(Document.invitation_id == inv.id,
                                                          Document.signed_from_id.is_(None)).order_by(Document.id)):
        out.setdefault(d.kind, []).append(d.status)
    return out


def _actions(entity_id, prefix="invitation") -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_id == str(entity_id))
                                   .order_by(AuditEntry.id)))


# ---- move ------------------------------------------------------------------------------------

def test_move_voids_the_old_letters_issues_new_ones_and_tells_the_talent(app, outbox):
    s, cd, inv, _ = _world()
    inv.status = "confirmed"
    db.session.commit()
    [old_letter] = db.session.scalars(sa.select(Document).where(Document.invitation_id == inv.id)).all()
    before = len(read_outbox(outbox))
    new_start = s.starts_at + timedelta(minutes=40)
    moved = invitations.move(inv, actor=cd, starts_at=new_start)
    db.session.commit()
    run_after_commit()  # the new letters are rendered after the commit; the mail waits for them
    assert moved is inv and inv.starts_at == new_start and inv.ends_at == new_start + timedelta(minutes=20)
    assert inv.status == "invited"  # asked to confirm the new time
    assert old_letter.status == "void"
    assert _docs(inv) == {"callback_confirmation": ["void", "issued"]}
    assert [e.kind for e in inv.events][-1] == "moved" and inv.events[-1].from_starts_at == s.starts_at
    assert "invitation.moved" in db.session.scalars(sa.select(AuditEntry.action)).all()
    mails = [m for m in read_outbox(outbox)[before:] if m["To"] == "tara@example.com"]
    assert len(mails) == 1 and mails[0]["Subject"].startswith("Callback moved")
    body = mails[0].get_body(("plain",)).get_content()
    assert "10:00" in body and "10:40" in body and "confirm" in body
    [ics] = [p for p in mails[0].iter_attachments() if p.get_content_type() == "text/calendar"]
    assert b"SEQUENCE:1" in ics.get_payload(decode=True)


def test_move_follows_the_rules_of_inviting(app, monkeypatch):
    s, cd, inv, _ = _world()
    other = make_talent(legal_name="Other Person")
    make_shortlist_entry(s.roles[0], other, by=cd)
    taken = invitations.invite(s, actor=cd, talent_id=other.id, role_id=s.roles[0].id,
                               starts_at=s.starts_at + timedelta(minutes=20))
    db.session.commit()
    for bad in (s.starts_at + timedelta(minutes=7), s.ends_at, s.starts_at):
        with pytest.raises(ValidationError):
            invitations.move(inv, actor=cd, starts_at=bad)
    with pytest.raises(DoubleBooked) as caught:
        invitations.move(inv, actor=cd, starts_at=taken.starts_at)
    assert caught.value.details == {"conflict": "slot"}
    producer = next(u for u in s.panel if u.id != cd.id)
    from casting.core.errors import Forbidden
    with pytest.raises(Forbidden):
        invitations.move(inv, actor=producer, starts_at=s.starts_at + timedelta(minutes=60))
    # Once the slot has started, it is too late to move it.
    set_clock(monkeypatch, s.starts_at + timedelta(minutes=1))
    with pytest.raises(InvalidState):
        invitations.move(inv, actor=cd, starts_at=s.starts_at + timedelta(minutes=60))
    db.session.rollback()
    assert db.session.get(Invitation, inv.id).starts_at == s.starts_at
