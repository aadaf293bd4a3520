"""The gate: gather a session's facts, evaluate the checklist, refuse when it fails.

Every path that makes or keeps a session scheduled (schedule, edits of a scheduled
session) goes through ``enforce``; nothing else sets ``status = "scheduled"``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from casting.accounts.access import same_hands
from casting.accounts.models import Credential, User
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
from casting.callbacks.models import Attestation, CallbackSession, CallbackSessionStatus
from casting.callbacks.rules import current_rules
from casting.calls.models import OpenCall, open_call_roles
from casting.companies.models import Company
from casting.core.db import utcnow
from casting.core.errors import ChecklistFailed
from casting.core.timefmt import local_span
from casting.extensions import db
from casting.productions.models import MemberRole, Production, Side


def rules() -> Rules:
    """The checklist settings of the running app (parsed once by ``create_app``)."""
    return current_rules()


def checklist_options(*, production: bool = False) -> tuple:
    """What a list of sessions loads with them so their checklists need no query per session (checklists_for);
    ``production``: also the production, its company and members (a session loaded on its own). A function:
    building loader options configures the mappers, which must wait until every model is imported."""
    # The company's verifier and creator (the four-eyes fact) come in the same join, not a query of their own.
    with_production = (joinedload(CallbackSession.production).joinedload(Production.company).options(
                           joinedload(Company.verified_by), joinedload(Company.created_by)),
                       joinedload(CallbackSession.production).selectinload(Production.members)) if production else ()
    return with_production + (
        joinedload(CallbackSession.venue),
        selectinload(CallbackSession.roles),
        selectinload(CallbackSession.panel),
        selectinload(CallbackSession.attestations).joinedload(Attestation.attested_by),
        joinedload(CallbackSession.lead_casting_director).joinedload(User.credential).options(
            joinedload(Credential.verified_by), joinedload(Credential.user), joinedload(Credential.submitted_by)),
    )


@dataclass(frozen=True)
class Related:
    """What the checklists of one production's sessions read beyond the sessions: the roles with sides, and
    the production's open calls with the roles each is for (two queries for any number of sessions)."""
    with_sides: frozenset[int]
    calls: tuple[tuple[Any, frozenset[int]], ...]
    sides_pages: dict[int, int] | None = None  # role id -> pages of its sides together


def related_to(production_id: int, role_ids: set[int]) -> Related:
    """The Related facts of a production's sessions about ``role_ids``."""
    # Page counts were read once, at upload (Side.page_count): summing them here reads no PDF.
    pages = dict(db.session.execute(
        sa.select(Side.role_id, sa.func.coalesce(sa.func.sum(Side.page_count), 0)).where(Side.role_id.in_(role_ids))
        .group_by(Side.role_id)).all()) if role_ids else {}
    with_sides = frozenset(pages)
    calls = db.session.scalars(sa.select(OpenCall).where(OpenCall.production_id == production_id)
                               .order_by(OpenCall.id)).all()
    call_roles: dict[int, set[int]] = {c.id: set() for c in calls}
    if calls:
        for call_id, role_id in db.session.execute(sa.select(open_call_roles.c.open_call_id, open_call_roles.c.role_id)
                                                   .where(open_call_roles.c.open_call_id.in_(list(call_roles)))):
            call_roles[call_id].add(role_id)
    return Related(with_sides, tuple((c, frozenset(call_roles[c.id])) for c in calls),
                   {role_id: int(n) for role_id, n in pages.items()})


def _credential_of(user) -> Credential | None:
    # Loaded with the session in a list (checklist_options); otherwise read on its own: the lead may have come
    # in with a list of members, and the credential is one row whatever the data.
    if user is None:
        return None
    if "credential" in sa.inspect(user).dict:
        return user.credential
    return db.session.scalar(sa.select(Credential).where(Credential.user_id == user.id))


