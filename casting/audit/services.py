"""Writing and verifying the audit chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request

from casting.audit.models import GENESIS_HASH, AuditEntry
from casting.core.auth import current_actor
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.extensions import db


def _plain(value: Any) -> str:
    # Datetimes in entry data read back over the API like every other datetime there: UTC with Z.
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return str(value)


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept (datetimes as UTC ISO 8601 with Z)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_payload(entry) -> dict[str, Any]:
    """The fields an entry's hash covers."""
    return {
        "id": entry.id,
        "created_at": _iso(entry.created_at),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "production_id": entry.production_id,
        "data": json.loads(entry.data),
    }


def compute_hash(prev_hash: str, entry) -> str:
    """hash = sha256(prev_hash + canonical JSON of the entry)."""
    return hashlib.sha256((prev_hash + canonical_json(entry_payload(entry))).encode()).hexdigest()


def lock_chain() -> None:
    """Serialise writers so two transactions never append after the same head.

    SQLite transactions already start with BEGIN IMMEDIATE (see core.database), which
    holds the single write lock; PostgreSQL takes the transaction-scoped write lock.
    """
    lock_for_write()


def head() -> tuple[int, str]:
    """(id, hash) of the newest entry, or (0, genesis)."""
    row = db.session.execute(
        sa.select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def _actor_from_context(actor):
    if actor is not None:
        return actor
    if has_request_context():
        return current_actor()
    return None


def record(
    action: str,
    entity: Any = None,
    *,
    actor: Any = None,
    production_id: int | None = None,
    data: dict[str, Any] | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
) -> AuditEntry:
    """Append one entry in the current transaction (the caller commits with its change)."""
    actor = _actor_from_context(actor)
    if entity is not None:
        db.session.flush()
        entity_type = entity_type or getattr(entity, "__tablename__", type(entity).__name__)
        entity_id = entity_id if entity_id is not None else getattr(entity, "id", None)
        if production_id is None:
            production_id = getattr(entity, "production_id", None)
    payload = dict(data or {})
    if has_request_context():
        payload.setdefault("ip", request.remote_addr)
    lock_chain()
    last_id, prev = head()
    entry = AuditEntry(
        id=last_id + 1,
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "email", "") or "",
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        production_id=production_id,
        data=canonical_json(payload),
        prev_hash=prev,
    )
    entry.hash = compute_hash(prev, entry)
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass
class VerifyResult:
    ok: bool
    count: int
    head: str
    bad_id: int | None = None
    reason: str = ""


def verify_chain(expect_head: str | None = None, batch: int = 2000) -> VerifyResult:
    """Walk the chain from the start; report the first entry that does not match."""
    prev = GENESIS_HASH
    count = 0
    expected_id = 1
    last_id = 0
    while True:
        # Plain rows, not ORM objects: walking a long chain must not fill the identity map.
        table = AuditEntry.__table__
        rows = db.session.execute(
            sa.select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch)
        ).all()
        if not rows:
            break
        for entry in rows:
            if entry.id != expected_id:
                return VerifyResult(False, count, prev, entry.id, f"entry {expected_id} is missing")
            if entry.prev_hash != prev:
                return VerifyResult(False, count, prev, entry.id, "prev_hash does not match the entry before it")
            if compute_hash(prev, entry) != entry.hash:
                return VerifyResult(False, count, prev, entry.id, "hash does not match the entry's contents")
            prev = entry.hash
            count += 1
            expected_id += 1
            last_id = entry.id
    if expect_head is not None and expect_head != prev:
        return VerifyResult(False, count, prev, None, f"head is {prev}, expected {expect_head} (truncated or rewritten)")
    return VerifyResult(True, count, prev)
