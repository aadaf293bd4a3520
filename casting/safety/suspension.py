"""Suspending a production while a concern is looked into, and reinstating it (another admin: four eyes).

While suspended, every write of its members is refused in one place (productions.access.require_production_role:
409 suspended), its open calls take no submissions and show that they are suspended, and its scheduled sessions
stay as they are (nothing can be scheduled, edited, invited or checked in). Talent invited to a coming callback are
told in plain words, and told again when it is reinstated.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casting.audit import services as audit
from casting.callbacks.models import CallbackSession, CallbackSessionStatus, Invitation, InvitationStatus
from casting.calls.models import OpenCall, OpenCallStatus
from casting.core.db import utcnow
from casting.core.errors import FourEyes, InvalidState, ValidationError
from casting.core.mail import render_body, send_mail
from casting.core.permissions import require_admin
from casting.extensions import db
from casting.productions.models import Production

SUSPENSION_LIMITS = {"reason": 2000}
# Talent with these answers still expect to come: they are told when the production is suspended or reinstated.
TOLD_STATUSES = (InvitationStatus.invited, InvitationStatus.confirmed, InvitationStatus.reschedule_requested)


def _waiting_invitations(production: Production) -> list[Invitation]:
    """Invitations of the production's coming scheduled sessions whose talent still expect to come."""
    return list(db.session.scalars(
        sa.select(Invitation).join(CallbackSession, CallbackSession.id == Invitation.session_id)
        .where(CallbackSession.production_id == production.id,
               CallbackSession.status == CallbackSessionStatus.scheduled,
               Invitation.status.in_(TOLD_STATUSES), Invitation.starts_at > utcnow())
        .options(joinedload(Invitation.talent), joinedload(Invitation.role),
                 joinedload(Invitation.session).joinedload(CallbackSession.venue))
        .order_by(Invitation.starts_at, Invitation.id)).unique())


def _frozen_counts(production: Production) -> dict:
    sessions = db.session.scalar(sa.select(sa.func.count()).select_from(CallbackSession).where(
        CallbackSession.production_id == production.id, CallbackSession.status == CallbackSessionStatus.scheduled))
    calls = db.session.scalar(sa.select(sa.func.count()).select_from(OpenCall).where(
        OpenCall.production_id == production.id, OpenCall.status == OpenCallStatus.published))
    return {"scheduled_sessions": sessions, "published_open_calls": calls}


def _tell_talent(production: Production, template: str, subject: str) -> int:
    invitations = _waiting_invitations(production)
    for inv in invitations:
        send_mail(inv.talent.email, subject.format(title=production.title),
                  render_body(template, invitation=inv, talent=inv.talent, production=production,
                              session=inv.session, tz=inv.session.venue.timezone))
    return len(invitations)


def suspend_production(production: Production, *, reason: str, actor) -> Production:
    """An admin suspends a production (a reason is required); invited talent are told not to attend for now."""
    require_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the production is suspended."]})
    if len(reason) > SUSPENSION_LIMITS["reason"]:
        raise ValidationError({"reason": [f"At most {SUSPENSION_LIMITS['reason']} characters."]})
    if production.suspended:
        raise InvalidState("This production is already suspended.", entity=production, production_id=production.id)
    production.suspended_at = utcnow()
    production.suspended_by_id = actor.id
    production.suspension_reason = reason
    db.session.flush()
    told = _tell_talent(production, "production_suspended.txt", "Callback on hold: {title}")
    audit.record("production.suspended", production, actor=actor, production_id=production.id,
                 data={"reason": reason, "talent_told": told, **_frozen_counts(production)})
    return production


def reinstate_production(production: Production, *, actor) -> Production:
    """Another admin (not the one who suspended it: four eyes) reinstates the production."""
    require_admin(actor)
    if not production.suspended:
        raise InvalidState("This production is not suspended.", entity=production, production_id=production.id)
    if production.suspended_by_id == actor.id:
        raise FourEyes("You suspended this production: another admin must reinstate it.", entity=production,
                       production_id=production.id)
    suspended_by, reason = production.suspended_by_id, production.suspension_reason
    production.suspended_at = None
    production.suspended_by_id = None
    production.suspension_reason = None
    db.session.flush()
    told = _tell_talent(production, "production_reinstated.txt", "Callback back on: {title}")
    audit.record("production.reinstated", production, actor=actor, production_id=production.id,
                 data={"suspended_by": suspended_by, "reason": reason, "talent_told": told})
    return production
