"""Callback sessions: create, edit, attest, schedule (through the gate), cancel.

Plain functions taking ``actor=``; they validate, change, flush and audit, never commit.
Invitations live in ``casting.callbacks.invitations``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa

from casting.accounts.models import User
from casting.audit import services as audit
from casting.callbacks import gate, invitations
from casting.callbacks.models import (
    Attestation,
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
    InvitationEvent,
    InvitationStatus,
    PanelNote,
    invitation_can,
    session_panel,
    session_roles,
)
from casting.callbacks.signals import session_ended
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.core.errors import InvalidState, ValidationError, VenueConflict
from casting.core.timefmt import local_span
from casting.extensions import db
from casting.productions.access import can_see_production, require_manager
from casting.productions.models import ProductionRole, Venue, VenueKind
from casting.talent.models import TalentProfile

SLOT_MINUTES = (5, 240)
MAX_SESSION_HOURS = 14
FIELDS = ("title", "role_ids", "venue_id", "starts_at", "ends_at", "slot_minutes", "panel_user_ids", "recorded",
          "recording_use")
NO_FEES_STATEMENT = ("No fee, deposit, registration, database or \"secure your spot\" payment is asked of any talent "
                     "for this callback, now or later.")
ATTESTABLE = ("no_fees",)
MIN_CANCEL_REASON = 3
# Most characters per field, and (low, high) inclusive ranges of numbers: the forms and the API specs
# take their limits from here.
SESSION_LIMITS = {"title": 200, "recording_use": 5000}
SESSION_RANGES = {"slot_minutes": SLOT_MINUTES}
ATTESTATION_LIMITS = {"code": 64, "statement": 2000}  # a code is also one of ATTESTABLE
CANCEL_LIMITS = {"reason": 2000}


def _validate(production, values: dict[str, Any], current: CallbackSession | None = None) -> dict[str, Any]:
    """Check the session fields; 422 naming every bad field. Returns resolved objects."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    if "title" in values:
        title = (values["title"] or "").strip()
        if not title or len(title) > SESSION_LIMITS["title"]:
            errors["title"] = [f"Give the session a title (at most {SESSION_LIMITS['title']} characters)."]
        out["title"] = title
    if "role_ids" in values:
        ids = list(dict.fromkeys(values["role_ids"] or []))
        roles = db.session.scalars(sa.select(ProductionRole).where(ProductionRole.id.in_(ids))).all() if ids else []
        if not ids:
            errors["role_ids"] = ["Choose at least one role."]
        elif len(roles) != len(ids) or any(r.production_id != production.id for r in roles):
            errors["role_ids"] = ["Every role must be a role of this production."]
        out["roles"] = sorted(roles, key=lambda r: r.id)
    if "venue_id" in values:
        venue = db.session.get(Venue, values["venue_id"]) if isinstance(values["venue_id"], int) else None
        if venue is None:
            errors["venue_id"] = ["Choose a venue."]
        out["venue"] = venue
    if "panel_user_ids" in values:
        ids = list(dict.fromkeys(values["panel_user_ids"] or []))
        members = {m.user_id for m in production.members}
        users = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all() if ids else []
        if len(users) != len(ids) or any(u.id not in members for u in users):
            errors["panel_user_ids"] = ["Every panel member must be a member of this production."]
        out["panel"] = sorted(users, key=lambda u: u.id)
    if "slot_minutes" in values:
        slot = values["slot_minutes"]
        low, high = SESSION_RANGES["slot_minutes"]
        if not isinstance(slot, int) or isinstance(slot, bool) or not low <= slot <= high:
            errors["slot_minutes"] = [f"Slots last {low} to {high} minutes."]
        out["slot_minutes"] = slot
    for key in ("starts_at", "ends_at"):
        if key in values:
            if not isinstance(values[key], datetime) or values[key].tzinfo is None:
                errors[key] = ["Give a date and time."]
            out[key] = values[key]
    if "recorded" in values:
        out["recorded"] = bool(values["recorded"])
    if "recording_use" in values:
        out["recording_use"] = (values["recording_use"] or "").strip() or None
        if out["recording_use"] and len(out["recording_use"]) > SESSION_LIMITS["recording_use"]:
            errors["recording_use"] = [f"At most {SESSION_LIMITS['recording_use']} characters."]
    starts = out.get("starts_at", current.starts_at if current else None)
    ends = out.get("ends_at", current.ends_at if current else None)
    slot = out.get("slot_minutes", current.slot_minutes if current else None)
    if "starts_at" not in errors and "ends_at" not in errors and starts and ends:
        if ends <= starts:
            errors["ends_at"] = ["The session must end after it starts."]
        elif ends - starts > timedelta(hours=MAX_SESSION_HOURS):
            errors["ends_at"] = [f"A session lasts at most {MAX_SESSION_HOURS} hours."]
        elif "slot_minutes" not in errors and isinstance(slot, int) and ends - starts < timedelta(minutes=slot):
            errors["slot_minutes"] = ["The session is shorter than one slot."]
    if errors:
        raise ValidationError(errors)
    return out


