"""Who may read which audit entries, and who may verify the chain.

Admins read everything; casting directors and producers read the entries of the productions the
features above say they may (members, through the ``readable_productions`` signal); talent read none.
"""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit.signals import readable_productions
from casting.core.errors import Forbidden
from casting.core.permissions import require_admin
from casting.core.signals import values_from

__all__ = ["production_scope", "require_admin", "require_reader"]


def require_reader(user) -> None:
    """403 for talent (and anonymous callers): they do not read the audit log."""
    if user is None or user.is_talent:
        raise Forbidden("Talent accounts do not read the audit log.")


def production_scope(user) -> sa.Select | None:
    """The production ids whose entries ``user`` may read, or None for all (admins)."""
    require_reader(user)
    if user.is_admin:
        return None
    selects = values_from(readable_productions, user, require=True)
    return sa.union(*selects) if len(selects) > 1 else selects[0]
