"""Content-addressed blobs stored in the database, so a database backup is a backup of everything."""
from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casting.core.db import UTCDateTime, utcnow
from casting.extensions import db


class Blob(db.Model):
    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.Integer)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def store_blob(data: bytes, content_type: str) -> Blob:
    """Store bytes once under their hash and return the blob (existing or new)."""
    digest = sha256_hex(data)
    blob = db.session.get(Blob, digest)
    if blob is None:
        blob = Blob(sha256=digest, content_type=content_type, size=len(data), data=data)
        db.session.add(blob)
        db.session.flush()
    return blob


def load_blob(digest: str) -> Blob | None:
    """The blob with this hash, or None."""
    return db.session.get(Blob, digest)