def _apply(session: CallbackSession, clean: dict[str, Any]) -> list[str]:
    """Set the validated values; the names of the fields that changed."""
    changed = []
    for key, value in clean.items():
        if key in ("roles", "panel"):
            if [x.id for x in getattr(session, key)] != [x.id for x in value]:
                setattr(session, key, value)
                changed.append(key)
        elif key == "venue":
            if session.venue_id != value.id:
                session.venue = value
                session.venue_id = value.id
                changed.append("venue")
        elif getattr(session, key) != value:
            setattr(session, key, value)
            changed.append(key)
    return changed


def venue_holder(session: CallbackSession) -> CallbackSession | None:
    """The other scheduled session that holds ``session``'s venue at an overlapping time, if any (a virtual venue
    is never held: any number of sessions share a meeting service)."""
    if session.venue is None or session.venue.kind == VenueKind.virtual:
        return None
    return db.session.scalar(
        sa.select(CallbackSession).where(CallbackSession.venue_id == session.venue_id,
                                         CallbackSession.id != session.id,
                                         CallbackSession.status == CallbackSessionStatus.scheduled,
                                         CallbackSession.starts_at < session.ends_at,
                                         CallbackSession.ends_at > session.starts_at)
        .order_by(CallbackSession.starts_at, CallbackSession.id).limit(1))


def require_venue_free(session: CallbackSession, *, actor) -> None:
    """The one rule on rooms: VenueConflict (409 venue_conflict, ``details.session_id``) when another scheduled
    session holds the venue at an overlapping time. Checked under the write lock, so two sessions racing for one
    room cannot both pass."""
    db.session.flush()
    lock_for_write()
    other = venue_holder(session)
    if other is None:
        return
    when = local_span(other.starts_at, other.ends_at, session.venue.timezone)
    # Venues are shared by every casting office: name the other session only to someone who may see it.
    whose = f"the session “{other.title}”" if can_see_production(other.production, actor) \
        else "another casting office's session"
    raise VenueConflict(f"{session.venue.name} is already booked {when} for {whose}. Choose another time or venue; "
                        "nothing was changed.", details={"session_id": other.id}, entity=session,
                        production_id=session.production_id)


