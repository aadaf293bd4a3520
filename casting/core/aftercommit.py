"""Work that waits until the current transaction has committed, and never happens if it rolls back.

``after_commit(fn)`` queues ``fn`` on the database session. When the outermost transaction commits
the queued work becomes ready; a rollback drops it. ``run_after_commit()`` then runs what is ready,
outside any transaction: the request runs it right after its one commit (core/handlers.py), a job
after each of its commits (casting/jobs), and the app context's teardown runs what a CLI command or
script left. Each callback opens (and commits) its own transactions; one that fails is logged, and
the committed change stands (a job is its safety net).
"""
from __future__ import annotations

from typing import Callable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from casting.extensions import db

PENDING = "after_commit_pending"
READY = "after_commit_ready"


def after_commit(fn: Callable[[], None]) -> None:
    """Run ``fn`` once the current transaction has committed (never if it rolls back)."""
    session = db.session()
    if not session.in_transaction():
        # So that a rollback (which fires only inside a transaction) drops it.
        session.begin()
    session.info.setdefault(PENDING, []).append(fn)


def run_after_commit() -> int:
    """Run the work of committed transactions, in the order it was queued; return how many ran."""
    session = db.session()
    ran = 0
    while ready := session.info.pop(READY, None):
        for fn in ready:
            try:
                fn()
                if session.in_transaction():
                    session.commit()
            except Exception:  # the change it follows is committed: log, and let the safety net finish the work
                session.rollback()
                current_app.logger.exception("work after commit failed: %r", fn)
            ran += 1
    return ran


def pending_work() -> int:
    """How many callbacks wait for the current transaction to commit (for tests)."""
    return len(db.session().info.get(PENDING, []))


@sa.event.listens_for(Session, "after_commit")
def _committed(session):
    pending = session.info.pop(PENDING, None)
    if pending:
        session.info.setdefault(READY, []).extend(pending)


@sa.event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(PENDING, None)
