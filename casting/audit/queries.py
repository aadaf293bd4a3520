"""The audit page's and API's queries, with filters (and the reader's scope) given by the caller."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.extensions import db


def visible_entries(scope: sa.Select | None, *, production_id: int | None = None, action: str | None = None,
                    since: datetime | None = None) -> sa.Select:
    """Entries newest first, within ``scope`` (a select of production ids; None: every entry)."""
    query = sa.select(AuditEntry)
    if scope is not None:
        query = query.where(AuditEntry.production_id.in_(scope))
    if production_id is not None:
        query = query.where(AuditEntry.production_id == production_id)
    if action:
        # "session" matches every session.* action; a full name matches exactly.
        query = query.where(sa.or_(AuditEntry.action == action, AuditEntry.action.startswith(action + ".")))
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    return query.order_by(AuditEntry.id.desc())


def distinct_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