def create_session(production, *, actor, title: str, role_ids: list[int], venue_id: int, starts_at: datetime,
                   ends_at: datetime, slot_minutes: int, panel_user_ids: list[int] | None = None,
                   recorded: bool = False, recording_use: str | None = None) -> CallbackSession:
    """A casting director of the production drafts a session; they become its lead casting director."""
    require_manager(production, actor)
    values = dict(title=title, role_ids=role_ids, venue_id=venue_id, starts_at=starts_at, ends_at=ends_at,
                  slot_minutes=slot_minutes, panel_user_ids=panel_user_ids or [], recorded=recorded,
                  recording_use=recording_use)
    clean = _validate(production, values)
    session = CallbackSession(production_id=production.id, status=CallbackSessionStatus.draft, lead_casting_director_id=actor.id,
                              title=clean["title"], venue_id=clean["venue"].id, starts_at=clean["starts_at"],
                              ends_at=clean["ends_at"], slot_minutes=clean["slot_minutes"],
                              recorded=clean["recorded"], recording_use=clean["recording_use"])
    session.roles = clean["roles"]
    session.panel = clean["panel"]
    db.session.add(session)
    db.session.flush()
    audit.record("session.created", session, actor=actor, data={"title": session.title, "roles": [r.id for r in session.roles]})
    return session


def update_session(session: CallbackSession, *, actor, **values) -> list[str]:
    """Edit a draft or scheduled session. A scheduled one goes through the gate again: if the
    checklist fails nothing changes (ChecklistFailed). Moving it asks each talent to confirm again. When the
    letters must be reissued, a job does it after the commit: ``session.reissue_job_id`` names it."""
    session.reissue_job_id = None
    require_manager(session.production, actor)
    if not session.can("edit"):
        raise InvalidState(f"A {session.status} session cannot be edited.", entity=session,
                           production_id=session.production_id)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({k: ["Unknown field."] for k in sorted(unknown)})
    clean = _validate(session.production, values, current=session)
    old_start = session.starts_at
    changed = _apply(session, clean)
    if not changed:
        return []
    time_changed = "starts_at" in changed or "ends_at" in changed or "slot_minutes" in changed
    if {"venue", "starts_at", "ends_at"} & set(changed):
        require_venue_free(session, actor=actor)
    if session.status == CallbackSessionStatus.scheduled:
        gate.enforce(session, time_changed="starts_at" in changed or "ends_at" in changed)
        job = invitations.follow_session_change(session, actor=actor, old_start=old_start, changed=changed,
                                                time_changed=time_changed)
        session.reissue_job_id = job.id if job is not None else None
    db.session.flush()
    audit.record("session.updated", session, actor=actor, data={"changed": changed, "status": session.status})
    return changed


def attest(session: CallbackSession, *, actor, code: str = "no_fees", statement: str | None = None) -> Attestation:
    """A casting director of the production records an attestation (who and when are kept)."""
    require_manager(session.production, actor)
    if code not in ATTESTABLE:
        raise ValidationError({"code": [f"Only these items are attested: {', '.join(ATTESTABLE)}."]})
    if not session.can("attest"):
        raise InvalidState(f"A {session.status} session takes no attestations.", entity=session,
                           production_id=session.production_id)
    statement = (statement or "").strip() or NO_FEES_STATEMENT
    if len(statement) > ATTESTATION_LIMITS["statement"]:
        raise ValidationError({"statement": [f"At most {ATTESTATION_LIMITS['statement']} characters."]})
    row = Attestation(session_id=session.id, code=code, statement=statement, attested_by_id=actor.id,
                      attested_at=utcnow())
    db.session.add(row)
    db.session.flush()
    db.session.refresh(session, ["attestations"])
    audit.record("session.attested", session, actor=actor, data={"code": code, "attestation_id": row.id,
                                                                  "statement": statement})
    return row


def schedule_session(session: CallbackSession, *, actor, now: datetime | None = None) -> CallbackSession:
    """The one way a session becomes scheduled: every applicable checklist item must pass."""
    require_manager(session.production, actor)
    # Under the write lock, with the status as it is now: two schedules of one session racing cannot both pass.
    lock_for_write()
    db.session.refresh(session, ["status"])
    if not session.can("schedule"):
        raise InvalidState(f"Only a draft session can be scheduled; this one is {session.status}.", entity=session,
                           production_id=session.production_id)
    now = now or utcnow()
    result = gate.enforce(session, now=now)
    require_venue_free(session, actor=actor)
    session.status = CallbackSessionStatus.scheduled
    session.scheduled_at = now
    db.session.flush()
    audit.record("session.scheduled", session, actor=actor,
                 data={"checklist": {i.code: (i.passed if i.applicable else None) for i in result.items}})
    return session


