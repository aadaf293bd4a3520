"""The day-before reminder: each confirmed talent whose callback starts within the next 24 hours is emailed
once (time in the venue's timezone, address and map link, what to bring, the safeguarding contact).

Run by ``flask --app casting reminders send`` and hourly by the job worker (a periodic task). Each batch is
claimed by one UPDATE of ``reminded_at`` where it is still empty, under the write lock, in the transaction
that queues its emails: two runs at once never remind one invitation twice, and a run that fails sends
nothing and claims nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from casting.audit import services as audit
from casting.callbacks import messages, notify
from casting.callbacks.invitations import portal_options
from casting.callbacks.models import CallbackSession, CallbackSessionStatus, Invitation, InvitationStatus
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.extensions import db
from casting.jobs.registry import periodic
from casting.productions.models import Production

REMINDER_WINDOW = timedelta(hours=24)
# Invitations claimed and emailed per transaction: a busy day is many short transactions, not one long one.
BATCH = 100


def due(now: datetime) -> sa.Select:
    """The ids of the confirmed invitations of scheduled sessions starting in (now, now + 24 h] and not
    reminded yet, soonest first (read through the index on invitations.starts_at)."""
    return (sa.select(Invitation.id).join(CallbackSession, CallbackSession.id == Invitation.session_id)
            .join(Production, Production.id == CallbackSession.production_id)
            .where(Invitation.status == InvitationStatus.confirmed, Invitation.reminded_at.is_(None),
                   Invitation.starts_at > now, Invitation.starts_at <= now + REMINDER_WINDOW,
                   CallbackSession.status == CallbackSessionStatus.scheduled,
                   Production.suspended_at.is_(None))  # its talent were told the callback is on hold
            .order_by(Invitation.starts_at, Invitation.id))


def send_due(now: datetime | None = None, *, batch: int = BATCH) -> int:
    """Remind every invitation that is due, ``batch`` at a time, each batch committed; return how many."""
    now = now or utcnow()
    sent = 0
    while True:
        if db.session().in_transaction():
            db.session.commit()
        lock_for_write()
        ids = db.session.scalars(due(now).limit(batch)).all()
        if not ids:
            db.session.rollback()
            return sent
        claimed = db.session.scalars(
            sa.update(Invitation).where(Invitation.id.in_(ids), Invitation.reminded_at.is_(None))
            .values(reminded_at=now).returning(Invitation.id),
            execution_options={"synchronize_session": False}).all()
        if not claimed:  # another run took them all since the read: nothing left for this one
            db.session.rollback()
            return sent
        invs = db.session.scalars(sa.select(Invitation).where(Invitation.id.in_(claimed))
                                  .options(*portal_options(), joinedload(Invitation.talent),
                                           joinedload(Invitation.session)
                                           .joinedload(CallbackSession.lead_casting_director))
                                  .order_by(Invitation.starts_at, Invitation.id)
                                  ).unique().all()
        for inv in invs:
            notify.reminder(inv, messages.talent_recipients(inv))
            audit.record("invitation.reminded", inv, actor=None, production_id=inv.session.production_id,
                         data={"starts_at": inv.starts_at})
        db.session.commit()
        sent += len(invs)


@periodic("callbacks.reminders", minute="0")
def hourly() -> None:
    """The worker's hourly run."""
    count = send_due()
    if count:
        current_app.logger.info("reminders sent: %s", count)
