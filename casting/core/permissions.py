"""Generic access helpers. The rules themselves live with their features (``<feature>/access.py``).

Something a caller may not see is a 404 (ids cannot be probed); something they see but
may not do is a 403.
"""
from __future__ import annotations

from typing import TypeVar

from casting.core.errors import Forbidden, NotFound
from casting.extensions import db

T = TypeVar("T")

# Primary keys are INTEGER columns (32-bit on PostgreSQL): a larger id is no row of ours, and
# would overflow the driver rather than find nothing.
MAX_ID = 2**31 - 1


def valid_id(value) -> int:
    """``value`` as a row id, 1..MAX_ID, else ValueError: e.g. ``request.args.get("role_id", type=valid_id)``,
    which reads an id out of range (or not a number) as no id at all."""
    ident = int(value)
    if not 0 < ident <= MAX_ID:
        raise ValueError(f"Must be an integer from 1 to {MAX_ID}.")
    return ident


def get_or_404(model: type[T], ident, *, options: tuple = ()) -> T:
    """The row with this primary key, or NotFound (``options``: loader options, e.g. what a page shows)."""
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < ident <= MAX_ID:
        raise NotFound()
    obj = db.session.get(model, ident, options=options or None)
    if obj is None:
        raise NotFound()
    return obj


def require_staff(user) -> None:
    """403 unless the account is a casting director or producer."""
    if user is None or not user.is_staff:
        raise Forbidden("Only casting directors and producers may do this.")


def require_admin(user) -> None:
    """403 unless the account is an admin."""
    if user is None or not user.is_admin:
        raise Forbidden("Only an admin may do this.")
