"""The gate: gather a session's facts, evaluate the checklist, refuse when it fails.

Every path that makes or keeps a session scheduled (schedule, edits of a scheduled
session) goes through ``enforce``; nothing else sets ``status = "scheduled"``.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from casting.accounts.access import same_hands
from casting.callbacks.checklist import (
    AttestationFacts,
    Fix,
    PanelFacts,
    Result,
    RoleFacts,
    Rules,
    SessionFacts,
    TextFacts,
    evaluate,
)
from casting.callbacks.models import CallbackSessionStatus
from casting.callbacks.rules import current_rules
from casting.calls.models import OpenCall
from casting.core.db import utcnow
from casting.core.errors import ChecklistFailed
from casting.extensions import db
from casting.productions.models import MemberRole, Side


def rules() -> Rules:
    """The checklist settings of the running app (parsed once by ``create_app``)."""
    return current_rules()


def facts_of(session) -> SessionFacts:
    """The plain data the checklist looks at, read from ``session`` and what it refers to."""
    production = session.production
    company = production.company
    members = {m.user_id: m.role for m in production.members}
    lead = session.lead_casting_director
    cred = lead.credential if lead is not None else None
    role_ids = [r.id for r in session.roles]
    with_sides = set(db.session.scalars(sa.select(Side.role_id).where(Side.role_id.in_(role_ids)))) if role_ids else set()
    texts = [TextFacts("The session title", session.title or "", Fix("session_edit", session.id))]
    if session.recording_use:
        texts.append(TextFacts("The recording terms", session.recording_use, Fix("session_edit", session.id)))
    for r in session.roles:
        texts.append(TextFacts(f"Role '{r.name}' description", r.description or "", Fix("role", r.id)))
    calls = db.session.scalars(sa.select(OpenCall).where(OpenCall.production_id == production.id)).all()
    for c in calls:
        if not role_ids or any(r.id in role_ids for r in c.roles):
            texts.append(TextFacts(f"Open call '{c.title}'", f"{c.title}\n{c.instructions}", Fix("production", production.id)))
    venue = session.venue
    return SessionFacts(
        session_id=session.id,
        production_id=production.id,
        company_id=company.id,
        company_name=company.legal_name,
        company_verified=company.verified_at is not None,
        # Four eyes (accounts/access.py): a verification by its creator, or by whoever made the creator's account.
        company_verified_by_creator=company.verified_by is not None and same_hands(company.verified_by,
                                                                                   company.created_by),
        lead_id=session.lead_casting_director_id,
        lead_name=lead.name if lead else "The lead casting director",
        lead_credential_verified=bool(cred and cred.verified_at and cred.verified_by is not None
                                      and not same_hands(cred.verified_by, cred.user, cred.submitted_by)),
        roles=tuple(RoleFacts(r.id, r.name, r.description or "", r.id in with_sides, r.nudity_or_intimacy,
                              r.nudity_or_intimacy_details or "") for r in session.roles),
        venue_id=venue.id, venue_name=venue.name, venue_kind=venue.kind, venue_address=venue.address or "",
        venue_meeting_url=venue.meeting_url or "", timezone=venue.timezone,
        starts_at=session.starts_at, ends_at=session.ends_at,
        panel=tuple(PanelFacts(u.id, u.name, members.get(u.id)) for u in session.panel),
        safeguarding_contact=production.safeguarding_contact or "",
        recorded=bool(session.recorded), recording_use=session.recording_use or "",
        attestations=tuple(AttestationFacts(a.code, a.attested_by_id, a.attested_by.name,
                                            members.get(a.attested_by_id) == MemberRole.casting_director, a.attested_at)
                           for a in session.attestations),
        texts=tuple(texts),
    )


def notice_moment(session, now: datetime | None = None, *, time_changed: bool = False) -> datetime:
    """The moment advance notice is counted from: scheduling time for a scheduled session whose
    time has not moved, otherwise now (a draft being scheduled, or a move)."""
    now = now or utcnow()
    if session.status == CallbackSessionStatus.scheduled and session.scheduled_at is not None and not time_changed:
        return session.scheduled_at
    return now


def checklist_for(session, now: datetime | None = None, *, time_changed: bool = False) -> Result:
    """The checklist of ``session`` as it stands (no writes)."""
    return evaluate(facts_of(session), notice_moment(session, now, time_changed=time_changed), rules())


def enforce(session, *, now: datetime | None = None, time_changed: bool = False) -> Result:
    """The checklist, or ChecklistFailed (audited as session.schedule_blocked) when an item fails."""
    db.session.flush()
    result = checklist_for(session, now, time_changed=time_changed)
    if not result.ready:
        failed = result.failed_codes
        raise ChecklistFailed(
            "The legitimate-callback checklist does not pass: " + ", ".join(failed) + ". Nothing was changed.",
            details={"failed": failed, "items": [i.to_dict() for i in result.items if i.failed]},
            audit_action="session.schedule_blocked", entity=session, production_id=session.production_id,
        )
    return result
