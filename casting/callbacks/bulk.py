"""Work on many invitations, as background jobs: inviting a list of talent into the next free slots, and
reissuing a changed session's letters. Each talent (or invitation) is one short transaction, committed with
the job's progress, so a retried job resumes after the last one done and never invites anyone twice."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

import sqlalchemy as sa

from casting.accounts.models import User
from casting.audit import services as audit
from casting.callbacks import invitations
from casting.callbacks.models import (
    ACTIVE_INVITATION_STATUSES,
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
)
from casting.calls.models import ShortlistEntry
from casting.core.errors import DomainError, InvalidState, ValidationError
from casting.extensions import db
from casting.jobs import services as jobs
from casting.jobs.registry import handler
from casting.productions.access import require_manager
from casting.talent.models import TalentProfile

BULK_INVITE_JOB = "callbacks.bulk_invite"
# Most talent in one bulk invitation.
MAX_BULK = 500


def _check(session: CallbackSession, actor, role_id: int, talent_ids: list[int], starts_at: datetime | None):
    """What a bulk invitation needs before any talent is looked at; returns the start (default: the session's)."""
    require_manager(session.production, actor)
    if not session.can("invite"):
        raise InvalidState("Talent can be invited only into a scheduled session. Schedule it first.",
                           entity=session, production_id=session.production_id)
    errors: dict[str, list[str]] = {}
    if not any(r.id == role_id for r in session.roles):
        errors["role_id"] = ["Choose one of this session's roles."]
    if not talent_ids:
        errors["talent_ids"] = ["Give at least one talent."]
    elif len(talent_ids) > MAX_BULK:
        errors["talent_ids"] = [f"At most {MAX_BULK} talent at once."]
    starts_at = starts_at or session.starts_at
    if not session.starts_at <= starts_at < session.ends_at:
        errors["starts_at"] = ["Choose a time within the session."]
    if errors:
        raise ValidationError(errors)
    return starts_at


def start_bulk_invite(session: CallbackSession, *, actor, role_id: int, talent_ids: list[int],
                      starts_at: datetime | None = None, labels: dict[int, str] | None = None,
                      back: tuple[str, str] | None = None):
    """Check what can be checked now and start the job that invites each talent, by the single-invitation
    rules, into the next free slot from ``starts_at`` (default: the session's start). Returns the job.
    ``labels`` (talent id -> name) let the job's page name who was skipped, in plain words; ``back`` is the
    (path, label) of the page it links back to."""
    starts_at = _check(session, actor, role_id, talent_ids, starts_at)
    payload = {"session_id": session.id, "role_id": role_id, "talent_ids": list(dict.fromkeys(talent_ids)),
               "starts_at": starts_at.isoformat()}
    if labels:
        payload["labels"] = {str(k): v for k, v in labels.items()}
        payload["reasons"] = SKIP_REASONS
    if back:
        payload["back"] = list(back)
    return jobs.start(BULK_INVITE_JOB, payload, actor)


# ---- the plan: who lands in which slot (the preview page and the job decide with the same function) -------

# Each skip code in plain words, for pages (the API and the job's result keep the codes).
SKIP_REASONS = {
    "no_free_slot": "no free slot is left in the session from the start time",
    "validation_error": "no such talent",
    "not_shortlisted": "not on this role's shortlist",
    "duplicate": "already invited to this session for this role",
    "double_booked": "already booked at that time, in this or another session",
}


@dataclass(frozen=True)
class PlanFacts:
    """What the plan needs to know, read from the database beforehand (``plan_facts``)."""

    grid: tuple[tuple[datetime, datetime], ...]      # the session's slots
    taken: frozenset[datetime]                       # slot starts held by an active invitation
    known: frozenset[int]                            # talent ids that exist
    shortlisted: frozenset[int]                      # on the role's shortlist
    invited: frozenset[int]                          # already actively invited to this session for the role
    busy: Mapping[int, tuple[tuple[datetime, datetime], ...]] = field(default_factory=dict)  # held times


@dataclass(frozen=True)
class Placement:
    """One talent's outcome: a slot, or the code of the reason they are skipped."""

    talent_id: int
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    code: str | None = None

    @property
    def reason(self) -> str | None:
        return SKIP_REASONS.get(self.code, self.code) if self.code else None


def plan(facts: PlanFacts, talent_ids: list[int], starts_at: datetime) -> list[Placement]:
    """Pure: each talent in order into the next free slot from ``starts_at``, by the single-invitation rules
    in their order (a free slot, a real talent, shortlisted, not invited yet, not booked at that time); a
    skipped talent leaves the slot to the next one."""
    taken, invited = set(facts.taken), set(facts.invited)
    busy = {tid: list(spans) for tid, spans in facts.busy.items()}
    out = []
    for tid in dict.fromkeys(talent_ids):
        slot = next(((s, e) for s, e in facts.grid if s >= starts_at and s not in taken), None)
        if slot is None:
            code = "no_free_slot"
        elif tid not in facts.known:
            code = "validation_error"
        elif tid not in facts.shortlisted:
            code = "not_shortlisted"
        elif tid in invited:
            code = "duplicate"
        elif any(b_start < slot[1] and b_end > slot[0] for b_start, b_end in busy.get(tid, ())):
            code = "double_booked"
        else:
            taken.add(slot[0])
            invited.add(tid)
            busy.setdefault(tid, []).append(slot)
            out.append(Placement(tid, *slot))
            continue
        out.append(Placement(tid, code=code))
    return out


def plan_facts(session: CallbackSession, role_id: int, talent_ids: list[int]) -> PlanFacts:
    """Read the plan's facts for these talent in three queries (whatever the count)."""
    ids = list(dict.fromkeys(talent_ids))
    active = Invitation.status.in_(ACTIVE_INVITATION_STATUSES)
    # The session's active invitations (bounded by its slots): the taken slots, and who holds one for the role.
    held = db.session.execute(sa.select(Invitation.starts_at, Invitation.talent_id, Invitation.role_id)
                              .where(Invitation.session_id == session.id, active)).all()
    taken = frozenset(start for start, _tid, _rid in held)
    invited = frozenset(tid for _start, tid, rid in held if rid == role_id)
    found = db.session.execute(
        sa.select(TalentProfile.id, ShortlistEntry.id).select_from(TalentProfile)
        .outerjoin(ShortlistEntry, (ShortlistEntry.talent_id == TalentProfile.id) & (ShortlistEntry.role_id == role_id))
        .where(TalentProfile.id.in_(ids))).all()
    known = frozenset(tid for tid, _entry in found)
    shortlisted = frozenset(tid for tid, entry in found if entry is not None)
    busy: dict[int, tuple] = {}
    for tid, start, end in db.session.execute(
            sa.select(Invitation.talent_id, Invitation.starts_at, Invitation.ends_at)
            .join(CallbackSession, CallbackSession.id == Invitation.session_id)
            .where(Invitation.talent_id.in_(ids), active, CallbackSession.status != CallbackSessionStatus.cancelled,
                   Invitation.starts_at < session.ends_at, Invitation.ends_at > session.starts_at)):
        busy[tid] = (*busy.get(tid, ()), (start, end))
    now = invitations.now()  # a slot that has started is no longer offered (``invite`` refuses it too)
    return PlanFacts(grid=tuple((s, e) for s, e in invitations.slot_grid(session) if s > now), taken=taken,
                     known=known, shortlisted=shortlisted, invited=invited, busy=busy)


def preview(session: CallbackSession, *, actor, role_id: int, talent_ids: list[int],
            starts_at: datetime | None = None) -> list[Placement]:
    """What confirming would do now: the same checks as ``start_bulk_invite`` (raised), then the plan."""
    starts_at = _check(session, actor, role_id, talent_ids, starts_at)
    return plan(plan_facts(session, role_id, talent_ids), talent_ids, starts_at)


def _actor(run):
    return db.session.get(User, run.created_by_id) if run.created_by_id else None


@handler(BULK_INVITE_JOB)
def bulk_invite(run) -> None:
    p = run.payload
    starts_at = datetime.fromisoformat(p["starts_at"])
    run.result.setdefault("invitations", [])
    run.result.setdefault("skipped", [])
    for talent_id in run.each(p["talent_ids"]):
        session = db.session.get(CallbackSession, p["session_id"])
        actor = _actor(run)
        # The plan decides this talent's slot (or why not) on the facts as they are now; ``invite`` applies
        # the rules again under the write lock (a slot taken meanwhile is refused there, not double-booked).
        [placement] = plan(plan_facts(session, p["role_id"], [talent_id]), [talent_id], starts_at)
        if placement.code:
            run.result["skipped"].append({"talent_id": talent_id, "code": placement.code})
            continue
        try:
            with db.session.begin_nested():  # a refusal undoes this talent's part only
                inv = invitations.invite(session, actor=actor, talent_id=talent_id, role_id=p["role_id"],
                                         starts_at=placement.starts_at)
        except DomainError as exc:
            run.result["skipped"].append({"talent_id": talent_id, "code": exc.code})
        else:
            run.result["invitations"].append(inv.id)
    session = db.session.get(CallbackSession, p["session_id"])
    audit.record("session.bulk_invited", session, actor=_actor(run), production_id=session.production_id,
                 data={"job_id": run.job_id, "role_id": p["role_id"], "invitations": run.result["invitations"],
                       "skipped": run.result["skipped"]})


@handler(invitations.SESSION_CHANGED_JOB)
def session_changed(run) -> None:
    p = run.payload
    run.result.setdefault("reissued", [])
    for invitation_id in run.each(p["invitation_ids"]):
        inv = db.session.get(Invitation, invitation_id)
        if inv is None or inv.status not in ACTIVE_INVITATION_STATUSES:
            continue  # cancelled since: nothing to reissue
        invitations.tell_changed(inv, actor=_actor(run), reason=p["reason"], reconfirm=p["reconfirm"])
        run.result["reissued"].append(invitation_id)