def facts_of(session, related: Related | None = None) -> SessionFacts:
    """The plain data the checklist looks at, read from ``session`` and what it refers to (``related``: read
    once for a list of the production's sessions)."""
    production = session.production
    company = production.company
    members = {m.user_id: m.role for m in production.members}
    lead = session.lead_casting_director
    cred = _credential_of(lead)
    role_ids = [r.id for r in session.roles]
    if related is None:
        related = related_to(production.id, set(role_ids))
    with_sides = related.with_sides
    sides_pages = related.sides_pages or {}
    texts = [TextFacts("The session title", session.title or "", Fix("session_edit", session.id))]
    if session.recording_use:
        texts.append(TextFacts("The recording terms", session.recording_use, Fix("session_edit", session.id)))
    for r in session.roles:
        texts.append(TextFacts(f"Role '{r.name}' description", r.description or "", Fix("role", r.id)))
    for c, call_role_ids in related.calls:
        if not role_ids or call_role_ids & set(role_ids):
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
                              r.nudity_or_intimacy_details or "", sides_pages.get(r.id, 0)) for r in session.roles),
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


def checklists_for(production, sessions) -> dict[int, Result]:
    """The checklists of some of ``production``'s sessions (loaded with ``checklist_options()``) as they stand, by
    session id: a fixed number of queries, however many sessions."""
    related = related_to(production.id, {r.id for s in sessions for r in s.roles})
    return {s.id: evaluate(facts_of(s, related), notice_moment(s), rules()) for s in sessions}


def enforce(session, *, now: datetime | None = None, time_changed: bool = False) -> Result:
    """The checklist, or ChecklistFailed (audited as session.schedule_blocked) when an item fails."""
    db.session.flush()
    result = checklist_for(session, now, time_changed=time_changed)
    if not result.ready:
        failed = result.failed_codes
        raise ChecklistFailed(
            "These items of the legitimate-callback checklist do not pass yet: "
            + "; ".join(result.failed_titles) + ". Nothing was changed.",
            details={"failed": failed, "items": [i.to_dict() for i in result.items if i.failed]},
            audit_action="session.schedule_blocked", entity=session, production_id=session.production_id,
        )
    return result



def failures(sessions) -> dict[int, frozenset[str]]:
    """The checklist codes each session fails now, by session id (taken before a change made elsewhere)."""
    return {s.id: frozenset(checklist_for(s).failed_codes) for s in sessions}


def enforce_each(sessions, *, change: str, before: dict[int, frozenset[str]] | None = None) -> None:
    """After a change made elsewhere (a venue, the production, its members), none of these scheduled sessions may
    fail an item it passed before (``before``: from ``failures``, taken first): else ChecklistFailed naming each
    session and newly failing item in plain words (``change``: what the change is, e.g. "This change to Studio 2");
    the caller's change then rolls back."""
    db.session.flush()
    before = before or {}
    failing = []
    for s in sessions:
        result = checklist_for(s)
        new = [i for i in result.items if i.failed and i.code not in before.get(s.id, ())]
        if new:
            failing.append((s, new))
    if not failing:
        return
    named = "; ".join(
        f"\u201c{s.title}\u201d ({local_span(s.starts_at, s.ends_at, s.venue.timezone)}): "
        + ", ".join(i.title[:1].lower() + i.title[1:] for i in items)
        for s, items in failing)
    sessions_word = "scheduled session" if len(failing) == 1 else f"{len(failing)} scheduled sessions"
    raise ChecklistFailed(
        f"{change} would make {'this' if len(failing) == 1 else 'these'} {sessions_word} fail the "
        f"legitimate-callback checklist: {named}. Nothing was changed; fix the session first (or cancel it), then "
        "try again.",
        details={"failed": sorted({i.code for _, items in failing for i in items}),
                 "sessions": [{"session_id": s.id, "failed": [i.code for i in items]} for s, items in failing]},
        production_id=failing[0][0].production_id)
