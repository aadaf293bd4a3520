"""Signed checkpoints of the audit chain: a verified head, so a later verify reads only the entries after it.

A checkpoint row holds ``token``: ``{"id", "hash", "at"}`` signed with the SECRET_KEY (itsdangerous; keys in
``SECRET_KEY_FALLBACKS`` still verify after a rotation). Someone who can write the database but does not hold
the key cannot make or move one; rewriting any entry up to the checkpoint (and re-hashing the chain after it, which
a plain verify cannot tell from the original) changes the checkpoint entry's hash, and is refused.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from casting.audit import services
from casting.audit.models import GENESIS_HASH, AuditCheckpoint
from casting.core.db import utcnow
from casting.extensions import db

SALT = "callback.audit-checkpoint"


class CheckpointInvalid(Exception):
    """The checkpoint cannot be trusted: the message says why."""


@dataclass(frozen=True)
class Head:
    entry_id: int
    entry_hash: str


def _serializer() -> URLSafeSerializer:
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or []), current_app.config["SECRET_KEY"]]
    return URLSafeSerializer(keys, salt=SALT)  # signs with the last key, verifies with any


def latest() -> AuditCheckpoint | None:
    return db.session.scalars(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()


def check(checkpoint: AuditCheckpoint) -> Head:
    """The head ``checkpoint`` vouches for, once its signature and the entry it names are as they were."""
    try:
        signed = _serializer().loads(checkpoint.token)
    except BadSignature:
        raise CheckpointInvalid(f"checkpoint {checkpoint.id}: the signature is not valid (forged, or signed "
                                "with another SECRET_KEY)") from None
    if not isinstance(signed, dict) or (signed.get("id"), signed.get("hash")) != (checkpoint.entry_id,
                                                                                 checkpoint.entry_hash):
        raise CheckpointInvalid(f"checkpoint {checkpoint.id}: its columns differ from what was signed")
    if (checkpoint.entry_id, checkpoint.entry_hash) == (0, GENESIS_HASH):  # made of an empty chain
        return Head(0, GENESIS_HASH)
    entry = db.session.execute(services.VERIFY_SQL, {"after": checkpoint.entry_id - 1, "batch": 1}).first()
    if entry is not None and entry.id != checkpoint.entry_id:
        entry = None
    if entry is None:
        raise CheckpointInvalid(f"checkpoint {checkpoint.id}: entry {checkpoint.entry_id} is missing")
    if entry.hash != checkpoint.entry_hash:
        raise CheckpointInvalid(f"checkpoint {checkpoint.id}: entry {checkpoint.entry_id}'s hash is no longer "
                                f"{checkpoint.entry_hash} (the chain up to it was rewritten)")
    (entry_id, created_at, actor_id, actor_label, action, entity_type, entity_id, production_id, data,
     prev_hash, entry_hash) = entry
    try:
        text = services.payload_text(entry_id, services.stored_iso(created_at), actor_id, actor_label, action,
                                     entity_type, entity_id, production_id, data)
    except (AttributeError, TypeError, ValueError):  # a field of a type the app never writes (SQLite)
        text = None
    if text is None or services.hash_text(prev_hash, text) != entry_hash:
        raise CheckpointInvalid(f"checkpoint {checkpoint.id}: entry {checkpoint.entry_id}'s contents no longer "
                                "match its hash")
    return Head(checkpoint.entry_id, checkpoint.entry_hash)


def verify_from_latest(expect_head: str | None = None, progress: services.Progress | None = None
                       ) -> tuple[services.VerifyResult, AuditCheckpoint | None]:
    """Verify the entries after the newest checkpoint (all of them when there is none yet).

    Raises CheckpointInvalid when the newest checkpoint cannot be trusted: then nothing is verified from it.
    """
    checkpoint = latest()
    start = None
    if checkpoint is not None:
        head = check(checkpoint)
        start = (head.entry_id, head.entry_hash)
    return services.verify_chain(expect_head, start=start, progress=progress), checkpoint


def save(result: services.VerifyResult) -> AuditCheckpoint:
    """Sign and store the head of a chain ``result`` verified (the caller commits)."""
    if not result.ok:
        raise ValueError("only a verified chain gets a checkpoint")
    entry_id = result.start_id + result.count  # ids are verified contiguous: the head's id
    now = utcnow()
    token = _serializer().dumps({"id": entry_id, "hash": result.head, "at": now.strftime("%Y-%m-%dT%H:%M:%SZ")})
    checkpoint = AuditCheckpoint(created_at=now, entry_id=entry_id, entry_hash=result.head, token=token)
    db.session.add(checkpoint)
    db.session.flush()
    return checkpoint
