"""The gate: gather a session's facts, evaluate the checklist, refuse when it fails.

Every path that makes or keeps a session scheduled (schedule, edits of a scheduled
session) goes through ``enforce``; nothing else sets ``status = "scheduled"``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

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
from casting.callbacks.models import Attestation, CallbackSession, CallbackSessionStatus, session_panel, session_roles
from casting.callbacks.rules import current_rules
from casting.calls.models import OpenCall, open_call_roles
from casting.companies.models import Company
from casting.core.db import utcnow
from casting.core.errors import ChecklistFailed
from casting.core.timefmt import local_span
from casting.extensions import db
from casting.productions.models import MemberRole, Production, ProductionRole, Side, Venue


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
    return Related(frozenset(pages), _calls_of(production_id), {role_id: int(n) for role_id, n in pages.items()})


def _calls_of(production_id: int, execute=None) -> tuple[tuple[Any, frozenset[int]], ...]:
    # The production's open calls (id, title, instructions: what the fee scan reads) with the roles each is
    # for, in one query of plain rows (``execute``: how to run it, the ORM session's by default).
    calls: dict[int, tuple[Any, set[int]]] = {}
    for row in (execute or db.session.execute)(_fact_queries()[-1], {"production_id": production_id}):
        entry = calls.setdefault(row.id, (row, set()))
        if row.role_id is not None:
            entry[1].add(row.role_id)
    return tuple((c, frozenset(roles)) for c, roles in calls.values())


def _credential_of(user) -> Credential | None:
    # Loaded with the session in a list (checklist_options); otherwise read on its own: the lead may have come
    # in with a list of members, and the credential is one row whatever the data.
    if user is None:
        return None
    if "credential" in sa.inspect(user).dict:
        return user.credential
    return db.session.scalar(sa.select(Credential).where(Credential.user_id == user.id))


@dataclass(frozen=True)
class _Person:
    """Who a user is for the four-eyes rule (accounts.access.same_hands): their id and their account's creator."""
    id: int
    created_by_id: int | None = None


@dataclass(frozen=True)
class _Attested:
    code: str
    by_id: int
    by_name: str
    at: datetime
    statement: str


def facts_of(session, related: Related | None = None) -> SessionFacts:
    """The plain data the checklist looks at, read from ``session`` and what it refers to (``related``: read
    once for a list of the production's sessions)."""
    production = session.production
    company = production.company
    lead = session.lead_casting_director
    cred = _credential_of(lead)
    return _facts(
        session, production, company=company, company_verifier=company.verified_by,
        company_creator=company.created_by, lead_name=lead.name if lead else None, cred=cred,
        cred_verifier=cred.verified_by if cred else None, cred_user=cred.user if cred else None,
        cred_submitter=cred.submitted_by if cred else None, roles=session.roles, venue=session.venue,
        panel=[(u.id, u.name) for u in session.panel],
        attestations=[_Attested(a.code, a.attested_by_id, a.attested_by.name, a.attested_at, a.statement)
                      for a in session.attestations],
        related=related)


@cache
def _fact_queries() -> tuple[sa.Select, ...]:
    # read_facts' statements, built once (building a select costs more than running it); the ids are bound
    # parameters. A function: the mappers must be configured first.
    creator, lead, submitter = (aliased(User) for _ in range(3))
    one = (sa.select(Company.id, Company.legal_name, Company.verified_at, Company.verified_by_id,
                     Company.created_by_id, creator.created_by_id.label("creator_created_by_id"),
                     Venue.id.label("venue_id"), Venue.name.label("venue_name"), Venue.kind.label("venue_kind"),
                     Venue.address.label("venue_address"), Venue.meeting_url, Venue.timezone,
                     lead.id.label("lead_id"), lead.name.label("lead_name"),
                     lead.created_by_id.label("lead_created_by_id"),
                     Credential.id.label("cred_id"), Credential.verified_at.label("cred_verified_at"),
                     Credential.verified_by_id.label("cred_verified_by_id"), Credential.submitted_by_id,
                     submitter.created_by_id.label("submitter_created_by_id"))
           .select_from(Company)
           .join(creator, creator.id == Company.created_by_id)
           .join(Venue, Venue.id == sa.bindparam("venue_id"))
           .outerjoin(lead, lead.id == sa.bindparam("lead_id"))
           .outerjoin(Credential, Credential.user_id == lead.id)
           .outerjoin(submitter, submitter.id == Credential.submitted_by_id)
           .where(Company.id == sa.bindparam("company_id")))
    # The roles with their sides' page count (a role with no side has none), in the relationship's order.
    roles = (sa.select(ProductionRole.id, ProductionRole.name, ProductionRole.description,
                       ProductionRole.nudity_or_intimacy, ProductionRole.nudity_or_intimacy_details,
                       sa.func.count(Side.id).label("sides"),
                       sa.func.coalesce(sa.func.sum(Side.page_count), 0).label("pages"))
             .join(session_roles, session_roles.c.role_id == ProductionRole.id)
             .outerjoin(Side, Side.role_id == ProductionRole.id)
             .where(session_roles.c.session_id == sa.bindparam("session_id"))
             .group_by(ProductionRole.id).order_by(ProductionRole.id))
    panel = (sa.select(User.id, User.name).join(session_panel, session_panel.c.user_id == User.id)
             .where(session_panel.c.session_id == sa.bindparam("session_id")).order_by(User.id))
    attestations = (sa.select(Attestation.code, Attestation.attested_by_id, User.name, Attestation.attested_at,
                              Attestation.statement)
                    .join(User, User.id == Attestation.attested_by_id)
                    .where(Attestation.session_id == sa.bindparam("session_id")).order_by(Attestation.id))
    calls = (sa.select(OpenCall.id, OpenCall.title, OpenCall.instructions, open_call_roles.c.role_id)
             .outerjoin(open_call_roles, open_call_roles.c.open_call_id == OpenCall.id)
             .where(OpenCall.production_id == sa.bindparam("production_id")).order_by(OpenCall.id))
    return one, roles, panel, attestations, calls


