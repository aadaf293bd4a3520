"""Who may read which audit entries, and the filters of the audit page and API."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.core.errors import Forbidden
from casting.extensions import db


def visible_entries(user, *, production_id: int | None = None, action: str | None = None,
                    since: datetime | None = None) -> sa.Select:
    """Admins read everything; staff read the entries of productions they are members of."""
    from casting.productions.models import ProductionMember

    if user is None or user.role == "talent":
        raise Forbidden("Talent accounts do not read the audit log.")
    query = sa.select(AuditEntry)
    if not user.is_admin:
        mine = sa.select(ProductionMember.production_id).where(ProductionMember.user_id == user.id)
        query = query.where(AuditEntry.production_id.in_(mine))
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