def cancel_session(session: CallbackSession, *, actor, reason: str) -> CallbackSession:
    """Cancel a draft or scheduled session: its invitations are cancelled and the talent told."""
    require_manager(session.production, actor)
    reason = (reason or "").strip()
    if len(reason) < MIN_CANCEL_REASON:
        raise ValidationError({"reason": ["Say why the session is cancelled (talent are told)."]})
    if len(reason) > CANCEL_LIMITS["reason"]:
        raise ValidationError({"reason": [f"At most {CANCEL_LIMITS['reason']} characters."]})
    if not session.can("cancel"):
        raise InvalidState(f"A {session.status} session cannot be cancelled.", entity=session,
                           production_id=session.production_id)
    session.status = CallbackSessionStatus.cancelled
    session.cancelled_at = utcnow()
    session.cancel_reason = reason
    for inv in list(session.invitations):
        if inv.can("cancel_with_session"):
            invitations.cancel_invitation(inv, actor=actor, reason=reason)
    db.session.flush()
    audit.record("session.cancelled", session, actor=actor, data={"reason": reason})
    return session


def complete_session(session: CallbackSession, *, actor) -> CallbackSession:
    """A casting director of the production completes a scheduled session after its end: each talent who was
    checked in is marked attended (the others keep their status; a no-show can still be recorded)."""
    require_manager(session.production, actor)
    if not session.can("complete"):
        raise InvalidState(f"Only a scheduled session can be completed; this one is {session.status}.",
                           entity=session, production_id=session.production_id)
    if utcnow() < session.ends_at:
        raise InvalidState("The session has not ended yet; complete it after its end.", entity=session,
                           production_id=session.production_id)
    session.status = CallbackSessionStatus.completed
    db.session.flush()
    attended = []
    for inv in session.invitations:
        if inv.can("attend"):
            invitations.mark_attended(inv, actor=actor)
            attended.append(inv.id)
    db.session.flush()
    audit.record("session.completed", session, actor=actor, data={"attended": attended})
    session_ended.send(session, actor=actor)  # trusted people following a callback of it are told it is over
    return session


def sessions_query(production) -> sa.Select:
    """The production's sessions, soonest first, as a select (pages paginate it)."""
    return (sa.select(CallbackSession).where(CallbackSession.production_id == production.id)
            .order_by(CallbackSession.starts_at, CallbackSession.id))


@dataclass(frozen=True)
class RoleShown:
    id: int
    name: str
    nudity_or_intimacy: bool


@dataclass(frozen=True)
class TalentShown:
    id: int
    display_name: str
    date_of_birth: date | None


@dataclass(frozen=True)
class NoteShown:
    rating: int
    author_name: str
    note: str


@dataclass
class InvitationRow:
    """What the session page shows of an invitation, read as plain rows (session_invitation_rows); ``role``,
    ``talent`` and ``session`` answer what the documents' check-in list reads of an invitation."""
    id: int
    session: CallbackSession
    role: RoleShown
    talent: TalentShown
    starts_at: datetime
    ends_at: datetime
    status: str
    talent_note: str | None
    access_needs: str | None
    moved_from: datetime | None  # where its first move took it from
    notes: list[NoteShown] = field(default_factory=list)

    @property
    def role_id(self) -> int:
        return self.role.id

    @property
    def talent_id(self) -> int:
        return self.talent.id

    def can(self, action: str) -> bool:
        """Invitation.can."""
        return invitation_can(action, self.status, self.session.status)


def display_name_sql() -> sa.ColumnElement:
    """TalentProfile.display_name in SQL (the professional name, else the legal name), labelled display_name."""
    return sa.func.coalesce(sa.func.nullif(TalentProfile.professional_name, ""),
                            TalentProfile.legal_name).label("display_name")


