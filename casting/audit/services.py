"""Writing and verifying the audit chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

import sqlalchemy as sa
from flask import has_request_context, request

from casting.audit.models import GENESIS_HASH, AuditEntry
from casting.audit.signals import recorded_heads
from casting.core.auth import current_actor
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.core.signals import values_from
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


# json.dumps(..., ensure_ascii=False) escapes strings with exactly this function (C-accelerated).
_string = json.encoder.encode_basestring


def _scalar(value: str | int | None) -> str:
    """One header field as canonical JSON (strings, integers or null: the columns an entry has)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _string(value)
    return str(int(value))


def payload_text(id: int, created_at: str, actor_id: int | None, actor_label: str, action: str,
                 entity_type: str | None, entity_id: int | None, production_id: int | None, data: str) -> str:
    """The text an entry's hash covers: its fields as canonical JSON (sorted keys, no spaces), with ``data``
    spliced in as the exact text stored, never re-serialised.

    ``created_at`` is already formatted (``_iso``). For data that ``record`` wrote (canonical JSON) this is
    byte for byte ``canonical_json`` of the fields with data parsed, so chains written before the hash was
    taken over the stored text still verify; any other text (a duplicated key, spaces, reordered keys)
    hashes differently from what was recorded. Every field but ``data`` is JSON-escaped (created_at too: on
    SQLite it is stored text), so no field can borrow bytes from its neighbour: one text, one set of fields.
    """
    return (f'{{"action":{_string(action)},"actor_id":{_scalar(actor_id)},"actor_label":{_scalar(actor_label)},'
            f'"created_at":{_string(created_at)},"data":{data},"entity_id":{_scalar(entity_id)},'
            f'"entity_type":{_scalar(entity_type)},"id":{int(id)},"production_id":{_scalar(production_id)}}}')


def hash_text(prev_hash: str, text: str) -> str:
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


def compute_hash(prev_hash: str, entry) -> str:
    """hash = sha256(prev_hash + canonical JSON of the entry, with its stored data text verbatim)."""
    return hash_text(prev_hash, payload_text(entry.id, _iso(entry.created_at), entry.actor_id, entry.actor_label,
                                             entry.action, entry.entity_type, entry.entity_id, entry.production_id,
                                             entry.data))


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
    # Labels (document serials) whose recorded audit head is not an entry of the chain (at most UNRECORDED_LIMIT).
    unrecorded_heads: list[str] = field(default_factory=list)
    start_id: int = 0  # verified the entries after this one (0: from the genesis)


# One keyset batch of plain column values: no ORM objects, no type processing, nothing kept beyond the batch.
_T = AuditEntry.__table__.c
VERIFY_COLUMNS = (_T.id, _T.created_at, _T.actor_id, _T.actor_label, _T.action, _T.entity_type, _T.entity_id,
                  _T.production_id, _T.data, _T.prev_hash, _T.hash)
VERIFY_SQL = sa.text(f"SELECT {', '.join(c.name for c in VERIFY_COLUMNS)} FROM audit_entries "
                     "WHERE id > :after ORDER BY id LIMIT :batch")
VERIFY_BATCH = 5000
UNRECORDED_LIMIT = 20

Progress = Callable[[int, int], None]


def stored_iso(created_at: datetime | str) -> str:
    """``_iso`` of created_at as the driver hands it back unprocessed: the stored text on SQLite
    ('2027-03-01 09:00:00.000000', as SQLAlchemy always writes it), a naive UTC datetime on PostgreSQL."""
    if isinstance(created_at, str):
        return created_at.replace(" ", "T", 1) + "Z"
    return created_at.isoformat(timespec="microseconds") + "Z"


