"""Someone knows where you are (issue 14): a talent shares a callback with a trusted person.

The trusted person (a name and an email; for a minor, the guardian unless the talent names someone else) is sent
the callback's time, address, panel, the safeguarding contact and the letter's verification code, then told when
the talent is checked in, when the session ends, and if it is cancelled or moved, until the talent stops sharing.
Every notice goes through ``notify``, after the change it follows has committed (so a moved callback's notice
carries the new letter's code).
"""
from __future__ import annotations

from functools import cache, partial

import sqlalchemy as sa
from flask import current_app

from casting.audit import services as audit
from casting.callbacks import access
from casting.callbacks.models import (
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
    InvitationShare,
    InvitationStatus,
    ShareStatus,
)
from casting.callbacks.notify import where
from casting.callbacks.signals import invitation_details
from casting.core.aftercommit import after_commit
from casting.core.db import utcnow
from casting.core.errors import Duplicate, InvalidState, NotFound, ValidationError
from casting.core.mail import is_address, render_body, send_mail
from casting.core.permissions import MAX_ID
from casting.core.signals import values_from
from casting.core.timefmt import to_local
from casting.extensions import db
from casting.jobs.registry import periodic
from casting.talent.age import is_minor_on

SHARE_LIMITS = {"name": 200, "email": 254}
MAX_ACTIVE_SHARES = 5
# Invitations a talent may still share: the callback is ahead of them or under way.
SHAREABLE = frozenset({InvitationStatus.invited, InvitationStatus.confirmed, InvitationStatus.reschedule_requested,
                       InvitationStatus.checked_in})
# Invitations whose trusted people hear that the session ended: not one the talent declined or that was
# cancelled (they were told then).
ENDED_TOLD = SHAREABLE | {InvitationStatus.attended, InvitationStatus.no_show}
EVENTS = ("started", "checked_in", "ended", "cancelled", "moved", "changed", "stopped")
SUBJECTS = {
    "started": "{talent} shared their callback with you",
    "checked_in": "{talent} has checked in at their callback",
    "ended": "{talent}'s callback session has ended",
    "cancelled": "{talent}'s callback is cancelled",
    "moved": "{talent}'s callback has moved",
    "changed": "{talent}'s callback has changed",
    "stopped": "{talent} stopped sharing their callback with you",
}


def is_minor_for(inv: Invitation, talent=None) -> bool:
    """Whether the talent (``talent``: the invitation's, when already at hand) is under 18 on the callback's day
    (in the venue's timezone)."""
    talent = talent or inv.talent
    return is_minor_on(talent.date_of_birth, to_local(inv.starts_at, inv.session.venue.timezone).date())


def default_person(inv: Invitation, talent=None) -> tuple[str, str] | None:
    """A minor's guardian (name, email): who a minor's callback is shared with when they name nobody."""
    talent = talent or inv.talent
    if is_minor_for(inv, talent) and talent.guardian_email:
        return talent.guardian_name or "Guardian", talent.guardian_email
    return None


def active_shares(inv: Invitation) -> list[InvitationShare]:
    return list(db.session.scalars(sa.select(InvitationShare).where(
        InvitationShare.invitation_id == inv.id, InvitationShare.status == ShareStatus.active)
        .order_by(InvitationShare.id)))


def shares_of(invitations) -> dict[int, list]:
    """The active shares of each invitation (one query for them all), for the portal: plain rows (id,
    invitation_id, name, email, is_guardian)."""
    ids = [inv.id for inv in invitations]
    out: dict[int, list] = {i: [] for i in ids}
    if ids:
        for share in db.session.connection().execute(_shares_query(), {"ids": ids}):
            out[share.invitation_id].append(share)
    return out


@cache
def _shares_query() -> sa.Select:
    # Built once (building a select costs more than running it); a function: the mappers must be configured first.
    return (sa.select(InvitationShare.id, InvitationShare.invitation_id, InvitationShare.name, InvitationShare.email,
                      InvitationShare.is_guardian)
            .where(InvitationShare.invitation_id.in_(sa.bindparam("ids", expanding=True)),
                   InvitationShare.status == ShareStatus.active).order_by(InvitationShare.id))


