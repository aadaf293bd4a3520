"""Work on many invitations, as background jobs: inviting a list of talent into the next free slots, and
reissuing a changed session's letters. Each talent (or invitation) is one short transaction, committed with
the job's progress, so a retried job resumes after the last one done and never invites anyone twice."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from casting.accounts.models import User
from casting.callbacks import invitations
from casting.callbacks.models import (
    ACTIVE_INVITATION_STATUSES,
    CallbackSession,
    Invitation,
)
from casting.core.errors import DomainError, InvalidState, NoFreeSlot, ValidationError
from casting.extensions import db
from casting.jobs import services as jobs
from casting.jobs.registry import handler
from casting.productions.access import require_manager

BULK_INVITE_JOB = "callbacks.bulk_invite"
# Most talent in one bulk invitation.
MAX_BULK = 500


def start_bulk_invite(session: CallbackSession, *, actor, role_id: int, talent_ids: list[int],
                      starts_at: datetime | None = None):
    """Check what can be checked now and start the job that invites each talent, by the single-invitation
    rules, into the next free slot from ``starts_at`` (default: the session's start). Returns the job."""
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
    return jobs.start(BULK_INVITE_JOB, {"session_id": session.id, "role_id": role_id,
                                        "talent_ids": list(dict.fromkeys(talent_ids)),
                                        "starts_at": starts_at.isoformat()}, actor)


def next_free_slot(session: CallbackSession, starts_at: datetime) -> datetime | None:
    """The first slot of the session's grid at or after ``starts_at`` that no active invitation holds."""
    taken = set(db.session.scalars(sa.select(Invitation.starts_at).where(
        Invitation.session_id == session.id, Invitation.status.in_(ACTIVE_INVITATION_STATUSES))))
    return next((start for start, _end in invitations.slot_grid(session) if start >= starts_at and start not in taken),
                None)


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
        try:
            with db.session.begin_nested():  # a refusal undoes this talent's part only
                slot = next_free_slot(session, starts_at)
                if slot is None:
                    raise NoFreeSlot(production_id=session.production_id)
                inv = invitations.invite(session, actor=actor, talent_id=talent_id, role_id=p["role_id"],
                                         starts_at=slot)
        except DomainError as exc:
            run.result["skipped"].append({"talent_id": talent_id, "code": exc.code})
        else:
            run.result["invitations"].append(inv.id)


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