def verify_chain(expect_head: str | None = None, *, start: tuple[int, str] | None = None,
                 progress: Progress | None = None, batch: int = VERIFY_BATCH) -> VerifyResult:
    """Walk the chain; report the first entry that does not match, then any recorded head that is not in it.

    ``start`` is a trusted ``(id, hash)`` (a verified checkpoint, see ``checkpoints``): only the entries after
    it are read. ``progress(done, total)`` is called after every batch (``total`` from the newest id, so it
    costs no count), e.g. to update a job. Rows are read in keyset batches of plain values: memory stays
    constant however long the chain.
    """
    start_id, prev = start if start is not None else (0, GENESIS_HASH)
    expected_id = start_id + 1
    count = 0
    total = max(head()[0] - start_id, 0) if progress is not None else 0
    sha256 = hashlib.sha256
    last_id = start_id
    # The driver's own cursor, in the session's transaction: the walk is the whole cost of a verify, and
    # SQLAlchemy's Row objects were a sixth of it.
    cursor = db.session.connection().connection.cursor()
    placeholder = "?" if db.session.get_bind().dialect.paramstyle == "qmark" else "%s"
    sql = str(VERIFY_SQL).replace(":after", placeholder).replace(":batch", placeholder)
    entry_id = None
    try:
        while True:
            cursor.execute(sql, (last_id, batch))
            rows = cursor.fetchall()
            if not rows:
                break
            text_dates = isinstance(rows[0][1], str)
            for (entry_id, created_at, actor_id, actor_label, action, entity_type, entity_id, production_id, data,
                 prev_hash, entry_hash) in rows:
                if entry_id != expected_id:
                    reason = f"entry {expected_id} is missing"
                elif prev_hash != prev:
                    reason = "prev_hash does not match the entry before it"
                elif sha256((prev + payload_text(
                        entry_id,
                        # stored_iso, inlined: the stored text on SQLite, a naive UTC datetime on PostgreSQL
                        created_at.replace(" ", "T", 1) + "Z" if text_dates
                        else created_at.isoformat(timespec="microseconds") + "Z",
                        actor_id, actor_label, action, entity_type, entity_id, production_id, data)).encode()
                            ).hexdigest() != entry_hash:
                    reason = "hash does not match the entry's contents"
                else:
                    prev = entry_hash
                    expected_id += 1
                    continue
                return VerifyResult(False, expected_id - 1 - start_id, prev, entry_id, reason, start_id=start_id)
            last_id = expected_id - 1
            count = last_id - start_id
            rows = None  # let the batch go before the next one is read
            if progress is not None:
                progress(count, max(total, count))
    except (AttributeError, TypeError, ValueError):
        # A field of a type the app never writes (SQLite stores whatever it is given): tampered.
        return VerifyResult(False, expected_id - 1 - start_id, prev, entry_id,
                            "the entry's stored fields are not what the app writes", start_id=start_id)
    finally:
        cursor.close()
    if expect_head is not None and expect_head != prev:
        return VerifyResult(False, count, prev, None, f"head is {prev}, expected {expect_head} (truncated or rewritten)",
                            start_id=start_id)
    unrecorded = unrecorded_heads()
    if unrecorded:
        more = " and more" if len(unrecorded) > UNRECORDED_LIMIT else ""
        unrecorded = unrecorded[:UNRECORDED_LIMIT]
        return VerifyResult(False, count, prev, None,
                            f"recorded audit head not in the chain: {', '.join(unrecorded)}{more}",
                            unrecorded_heads=unrecorded, start_id=start_id)
    return VerifyResult(True, count, prev, start_id=start_id)


def unrecorded_heads(limit: int = UNRECORDED_LIMIT + 1) -> list[str]:
    """Labels (document serials) whose recorded audit head is neither the genesis nor an entry's hash.

    The features above answer ``recorded_heads`` with selects of (label, head); each is checked with one
    anti-join on the unique hash index, so this reads no entry twice and holds no set of hashes.
    """
    labels: list[str] = []
    for select in values_from(recorded_heads):
        recorded = select.subquery()
        label, recorded_head = recorded.c[0], recorded.c[1]
        missing = (sa.select(label).where(recorded_head != GENESIS_HASH,
                                          ~sa.exists().where(_T.hash == recorded_head))
                   .order_by(label).limit(limit - len(labels)))
        labels += db.session.scalars(missing).all()
        if len(labels) >= limit:
            break
    return labels
