"""The callbacks feature answers the features below it: role edits, talent links, sides readers."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casting.callbacks import bulk, gate, invitations, messages, reminders, services, shares
from casting.callbacks.models import (
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
    MessageKind,
    session_roles,
)
from casting.callbacks.signals import (
    invitation_cancelled,
    invitation_changed,
    invitation_checked_in,
    invitation_moved,
    session_ended,
    talent_asked,
)
from casting.core.errors import InvalidState
from casting.extensions import db
from casting.productions.access import can_manage
from casting.productions.signals import production_changing, role_changed, role_readers, venue_changing
from casting.talent.signals import talent_invitations, talent_links

# The callbacks feature's job handlers (bulk invitations, reissuing a changed session's letters) and its periodic
# task (the day-before reminders) register on import.
__all__ = ["bulk", "reminders"]


@talent_asked.connect
def into_the_thread(inv, *, actor, kind: str, text: str, **_) -> None:
    """A talent's reschedule request or access needs arrive in the invitation's message thread."""
    messages.record_request(inv, actor=actor, kind=MessageKind(kind), body=text)


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


def _scheduled(*where) -> list[CallbackSession]:
    return list(db.session.scalars(
        sa.select(CallbackSession).where(CallbackSession.status == CallbackSessionStatus.scheduled, *where)
        .options(*gate.checklist_options(production=True), selectinload(CallbackSession.invitations))
        .order_by(CallbackSession.starts_at, CallbackSession.id)).unique())


@production_changing.connect
def guard_production_sessions(production, *, change: str, **_):
    """Before an edit of the production or the removal of a member: what its scheduled sessions fail now, so the
    check after the change refuses only what the change breaks."""
    sessions = _scheduled(CallbackSession.production_id == production.id)
    before = gate.failures(sessions)

    def check(changed: list[str]) -> None:
        gate.enforce_each(sessions, change=change, before=before)
    return check


@venue_changing.connect
def guard_venue_sessions(venue, *, actor, change: str, **_):
    """Before an edit of a venue: every scheduled session held there must still pass what it passes now, and a
    room that stops being virtual must not end up holding two scheduled sessions at once."""
    sessions = _scheduled(CallbackSession.venue_id == venue.id)
    before = gate.failures(sessions)

    def check(changed: list[str]) -> None:
        letters_change = bool(LETTER_VENUE_FIELDS & set(changed))
        others = [s for s in sessions if not can_manage(s.production, actor)]
        if letters_change and others:
            # Whoever recorded a venue may not rewrite where another casting office's talent are sent.
            raise InvalidState(
                f"{venue.name} holds {len(others)} scheduled session{'s' if len(others) != 1 else ''} of productions "
                "you do not manage: its address, kind, timezone and meeting link cannot change while they are "
                "booked there. Record a new venue instead.", entity=venue)
        gate.enforce_each(sessions, change=change, before=before)
        if "kind" in changed:
            for session in sessions:
                services.require_venue_free(session, actor=actor)
        if not letters_change:
            return  # a new name or note: the letters still send talent to the same place
        # The letters name the place: each session's invited talent get new ones and are asked to confirm again,
        # as when a session moves to another venue.
        for session in sessions:
            invitations.follow_session_change(session, actor=actor, old_start=session.starts_at, changed=["venue"],
                                              time_changed=False)
    return check


# The venue fields a letter states (where talent go, and the times' zone): changing one reissues the letters.
LETTER_VENUE_FIELDS = frozenset({"address", "kind", "timezone", "meeting_url"})


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


# Trusted people (callbacks/shares.py) hear of what happens to a callback shared with them: one notify function.

@invitation_checked_in.connect
def tell_trusted_checked_in(invitation, **_) -> None:
    shares.notify(invitation, "checked_in")


@invitation_cancelled.connect
def tell_trusted_cancelled(invitation, *, reason="", **_) -> None:
    shares.notify(invitation, "cancelled", reason=reason)


@invitation_changed.connect
def tell_trusted_changed(invitation, **_) -> None:
    shares.notify(invitation, "changed")


@invitation_moved.connect
def tell_trusted_moved(invitation, **_) -> None:
    shares.notify(invitation, "moved")


@session_ended.connect
def tell_trusted_ended(session, **_) -> None:
    for invitation in session.invitations:
        if invitation.status in shares.ENDED_TOLD:
            shares.notify(invitation, "ended")