def _rows(statement, params: dict):
    # On the session's connection, in its transaction: plain rows without the ORM's result processing (what a
    # read of a few columns costs most). Nothing is flushed first: read_facts reads what the database holds.
    return db.session.connection().execute(statement, params)


def read_facts(session) -> SessionFacts:
    """``facts_of(session)``, read as plain rows instead of loading the objects around the session (the
    company, the lead and their credential, the roles, panel, attestations and open calls): five queries, for a
    page showing one session loaded on its own (with its production and members, which its access check reads).
    The same facts as stored: unflushed changes are not seen (tests/callbacks/test_gate_rows.py compares the two).
    """
    production = session.production
    one, roles_q, panel_q, attestations_q, _ = _fact_queries()
    row = _rows(one, {"venue_id": session.venue_id, "lead_id": session.lead_casting_director_id,
                      "company_id": production.company_id}).one()
    roles = _rows(roles_q, {"session_id": session.id}).all()
    panel = _rows(panel_q, {"session_id": session.id}).all()
    attestations = [_Attested(*a) for a in _rows(attestations_q, {"session_id": session.id})]
    with_sides = {r.id: int(r.pages) for r in roles if r.sides}
    cred = SimpleNamespace(verified_at=row.cred_verified_at) if row.cred_id is not None else None
    return _facts(
        session, production, company=SimpleNamespace(id=row.id, legal_name=row.legal_name,
                                                     verified_at=row.verified_at),
        company_verifier=_Person(row.verified_by_id) if row.verified_by_id is not None else None,
        company_creator=_Person(row.created_by_id, row.creator_created_by_id),
        lead_name=row.lead_name, cred=cred,
        cred_verifier=_Person(row.cred_verified_by_id) if cred and row.cred_verified_by_id is not None else None,
        cred_user=_Person(row.lead_id, row.lead_created_by_id) if cred else None,
        cred_submitter=_Person(row.submitted_by_id, row.submitter_created_by_id)
        if cred and row.submitted_by_id is not None else None,
        roles=roles, venue=SimpleNamespace(id=row.venue_id, name=row.venue_name, kind=row.venue_kind,
                                           address=row.venue_address, meeting_url=row.meeting_url,
                                           timezone=row.timezone),
        panel=panel, attestations=attestations,
        related=Related(frozenset(with_sides), _calls_of(production.id, _rows), with_sides))


def _facts(session, production, *, company, company_verifier, company_creator, lead_name, cred, cred_verifier,
           cred_user, cred_submitter, roles, venue, panel, attestations, related) -> SessionFacts:
    # What facts_of and read_facts share: every fact is derived here, from what either of them read.
    members = {m.user_id: m.role for m in production.members}
    role_ids = [r.id for r in roles]
    if related is None:
        related = related_to(production.id, set(role_ids))
    with_sides = related.with_sides
    sides_pages = related.sides_pages or {}
    texts = [TextFacts("The session title", session.title or "", Fix("session_edit", session.id))]
    if session.recording_use:
        texts.append(TextFacts("The recording terms", session.recording_use, Fix("session_edit", session.id)))
    for r in roles:
        texts.append(TextFacts(f"Role '{r.name}' description", r.description or "", Fix("role", r.id)))
    for c, call_role_ids in related.calls:
        if not role_ids or call_role_ids & set(role_ids):
            texts.append(TextFacts(f"Open call '{c.title}'", f"{c.title}\n{c.instructions}", Fix("production", production.id)))
    return SessionFacts(
        session_id=session.id,
        production_id=production.id,
        company_id=company.id,
        company_name=company.legal_name,
        company_verified=company.verified_at is not None,
        # Four eyes (accounts/access.py): a verification by its creator, or by whoever made the creator's account.
        company_verified_by_creator=company_verifier is not None and same_hands(company_verifier, company_creator),
        lead_id=session.lead_casting_director_id,
        lead_name=lead_name if lead_name is not None else "The lead casting director",
        lead_credential_verified=bool(cred and cred.verified_at and cred_verifier is not None
                                      and not same_hands(cred_verifier, cred_user, cred_submitter)),
        roles=tuple(RoleFacts(r.id, r.name, r.description or "", r.id in with_sides, r.nudity_or_intimacy,
                              r.nudity_or_intimacy_details or "", sides_pages.get(r.id, 0)) for r in roles),
        venue_id=venue.id, venue_name=venue.name, venue_kind=venue.kind, venue_address=venue.address or "",
        venue_meeting_url=venue.meeting_url or "", timezone=venue.timezone,
        starts_at=session.starts_at, ends_at=session.ends_at,
        panel=tuple(PanelFacts(uid, name, members.get(uid)) for uid, name in panel),
        safeguarding_contact=production.safeguarding_contact or "",
        recorded=bool(session.recorded), recording_use=session.recording_use or "",
        attestations=tuple(AttestationFacts(a.code, a.by_id, a.by_name,
                                            members.get(a.by_id) == MemberRole.casting_director, a.at, a.statement)
                           for a in attestations),
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


def checklist_shown(session, now: datetime | None = None) -> tuple[Result, SessionFacts]:
    """``checklist_for(session)`` with the facts read as rows (read_facts): for a page showing one session, loaded
    on its own with its production; returns the result and the facts (what the page shows of the session)."""
    facts = read_facts(session)
    return evaluate(facts, notice_moment(session, now), rules()), facts


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
