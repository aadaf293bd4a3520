"""The callbacks feature answers the features below it: role edits, talent links, sides readers."""
from __future__ import annotations

import sqlalchemy as sa

from casting.callbacks import bulk, gate
from casting.callbacks.models import (
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
    session_roles,
)
from casting.extensions import db
from casting.productions.signals import role_changed, role_readers
from casting.talent.signals import talent_invitations, talent_links

# The callbacks feature's job handlers (bulk invitations, reissuing a changed session's letters) register on import.
__all__ = ["bulk"]


@role_changed.connect
def recheck_scheduled_sessions(role, **_) -> None:
    """A scheduled session passed the checklist on this role as it was: the edit goes through the same
    gate, and a failure (ChecklistFailed) rolls the whole edit back."""
    scheduled = db.session.scalars(
        sa.select(CallbackSession).join(session_roles, session_roles.c.session_id == CallbackSession.id)
        .where(session_roles.c.role_id == role.id, CallbackSession.status == CallbackSessionStatus.scheduled)
    )
    for session in scheduled:
        gate.enforce(session)


@talent_links.connect
@talent_invitations.connect
def invited(_sender, **_) -> list[sa.Select]:
    """Talent are linked to the productions that invited them to a callback."""
    return [sa.select(Invitation.talent_id.label("talent_id"), CallbackSession.production_id.label("production_id"))
            .join(CallbackSession, CallbackSession.id == Invitation.session_id)]


@role_readers.connect
def invited_talent(role, *, user, **_) -> bool:
    """Talent invited for a role read its sides."""
    if user is None or not user.is_talent or user.talent_profile is None:
        return False
    return db.session.scalar(sa.select(Invitation.id).where(
        Invitation.role_id == role.id, Invitation.talent_id == user.talent_profile.id).limit(1)) is not None
