"""An invitation's message thread: the production's members and that talent (a minor's guardian copied).

Each message is audited and emailed (after the commit) to the other side, and to the production members who
take part in the thread; a talent under 18 has their guardian copied on every message. A talent's reschedule
request and access needs arrive in the thread too (``record_request``, connected in receivers.py); their
email is the one invitations.py already sends.
"""
from __future__ import annotations

from functools import cache
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casting.accounts.models import User
from casting.audit import services as audit
from casting.callbacks import access
from casting.callbacks.models import Invitation, InvitationMessage, MessageKind, MessageSide
from casting.core.errors import ValidationError
from casting.core.links import public_url
from casting.core.mail import render_body, send_mail
from casting.core.security import control_character_error
from casting.extensions import db
from casting.talent.services import minor_today

# Most characters of a message: the form, the API spec and the service take it from here.
MESSAGE_LIMITS = {"body": 5000}
# The web page shows the latest this many, with a link to older ones.
THREAD_PAGE = 50


def clean_body(body) -> str:
    """The message text, stripped; ValidationError when empty, too long or with a control character."""
    if not isinstance(body, str):
        raise ValidationError({"body": ["Write a message."]})
    if message := control_character_error(body, multiline=True):
        raise ValidationError({"body": [message]})
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["Write a message."]})
    if len(body) > MESSAGE_LIMITS["body"]:
        raise ValidationError({"body": [f"At most {MESSAGE_LIMITS['body']} characters."]})
    return body


def thread_query(inv: Invitation) -> sa.Select:
    """The invitation's messages, oldest first, each with its author loaded."""
    return (sa.select(InvitationMessage).where(InvitationMessage.invitation_id == inv.id)
            .options(joinedload(InvitationMessage.author)).order_by(InvitationMessage.id))


def author_name(message: InvitationMessage, inv: Invitation) -> str:
    """Who wrote it, as both sides see it: the talent's name, or the member's."""
    if message.side == MessageSide.talent:
        return inv.talent.display_name
    return message.author.name if message.author is not None else "The casting office"


def _add(inv: Invitation, *, actor, side: MessageSide, kind: MessageKind, body: str) -> InvitationMessage:
    message = InvitationMessage(invitation_id=inv.id, author_id=getattr(actor, "id", None), side=side, kind=kind,
                                body=body)
    db.session.add(message)
    db.session.flush()
    audit.record("message.posted", message, actor=actor, production_id=inv.session.production_id,
                 data={"invitation_id": inv.id, "side": str(side), "kind": str(kind), "length": len(body)})
    return message


def post(inv: Invitation, *, actor, body) -> InvitationMessage:
    """``actor`` (the invited talent, or a member of the production) writes in the thread; the other side
    is emailed. Admins read threads but do not write in them (403)."""
    side = access.thread_side(inv, actor)
    body = clean_body(body)
    message = _add(inv, actor=actor, side=side, kind=MessageKind.message, body=body)
    _email(inv, message, actor)
    return message


def record_request(inv: Invitation, *, actor, kind: MessageKind, body: str) -> InvitationMessage:
    """A talent's reschedule request or access needs, kept in the thread (already checked and emailed by the
    action that made it)."""
    return _add(inv, actor=actor, side=MessageSide.talent, kind=kind, body=body)


@cache
def _summaries_query() -> sa.Select:
    # Built once (building a select costs more than running it); a function: the mappers must be configured first.
    per_thread = (sa.select(InvitationMessage.invitation_id, sa.func.count().label("n"),
                            sa.func.max(InvitationMessage.id).label("last_id"))
                  .where(InvitationMessage.invitation_id.in_(sa.bindparam("ids", expanding=True)))
                  .group_by(InvitationMessage.invitation_id).subquery())
    return (sa.select(per_thread.c.invitation_id, per_thread.c.n, InvitationMessage.side, InvitationMessage.body,
                      InvitationMessage.created_at, InvitationMessage.author_id, User.name.label("author_name"))
            .join(InvitationMessage, InvitationMessage.id == per_thread.c.last_id)
            .outerjoin(User, User.id == InvitationMessage.author_id))


def summaries(invitation_ids: list[int]) -> dict[int, tuple[int, SimpleNamespace]]:
    """{invitation id: (how many messages, the latest)} for the invitations that have any: one query whatever
    the number of invitations or messages (the portal shows it per callback). The latest is a plain row with
    what ``author_name`` and the page read: side, body, created_at, author (its name) and invitation_id."""
    if not invitation_ids:
        return {}
    return {r.invitation_id: (r.n, SimpleNamespace(
                invitation_id=r.invitation_id, side=r.side, body=r.body, created_at=r.created_at,
                author=SimpleNamespace(name=r.author_name) if r.author_id is not None else None))
            for r in db.session.connection().execute(_summaries_query(), {"ids": list(invitation_ids)})}


# ---- who is told --------------------------------------------------------------------------------

def talent_recipients(inv: Invitation) -> list[str]:
    """The talent's email, and their guardian's while the talent is under 18."""
    talent = inv.talent
    out = [talent.email]
    if talent.guardian_email and minor_today(talent) and talent.guardian_email not in out:
        out.append(talent.guardian_email)
    return out


def production_recipients(inv: Invitation, *, exclude: str | None = None) -> list[str]:
    """The session's lead casting director and every member who has written in this thread."""
    writers = db.session.scalars(
        sa.select(User.email).join(InvitationMessage, InvitationMessage.author_id == User.id)
        .where(InvitationMessage.invitation_id == inv.id, InvitationMessage.side == MessageSide.production)
        .distinct().order_by(User.email)).all()
    out = []
    for email in [inv.session.lead_casting_director.email, *writers]:
        if email and email != exclude and email not in out:
            out.append(email)
    return out


def _email(inv: Invitation, message: InvitationMessage, actor) -> None:
    session = inv.session
    production = session.production
    context = {"invitation": inv, "session": session, "production": production, "talent": inv.talent,
               "message": message, "author": author_name(message, inv),
               "link": public_url("messages.thread", invitation_id=inv.id)}
    mine = getattr(actor, "email", None)
    talent_side = talent_recipients(inv)
    if message.side == MessageSide.production:
        send_mail(talent_side, f"Message about your callback: {production.title} — {inv.role.name}",
                  render_body("invitation_message.txt", **context, to_talent=True))
    elif len(talent_side) > 1:  # the guardian sees what their child writes
        send_mail(talent_side[1:], f"Message about {inv.talent.display_name}'s callback: {production.title}",
                  render_body("invitation_message.txt", **context, to_talent=True))
    staff = production_recipients(inv, exclude=mine)
    if staff:
        send_mail(staff, f"{session.title}: message from {context['author']} ({inv.talent.display_name})",
                  render_body("invitation_message.txt", **context, to_talent=False))