@cache
def _invitation_row_queries() -> tuple[sa.Select, sa.Select]:
    # Built once (building costs more than running them); a function: the mappers must be configured first.
    moved_from = (sa.select(InvitationEvent.from_starts_at)
                  .where(InvitationEvent.invitation_id == Invitation.id, InvitationEvent.kind == "moved")
                  .order_by(InvitationEvent.id).limit(1).correlate(Invitation).scalar_subquery())
    rows = (sa.select(Invitation.id, Invitation.starts_at, Invitation.ends_at, Invitation.status,
                      Invitation.talent_note, Invitation.access_needs, ProductionRole.id.label("role_id"),
                      ProductionRole.name.label("role_name"), ProductionRole.nudity_or_intimacy,
                      TalentProfile.id.label("talent_id"), display_name_sql(),
                      TalentProfile.date_of_birth, moved_from.label("moved_from"))
            .join(ProductionRole, ProductionRole.id == Invitation.role_id)
            .join(TalentProfile, TalentProfile.id == Invitation.talent_id)
            .where(Invitation.session_id == sa.bindparam("session_id"),
                   Invitation.starts_at >= sa.bindparam("starts_at"), Invitation.starts_at < sa.bindparam("ends_at"))
            .order_by(Invitation.starts_at, Invitation.id))
    notes = (sa.select(PanelNote.invitation_id, PanelNote.rating, User.name, PanelNote.note)
             .join(User, User.id == PanelNote.author_id)
             .where(PanelNote.invitation_id.in_(sa.bindparam("ids", expanding=True))).order_by(PanelNote.id))
    return rows, notes


def session_invitation_rows(session) -> list[InvitationRow]:
    """The invitations of a session's slot grid (a slot lies inside the session), by time, as plain rows with what
    the session page shows of each (talent, role, where it moved from, panel notes): two queries, bounded by the
    session's length, of what the database holds (nothing is flushed first)."""
    rows_q, notes_q = _invitation_row_queries()
    rows = db.session.connection().execute
    out = [InvitationRow(r.id, session, RoleShown(r.role_id, r.role_name, r.nudity_or_intimacy),
                         TalentShown(r.talent_id, r.display_name, r.date_of_birth), r.starts_at, r.ends_at, r.status,
                         r.talent_note, r.access_needs, r.moved_from)
           for r in rows(rows_q, {"session_id": session.id, "starts_at": session.starts_at,
                                  "ends_at": session.ends_at})]
    if out:
        by_id = {inv.id: inv for inv in out}
        for n in rows(notes_q, {"ids": list(by_id)}):
            by_id[n.invitation_id].notes.append(NoteShown(n.rating, n.name, n.note))
    return out


def role_and_panel_ids(session_ids: list[int]) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """({session id: its role ids}, {session id: its panel's user ids}), each in id order as the relationships
    are: two queries on the link tables for a page of sessions, with no role or user rows to load."""
    roles: dict[int, list[int]] = {i: [] for i in session_ids}
    panel: dict[int, list[int]] = {i: [] for i in session_ids}
    if session_ids:
        for sid, rid in db.session.execute(sa.select(session_roles.c.session_id, session_roles.c.role_id)
                                           .where(session_roles.c.session_id.in_(session_ids))
                                           .order_by(session_roles.c.role_id)):
            roles[sid].append(rid)
        for sid, uid in db.session.execute(sa.select(session_panel.c.session_id, session_panel.c.user_id)
                                           .where(session_panel.c.session_id.in_(session_ids))
                                           .order_by(session_panel.c.user_id)):
            panel[sid].append(uid)
    return roles, panel


def invited_counts(session_ids: list[int]) -> dict[int, int]:
    """Invitations not cancelled, per session (one query)."""
    if not session_ids:
        return {}
    return dict(db.session.execute(
        sa.select(Invitation.session_id, sa.func.count()).where(Invitation.session_id.in_(session_ids),
                                                                 Invitation.status != InvitationStatus.cancelled)
        .group_by(Invitation.session_id)).all())
