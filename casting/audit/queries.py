"""The audit page's and API's queries, with filters (and the reader's scope) given by the caller.

Every filter is an index range: (production_id, id), (action, id), created_at; paging is by id (keyset),
so a page of the newest entries costs the same at a million rows as at a hundred.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from casting.audit import actions
from casting.audit.models import AuditEntry
from casting.extensions import db


def subject_actions(subject: str) -> list[str]:
    """The declared actions of a subject ("session" → session.*); none for a full name or an open family."""
    if "." in subject or subject in actions.FAMILIES:
        return []
    return sorted(a for a in actions.ACTIONS if a.startswith(subject + "."))


def action_condition(action: str) -> sa.ColumnElement[bool]:
    """A full name matches exactly; a subject ("session") every declared ``session.*`` action (one
    index lookup each); an open family ("blocked") or an undeclared subject by prefix."""
    if "." in action:
        return AuditEntry.action == action
    declared = subject_actions(action)
    if declared:
        return AuditEntry.action.in_(declared)
    return sa.or_(AuditEntry.action == action, AuditEntry.action.startswith(action + ".", autoescape=True))


def visible_entries(scope: sa.Select | None, *, production_id: int | None = None, action: str | None = None,
                    since: datetime | None = None, before: int | None = None, after: int | None = None,
                    columns: tuple | None = None) -> sa.Select:
    """Entries within ``scope`` (a select of production ids; None: every entry), newest first; with
    ``after``, the oldest first above that id (the page before, to be reversed by the caller). ``columns``:
    only those, as rows (default: the entries)."""
    query = sa.select(*columns) if columns else sa.select(AuditEntry)
    if scope is not None:
        query = query.where(AuditEntry.production_id.in_(scope))
    if production_id is not None:
        query = query.where(AuditEntry.production_id == production_id)
    if action:
        query = query.where(action_condition(action))
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    if after is not None:
        return query.where(AuditEntry.id > after).order_by(AuditEntry.id.asc())
    return query.order_by(AuditEntry.id.desc())


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    older: int | None  # ?before= for the next older page, or None at the oldest
    newer: int | None  # ?after= for the next newer page, or None at the newest


# What the page shows of an entry (not its data's previous hash or the actor's id): read as rows, not entries.
PAGE_COLUMNS = (AuditEntry.id, AuditEntry.created_at, AuditEntry.actor_label, AuditEntry.action, AuditEntry.entity_type,
                AuditEntry.entity_id, AuditEntry.production_id, AuditEntry.data, AuditEntry.hash)

# Past this many (production, action) pairs a page is one query with IN lists instead of merged ranges.
MAX_BRANCHES = 64


def keyset_page(scope: sa.Select | None, *, per_page: int, before: int | None = None, after: int | None = None,
                **filters: Any) -> KeysetPage:
    """One page newest first, ``before`` or ``after`` an id: no OFFSET, no count.

    An IN list (a member's productions, the actions of a subject such as "session") would read every matching
    entry to sort them by id. Instead each production of the member's (or else each action of the subject) is one
    (column, id) index range cut to a page, and the pages are merged (UNION ALL): at most ``per_page + 1`` rows
    read per branch, at any table size. The items are rows of ``PAGE_COLUMNS``.
    """
    keys = {"before": before, "after": after, "columns": PAGE_COLUMNS, **filters}
    action = keys.pop("action", None)
    production_id = keys.pop("production_id", None)
    if production_id is None and scope is not None:
        # The member's productions; a branch per production needs no IN of its own.
        productions = list(db.session.scalars(scope.limit(MAX_BRANCHES + 1)))
        if not productions:
            return KeysetPage([], None, None)
        if len(productions) <= MAX_BRANCHES:
            branches = [visible_entries(None, production_id=p, action=action, **keys) for p in productions]
        else:
            branches = [visible_entries(scope, action=action, **keys)]
    else:
        subject = subject_actions(action) if action else []
        branches = [visible_entries(scope, production_id=production_id, action=a, **keys)
                    for a in (subject or [action])]
    if len(branches) > 1:
        # Each range is its own subquery (SQLite takes no LIMIT on a bare UNION member); the union itself is
        # ordered by the column's name, not wrapped again (selecting from a subquery costs a copy of its columns).
        query = sa.union_all(*(sa.select(b.limit(per_page + 1).subquery()) for b in branches)) \
            .order_by(sa.asc("id") if after is not None else sa.desc("id"))
    else:
        query = branches[0]
    rows = db.session.execute(query.limit(per_page + 1)).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    if after is not None:
        rows.reverse()
        has_older, has_newer = True, more
    else:
        has_older, has_newer = more, before is not None
    return KeysetPage(rows, rows[-1].id if rows and has_older else None, rows[0].id if rows and has_newer else None)