def start_share(inv: Invitation, *, actor, name: str | None = None, email: str | None = None) -> InvitationShare:
    """The talent shares ``inv`` with a trusted person (a minor's guardian when no one is named)."""
    access.require_own(inv, actor)
    if inv.status not in SHAREABLE or inv.session.status != CallbackSessionStatus.scheduled:
        raise InvalidState(f"This callback is {inv.status.replace('_', ' ')}; there is nothing to share.",
                           entity=inv, production_id=inv.session.production_id)
    name, email = (name or "").strip(), (email or "").strip()
    is_guardian = False
    if not name and not email and (guardian := default_person(inv)):
        (name, email), is_guardian = guardian, True
    errors: dict[str, list[str]] = {}
    if not name or len(name) > SHARE_LIMITS["name"]:
        errors["name"] = [f"Give the name of the person you trust (at most {SHARE_LIMITS['name']} characters)."]
    if not email or len(email) > SHARE_LIMITS["email"] or not is_address(email) or "<" in email:
        errors["email"] = ["Give their email address, e.g. sam@example.com."]
    if errors:
        raise ValidationError(errors)
    shares = active_shares(inv)
    if any(s.email.lower() == email.lower() for s in shares):
        raise Duplicate(f"You already share this callback with {email}.", entity=inv,
                        production_id=inv.session.production_id)
    if len(shares) >= MAX_ACTIVE_SHARES:
        raise InvalidState(f"You share this callback with {MAX_ACTIVE_SHARES} people already; stop one first.",
                           entity=inv, production_id=inv.session.production_id)
    if not is_guardian and (guardian := default_person(inv)) and guardian[1].lower() == email.lower():
        is_guardian = True
    share = InvitationShare(invitation_id=inv.id, name=name, email=email, is_guardian=is_guardian,
                            created_by_id=actor.id)
    db.session.add(share)
    db.session.flush()
    audit.record("share.started", share, actor=actor, production_id=inv.session.production_id,
                 # Who the trusted person is stays between the talent and them: the production reads this entry.
                 data={"invitation_id": inv.id, "guardian": is_guardian})
    notify(inv, "started", share_ids=[share.id])
    return share


def visible_share(share_id, user) -> InvitationShare:
    """A share, for the talent who made it only (anyone else: 404, its trusted person is private)."""
    share = (db.session.get(InvitationShare, share_id)
             if isinstance(share_id, int) and 0 < share_id <= MAX_ID else None)  # out of range: 404, not a 500
    if share is None or user is None or share.invitation.talent.user_id != user.id:
        raise NotFound()
    return share


def stop_share(share: InvitationShare, *, actor) -> InvitationShare:
    """The talent stops sharing: the trusted person is told once and hears nothing more."""
    inv = share.invitation
    access.require_own(inv, actor)
    if share.status == ShareStatus.stopped:
        return share
    notify(inv, "stopped", share_ids=[share.id])
    share.status = ShareStatus.stopped
    share.stopped_at = utcnow()
    db.session.flush()
    audit.record("share.stopped", share, actor=actor, production_id=inv.session.production_id,
                 data={"invitation_id": inv.id})
    return share


def notify(inv: Invitation, event: str, *, share_ids: list[int] | None = None, **facts) -> None:
    """The one way trusted people hear about a callback: ``event`` (see EVENTS) to the invitation's active
    shares (or ``share_ids``), sent once the current transaction commits."""
    assert event in EVENTS, event
    after_commit(partial(_send, inv.id, event, share_ids, dict(facts)))


def _letter_code(inv: Invitation) -> str | None:
    """The current confirmation letter's verification code (from the documents feature)."""
    docs = [d for answer in values_from(invitation_details, [inv]) for d in answer.get(inv.id, {}).get("documents", [])]
    current = [d for d in docs if d["kind"] == "callback_confirmation" and d["status"] not in ("void", "superseded")]
    return current[-1]["verification_code"] if current else None


def _send(invitation_id: int, event: str, share_ids: list[int] | None, facts: dict) -> None:
    inv = db.session.get(Invitation, invitation_id)
    if inv is None:
        return
    query = sa.select(InvitationShare).where(InvitationShare.invitation_id == inv.id).order_by(InvitationShare.id)
    query = query.where(InvitationShare.id.in_(share_ids)) if share_ids else \
        query.where(InvitationShare.status == ShareStatus.active)
    shares = db.session.scalars(query).all()
    if event == "ended":
        shares = [s for s in shares if s.ended_notified_at is None]
    if not shares:
        return
    session = inv.session
    code = _letter_code(inv) if event not in ("cancelled", "stopped", "ended") else None
    context = {"invitation": inv, "session": session, "production": session.production, "talent": inv.talent,
               "tz": session.venue.timezone, "where": where(session.venue), "event": event, "code": code, **facts}
    subject = SUBJECTS[event].format(talent=inv.talent.display_name)
    for share in shares:
        send_mail(share.email, subject, render_body("share_notice.txt", share=share, **context))
        if event == "ended":
            share.ended_notified_at = utcnow()
    db.session.flush()


def tell_ended(now=None) -> int:
    """Tell the trusted people of every session whose end has passed (once each); returns the sessions told about.
    Run it now and then (``flask --app casting shares ended``), like the reminders."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Invitation.id).join(CallbackSession, CallbackSession.id == Invitation.session_id)
        .join(InvitationShare, InvitationShare.invitation_id == Invitation.id)
        .where(CallbackSession.ends_at <= now, CallbackSession.status != CallbackSessionStatus.cancelled,
               Invitation.status.in_(ENDED_TOLD),  # not a callback the talent declined or that was cancelled
               InvitationShare.status == ShareStatus.active, InvitationShare.ended_notified_at.is_(None))
        .group_by(Invitation.id)).scalars().all()
    for invitation_id in rows:
        _send(invitation_id, "ended", None, {})
    return len(rows)


@periodic("callbacks.shares_ended", minute="30")
def half_past() -> None:
    """The worker's hourly run: trusted people hear that a session ended even when nobody completes it."""
    told = tell_ended()
    db.session.commit()
    if told:
        current_app.logger.info("trusted people told a session ended: %s", told)
