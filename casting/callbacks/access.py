"""Who may see a callback session and an invitation, and who acts on them.

Sessions belong to their production's members (and admins). An invitation is also its
talent's; panel notes are never shown to talent. Not visible is a 404.
"""
from __future__ import annotations

from casting.callbacks.models import CallbackSession, Invitation, MessageSide
from casting.core.errors import Forbidden, NotFound
from casting.core.permissions import get_or_404
from casting.productions.access import (
    can_see_production,
    membership,
    require_manager,
    require_not_suspended,
    require_production_role,
    visible_production,
)


def visible_session(session_id, user, *, options: tuple = ()) -> CallbackSession:
    """The session if its production is visible to ``user``, else NotFound (``options``: what to load with it)."""
    session = get_or_404(CallbackSession, session_id, options=options)
    visible_production(session.production_id, user)
    return session


def managed_session(session_id, user) -> CallbackSession:
    """The session for a casting director of its production to act on (404 if not visible, then 403)."""
    session = visible_session(session_id, user)
    require_manager(session.production, user)
    return session


def visible_invitation(invitation_id, user) -> Invitation:
    """The invitation if ``user`` is its talent, a member of its production or an admin; else NotFound."""
    inv = get_or_404(Invitation, invitation_id)
    if user is None:
        raise NotFound()
    if inv.talent.user_id is not None and inv.talent.user_id == user.id:
        return inv
    if not user.is_talent and can_see_production(inv.session.production, user):
        return inv
    raise NotFound()


def is_production_side_user(production, user) -> bool:
    """Production members and admins see panel notes; talent never do."""
    return user is not None and not user.is_talent and can_see_production(production, user)


def is_production_side(inv: Invitation, user) -> bool:
    """Whether ``user`` may see this invitation's panel notes."""
    return is_production_side_user(inv.session.production, user)


def require_own(inv: Invitation, actor) -> None:
    """NotFound unless ``actor`` is the invited talent (others must not learn it exists)."""
    if actor is None or inv.talent.user_id != actor.id:
        raise NotFound()


def require_panel(inv: Invitation, actor) -> None:
    """403 unless ``actor`` is on the panel of the invitation's session."""
    session = inv.session
    require_production_role(session.production, actor)
    if actor.id not in {u.id for u in session.panel}:
        raise Forbidden("Only members of this session's panel rate talent.", production_id=session.production_id)


def thread_side(inv: Invitation, actor) -> MessageSide:
    """Which side ``actor`` writes for in the invitation's thread: the invited talent, or a member of its
    production. Anyone else who sees the invitation (an admin) reads the thread but is refused (403)."""
    if actor is not None and inv.talent.user_id is not None and inv.talent.user_id == actor.id:
        return MessageSide.talent
    if actor is not None and not actor.is_talent and membership(inv.session.production, actor) is not None:
        # A suspended production's members write to nobody (the talent were told the callback is on hold);
        # the talent may still write, e.g. to ask what is going on.
        require_not_suspended(inv.session.production)
        return MessageSide.production
    raise Forbidden("Only the invited talent and the production's members write in this thread.",
                    production_id=inv.session.production_id)
