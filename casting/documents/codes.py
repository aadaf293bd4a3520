"""Serial numbers (CB-2027-000123) and verification codes (12 symbols of Crockford base32 = 60 bits)."""
from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa

from casting.documents.models import Document
from casting.extensions import db

# Crockford's base32: digits and capitals without I, L, O and U, so a code read off paper
# cannot be mistyped as another; lookups map the look-alikes back (O -> 0, I/L -> 1).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 12 x 5 bits = 60 bits of randomness
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh verification code not used by any document."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(Document.id).where(Document.verification_code == code)) is None:
            return code


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN: how codes are printed and shown."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str | None) -> str | None:
    """The stored form of a typed code (any case, spaces or dashes, look-alike letters), or None."""
    if not text:
        return None
    code = "".join(ch for ch in text.upper() if ch not in " -\t").translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def next_serial(now: datetime) -> str:
    """The next serial of the year, e.g. CB-2027-000123.

    Callers hold the write lock (lock_for_write), so two issuers never read the same last
    serial; the unique constraint on ``serial`` is the backstop.
    """
    prefix = f"CB-{now.year}-"
    # A range, not LIKE: the serial index finds the year's last serial at once, even in a new year's first issue
    # (LIKE walked the whole index back through every earlier year to find none). "." follows "-" in ASCII.
    last = db.session.scalar(
        sa.select(Document.serial)
        .where(Document.serial >= prefix, Document.serial < f"CB-{now.year}.", Document.signed_from_id.is_(None))
        .order_by(Document.serial.desc()).limit(1)
    )
    number = int(last[len(prefix):len(prefix) + 6]) + 1 if last else 1
    return f"{prefix}{number:06d}"
