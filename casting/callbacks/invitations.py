"""Invitations: the slot grid, inviting without double-booking, talent responses, check-in, panel notes."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from casting.audit import services as audit
from casting.callbacks import access, notify
from casting.callbacks.models import (
    ACTIVE_INVITATION_STATUSES,
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
    InvitationEvent,
    InvitationStatus,
    PanelNote,
)
from casting.callbacks.rules import current_rules
from casting.callbacks.signals import (
    check_in_missing,
    invitation_cancelled,
    invitation_changed,
    invitation_checked_in,
    invitation_created,
    invitation_moved,
    talent_asked,
)
from casting.calls.models import ShortlistEntry
from casting.core.api import iso
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.core.errors import (
    DoubleBooked,
    Duplicate,
    InvalidState,
    MissingConsent,
    NotShortlisted,
    OutsideWindow,
    ValidationError,
)
from casting.core.signals import flat_values_from
from casting.core.timefmt import local_time
from casting.extensions import db
from casting.jobs import services as jobs
from casting.productions.access import (
    require_manager,
    require_production_role,
)
from casting.productions.models import Production, ProductionRole
from casting.talent.models import TalentProfile

# Most characters per field, and (low, high) inclusive ranges of numbers: the forms and the API specs
# take their limits from here.
INVITATION_LIMITS = {"note": 5000, "access_needs": 5000}  # note: the talent's, declining or rescheduling
# The casting director's reason for cancelling one invitation (the talent is told), and their note when
# declining a talent's reschedule request.
CANCEL_INVITATION_LIMITS = {"reason": 2000}
MIN_CANCEL_INVITATION_REASON = 3
RESCHEDULE_ANSWER_LIMITS = {"note": 2000}
PANEL_NOTE_LIMITS = {"note": 5000}
PANEL_NOTE_RANGES = {"rating": (1, 5)}
# The job that reissues a changed session's letters (its handler: callbacks/bulk.py).
SESSION_CHANGED_JOB = "callbacks.session_changed"


# ---- the slot grid -------------------------------------------------------------------------

def slot_grid(session: CallbackSession) -> list[tuple[datetime, datetime]]:
    """Every (start, end) slot of the session, back to back from its start."""
    step = timedelta(minutes=session.slot_minutes)
    out, start = [], session.starts_at
    while start + step <= session.ends_at:
        out.append((start, start + step))
        start += step
    return out


def on_grid(session: CallbackSession, starts_at: datetime) -> bool:
    """Whether ``starts_at`` begins a slot of the session's grid."""
    step = timedelta(minutes=session.slot_minutes)
    offset = starts_at - session.starts_at
    return offset >= timedelta(0) and starts_at + step <= session.ends_at and offset % step == timedelta(0)


def _overlapping(start: datetime, end: datetime, exclude: set[int] = frozenset()) -> sa.Select:
    q = (sa.select(Invitation).join(CallbackSession, CallbackSession.id == Invitation.session_id)
         .where(Invitation.status.in_(ACTIVE_INVITATION_STATUSES), CallbackSession.status != CallbackSessionStatus.cancelled,
                Invitation.starts_at < end, Invitation.ends_at > start))
    return q.where(Invitation.id.not_in(exclude)) if exclude else q


def conflict(session: CallbackSession, talent_id: int, start: datetime, end: datetime,
             exclude: set[int] = frozenset()) -> str | None:
    """'slot' when the session's slot is taken at an overlapping time, 'talent' when the talent is
    booked at an overlapping time in any session, else None."""
    if db.session.scalar(_overlapping(start, end, exclude).where(Invitation.session_id == session.id).limit(1)):
        return "slot"
    if db.session.scalar(_overlapping(start, end, exclude).where(Invitation.talent_id == talent_id).limit(1)):
        return "talent"
    return None


def _slot_error(session: CallbackSession, starts_at) -> str | None:
    """Why ``starts_at`` is not a slot of the session's grid (None when it is): inviting and moving share it."""
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None or not on_grid(session, starts_at):
        return (f"Choose a slot of the session: every {session.slot_minutes} minutes from its start, "
                "ending by its end.")
    return None


def _double_booked(kind: str, session) -> DoubleBooked:
    what = ("That slot is already taken in this session." if kind == "slot"
            else "The talent is already booked at an overlapping time (in this or another session).")
    return DoubleBooked(what, details={"conflict": kind}, production_id=session.production_id)


def _event(inv: Invitation, kind: str, actor, *, note: str | None = None, from_=None, to=None) -> None:
    db.session.add(InvitationEvent(invitation_id=inv.id, kind=kind, note=note, from_starts_at=from_, to_starts_at=to,
                                   actor_id=getattr(actor, "id", None)))


# ---- inviting ------------------------------------------------------------------------------

def invite(session: CallbackSession, *, actor, talent_id, role_id, starts_at: datetime,
           now: datetime | None = None) -> Invitation:
    """Invite a shortlisted talent into one slot of a scheduled session that has not started yet (as of ``now``,
    default the callbacks' clock); email them with an .ics."""
    require_manager(session.production, actor)
    if not session.can("invite"):
        raise InvalidState("Talent can be invited only into a scheduled session. Schedule it first.",
                           entity=session, production_id=session.production_id)
    errors: dict[str, list[str]] = {}
    role = next((r for r in session.roles if r.id == role_id), None)
    if role is None:
        errors["role_id"] = ["Choose one of this session's roles."]
    talent = db.session.get(TalentProfile, talent_id) if isinstance(talent_id, int) else None
    if talent is None:
        errors["talent_id"] = ["No such talent."]
    slot_problem = _slot_error(session, starts_at)
    if slot_problem is None and starts_at <= (now or utcnow()):
        slot_problem = "That slot has already started; choose a later one."
    if slot_problem:
        errors["starts_at"] = [slot_problem]
    if errors:
        raise ValidationError(errors)
    listed = db.session.scalar(sa.select(ShortlistEntry.id).where(ShortlistEntry.role_id == role.id,
                                                                  ShortlistEntry.talent_id == talent.id))
    if listed is None:
        raise NotShortlisted(f"{talent.display_name} is not on the shortlist for {role.name}.",
                             production_id=session.production_id)
    ends_at = starts_at + timedelta(minutes=session.slot_minutes)
    # Serialise check-then-insert: SQLite holds its write lock; PostgreSQL takes an advisory lock.
    lock_for_write()
    if db.session.scalar(sa.select(Invitation.id).where(
            Invitation.session_id == session.id, Invitation.talent_id == talent.id, Invitation.role_id == role.id,
            Invitation.status.in_(ACTIVE_INVITATION_STATUSES))):
        raise Duplicate(f"{talent.display_name} is already invited to this session for {role.name}.",
                        production_id=session.production_id)
    kind = conflict(session, talent.id, starts_at, ends_at)
    if kind:
        raise _double_booked(kind, session)
    inv = Invitation(session_id=session.id, role_id=role.id, talent_id=talent.id, starts_at=starts_at,
                     ends_at=ends_at, status=InvitationStatus.invited, invited_by_id=actor.id)
    try:
        with db.session.begin_nested():  # the partial unique index is the backstop for the slot
            db.session.add(inv)
            db.session.flush()
    except IntegrityError:
        raise _double_booked("slot", session) from None
    _event(inv, "invited", actor, to=starts_at)
    audit.record("invitation.created", inv, actor=actor, production_id=session.production_id,
                 data={"session_id": session.id, "talent_id": talent.id, "role_id": role.id,
                       "starts_at": starts_at})
    notify.invited(inv, flat_values_from(invitation_created, inv, actor=actor))
    return inv


def _shift_order(invitations, delta: timedelta):
    # Move the latest first when moving later (and the earliest first when earlier), flushing each,
    # so the unique (session, slot) index never sees two rows on one slot mid-way.
    return sorted(invitations, key=lambda i: i.starts_at, reverse=delta > timedelta(0))


def follow_session_change(session: CallbackSession, *, actor, old_start: datetime, changed: list[str],
                          time_changed: bool):
    """A scheduled session changed: move its invitations with it, re-ask for confirmation when
    the time or place moved; when the change is one its letters show, start the job that reissues them and
    tells each talent, and return it (else None). Refuses what it cannot follow."""
    active = [i for i in session.invitations if i.status in ACTIVE_INVITATION_STATUSES]
    role_ids = {r.id for r in session.roles}
    orphans = [i for i in active if i.role_id not in role_ids]
    if orphans:
        raise InvalidState(f"{orphans[0].talent.display_name} is invited for {orphans[0].role.name}; cancel those "
                           "invitations before removing the role.", production_id=session.production_id)
    delta = session.starts_at - old_start
    moves = {}
    for inv in active:
        new_start = inv.starts_at + delta
        if not on_grid(session, new_start):
            raise InvalidState(f"{inv.talent.display_name}'s slot would fall outside the new slot grid; keep the "
                               "slot length and length of the session, or cancel that invitation first.",
                               production_id=session.production_id)
        new_end = new_start + timedelta(minutes=session.slot_minutes)
        if (new_start, new_end) != (inv.starts_at, inv.ends_at):
            moves[inv.id] = (new_start, new_end)
    for inv in active:
        if inv.id in moves:
            others = {i.id for i in active}
            kind = conflict(session, inv.talent_id, *moves[inv.id], exclude=others)
            if kind:
                raise _double_booked("talent", session)
    for inv in _shift_order([i for i in active if i.id in moves], delta):
        old = inv.starts_at
        inv.starts_at, inv.ends_at = moves[inv.id]
        inv.reminded_at = None  # the reminder told the old time: the new one gets its own
        db.session.flush()
        _event(inv, "moved", actor, from_=old, to=inv.starts_at)
    reconfirm = bool(moves) or "venue" in changed
    material = reconfirm or any(c in changed for c in ("panel", "roles", "recorded", "recording_use", "title"))
    if not material:
        return None
    for inv in active:
        if reconfirm and inv.id not in moves:
            _event(inv, "changed", actor, note="venue changed")
        elif not reconfirm:
            _event(inv, "changed", actor, note=", ".join(changed))
        if reconfirm and inv.can("reconfirm"):
            inv.status = InvitationStatus.invited
            inv.responded_at = None
        if reconfirm:
            inv.reminded_at = None  # a reminder of the old place does not count for the new one
        db.session.flush()
    if not active:
        return None
    # New letters and the emails that carry them: a job, after this edit commits (one letter set per invitation).
    return jobs.start(SESSION_CHANGED_JOB, {"session_id": session.id, "invitation_ids": [i.id for i in active],
                                            "reason": "session changed: " + ", ".join(changed),
                                            "reconfirm": reconfirm}, actor)


def tell_changed(inv: Invitation, *, actor, reason: str, reconfirm: bool) -> None:
    """Reissue one invitation's letters after its session changed and email the talent (the job's step)."""
    attachments = flat_values_from(invitation_changed, inv, actor=actor, reason=reason)
    notify.changed(inv, attachments, reconfirm=reconfirm)


def cancel_invitation(inv: Invitation, *, actor, reason: str) -> None:
    """Cancel one invitation (``cancel`` checks first; ``services.cancel_session`` calls this for each of a
    cancelled session's): void its documents and tell the talent."""
    inv.status = InvitationStatus.cancelled
    _event(inv, "cancelled", actor, note=reason)
    db.session.flush()
    invitation_cancelled.send(inv, actor=actor, reason=reason)
    audit.record("invitation.cancelled", inv, actor=actor, production_id=inv.session.production_id,
                 data={"reason": reason})
    notify.cancelled(inv, reason)


def _said(status: str) -> str:
    return status.replace("_", " ")


def _refuse(inv: Invitation, message: str) -> InvalidState:
    return InvalidState(message, entity=inv, production_id=inv.session.production_id)


def _require_upcoming(inv: Invitation, now: datetime, what: str) -> None:
    if inv.starts_at <= now:
        raise _refuse(inv, f"This callback has already started; it can no longer be {what}."
                           + (" Mark a no-show instead if the talent did not come." if what == "cancelled" else ""))


def cancel(inv: Invitation, *, actor, reason: str) -> Invitation:
    """The casting director cancels one invitation before its slot, saying why: its documents are voided and the
    talent is told (by email, with a calendar cancellation)."""
    session = inv.session
    require_manager(session.production, actor)
    reason = (reason or "").strip()
    if len(reason) < MIN_CANCEL_INVITATION_REASON or len(reason) > CANCEL_INVITATION_LIMITS["reason"]:
        raise ValidationError({"reason": [f"Say why the callback is cancelled: the talent is told (at most "
                                          f"{CANCEL_INVITATION_LIMITS['reason']} characters)."]})
    if not inv.can("cancel"):
        raise _refuse(inv, f"This invitation is {_said(inv.status)} and its session {session.status}; "
                           "it cannot be cancelled.")
    _require_upcoming(inv, utcnow(), "cancelled")
    cancel_invitation(inv, actor=actor, reason=reason)
    return inv


def move(inv: Invitation, *, actor, starts_at: datetime) -> Invitation:
    """The casting director moves one invitation to another slot of its session (also the answer to a reschedule
    request), by the rules of inviting: a slot on the grid, neither it nor the talent taken at an overlapping time,
    the session scheduled, and neither the old nor the new slot started. The old letters are voided and new ones
    issued; the talent is emailed them with an updated .ics and asked to confirm the new time."""
    session = inv.session
    require_manager(session.production, actor)
    if not inv.can("move"):
        raise _refuse(inv, f"This invitation is {_said(inv.status)} and its session {session.status}; "
                           "it cannot be moved.")
    now = utcnow()
    _require_upcoming(inv, now, "moved")
    problem = _slot_error(session, starts_at)
    if problem is None and starts_at <= now:
        problem = "That slot has already started; choose a later one."
    if problem is None and starts_at == inv.starts_at:
        problem = "That is the invitation's slot already; choose another."
    if problem:
        raise ValidationError({"starts_at": [problem]})
    ends_at = starts_at + timedelta(minutes=session.slot_minutes)
    lock_for_write()  # check-then-move under the write lock, as when inviting
    kind = conflict(session, inv.talent_id, starts_at, ends_at, exclude={inv.id})
    if kind:
        raise _double_booked(kind, session)
    old, was = inv.starts_at, inv.status
    try:
        with db.session.begin_nested():  # the partial unique index is the backstop for the slot
            inv.starts_at, inv.ends_at = starts_at, ends_at
            inv.status = InvitationStatus.invited
            inv.responded_at = None
            inv.reminded_at = None  # a reminder of the old time does not count for the new one
            db.session.flush()
    except IntegrityError:
        raise _double_booked("slot", session) from None
    _event(inv, "moved", actor, from_=old, to=starts_at,
           note="reschedule request answered" if was == InvitationStatus.reschedule_requested else None)
    audit.record("invitation.moved", inv, actor=actor, production_id=session.production_id,
                 data={"from": old, "to": starts_at, "status_was": was})
    attachments = flat_values_from(invitation_moved, inv, actor=actor, reason="callback moved to another time",
                                   old_starts_at=old)
    notify.moved(inv, attachments, from_starts_at=old)
    return inv


def decline_reschedule(inv: Invitation, *, actor, note: str | None = None) -> Invitation:
    """The casting director cannot offer another time: the invitation stays at its slot and goes back to
    invited (the talent said that time did not suit, so they are asked to confirm it or decline); they are told."""
    session = inv.session
    require_manager(session.production, actor)
    note = (note or "").strip() or None
    if note and len(note) > RESCHEDULE_ANSWER_LIMITS["note"]:
        raise ValidationError({"note": [f"At most {RESCHEDULE_ANSWER_LIMITS['note']} characters."]})
    if not inv.can("answer_reschedule"):
        raise _refuse(inv, f"This invitation is {_said(inv.status)}: there is no reschedule request to answer.")
    _require_upcoming(inv, utcnow(), "rescheduled")
    inv.status = InvitationStatus.invited
    inv.responded_at = None
    _event(inv, "reschedule_declined", actor, note=note)
    audit.record("invitation.reschedule_declined", inv, actor=actor, production_id=session.production_id,
                 data={"note": note} if note else None)
    notify.reschedule_declined(inv, note)
    return inv


# ---- talent responses ----------------------------------------------------------------------

def _respond(inv: Invitation, actor, *, action: str, to: InvitationStatus, note: str | None = None) -> Invitation:
    access.require_own(inv, actor)
    if not inv.can(action):
        raise InvalidState(f"This invitation is {inv.status.replace('_', ' ')}; it cannot be {to.replace('_', ' ')} now.",
                           entity=inv, production_id=inv.session.production_id)
    inv.status = to
    inv.responded_at = utcnow()
    if note is not None:
        inv.talent_note = note
    _event(inv, to, actor, note=note)
    audit.record(f"invitation.{to}", inv, actor=actor, production_id=inv.session.production_id,
                 data={"note": note} if note else None)
    return inv


def confirm(inv: Invitation, *, actor) -> Invitation:
    """The talent confirms they will come."""
    return _respond(inv, actor, action="confirm", to=InvitationStatus.confirmed)


def decline(inv: Invitation, *, actor, note: str | None = None) -> Invitation:
    """The talent declines; the casting director is told."""
    note = (note or "").strip() or None
    if note and len(note) > INVITATION_LIMITS["note"]:
        raise ValidationError({"note": [f"At most {INVITATION_LIMITS['note']} characters."]})
    _respond(inv, actor, action="decline", to=InvitationStatus.declined, note=note)
    notify.to_casting_director(inv, "declined the callback", note)
    return inv


def request_reschedule(inv: Invitation, *, actor, note: str) -> Invitation:
    """The talent asks for another time, saying why; the casting director is told."""
    note = (note or "").strip()
    if not note or len(note) > INVITATION_LIMITS["note"]:
        raise ValidationError({"note": [f"Say which times would work for you (at most {INVITATION_LIMITS['note']} "
                                        "characters)."]})
    _respond(inv, actor, action="request_reschedule", to=InvitationStatus.reschedule_requested, note=note)
    talent_asked.send(inv, actor=actor, kind="reschedule_request", text=note)
    notify.to_casting_director(inv, "asked to reschedule", note)
    return inv


def set_access_needs(inv: Invitation, *, actor, access_needs: str) -> Invitation:
    """The talent tells the production about access needs (step-free access, a reader, breaks, ...)."""
    access.require_own(inv, actor)
    text = (access_needs or "").strip()
    if not text or len(text) > INVITATION_LIMITS["access_needs"]:
        raise ValidationError({"access_needs": [f"Describe what you need (at most {INVITATION_LIMITS['access_needs']} "
                                                "characters)."]})
    if not inv.can("set_access_needs"):
        raise InvalidState(f"This invitation is {inv.status}.", entity=inv, production_id=inv.session.production_id)
    inv.access_needs = text
    _event(inv, "access_needs", actor, note=text)
    audit.record("invitation.access_needs", inv, actor=actor, production_id=inv.session.production_id)
    talent_asked.send(inv, actor=actor, kind="access_needs", text=text)
    notify.to_casting_director(inv, "told you about access needs", text)
    return inv


# ---- production side -----------------------------------------------------------------------

def now() -> datetime:
    """The callbacks' clock: what the time rules (check-in window, no-shows, moving) and the pages compare with."""
    return utcnow()


def free_slots(session: CallbackSession, invs: list[Invitation], *, after: datetime | None = None) -> list[datetime]:
    """Starts of the session's slots that no active invitation of ``invs`` holds (and, with ``after``, that
    start later than it)."""
    taken = {i.starts_at for i in invs if i.status in ACTIVE_INVITATION_STATUSES}
    return [s for s, _ in slot_grid(session) if s not in taken and (after is None or s > after)]


def checkin_window(inv: Invitation) -> tuple[datetime, datetime]:
    """When check-in is open for this invitation: from CASTING_CHECKIN_OPENS_HOURS before its slot to the
    session's end."""
    return inv.starts_at - timedelta(hours=current_rules().checkin_opens_hours), inv.session.ends_at


def checkin_open(inv: Invitation, now: datetime | None = None) -> bool:
    """Whether check-in is open for this invitation now (its status aside)."""
    opens, closes = checkin_window(inv)
    return opens <= (now or utcnow()) <= closes


def check_in(inv: Invitation, *, actor, now: datetime | None = None) -> Invitation:
    """A production member checks the talent in: confirmed, every consent document signed (checked first), and
    inside the check-in window (never for a callback on another day). ``now`` is for scripts recording a
    check-in that happened earlier (the demo seed); requests use the clock."""
    session = inv.session
    require_production_role(session.production, actor)
    if not inv.can("check_in"):
        raise InvalidState(f"This invitation is {inv.status.replace('_', ' ')}; it cannot be checked in.",
                           entity=inv, production_id=session.production_id)
    missing = [] if inv.status == InvitationStatus.confirmed else ["confirmation"]
    missing += [k for k in flat_values_from(check_in_missing, inv, require=True) if k not in missing]
    if missing:
        raise MissingConsent("Check-in needs: " + ", ".join(m.replace("_", " ") for m in missing) + ".",
                             details={"missing": missing}, entity=inv, production_id=session.production_id)
    now = now or utcnow()
    opens, closes = checkin_window(inv)
    if not opens <= now <= closes:
        tz = session.venue.timezone
        when = (f"opens at {local_time(opens, tz, 'slot')}" if now < opens
                else f"closed at the session's end, {local_time(closes, tz, 'slot')}")
        raise OutsideWindow(f"Check-in is open only on the callback day, from "
                            f"{current_rules().checkin_opens_hours} hours before the slot to the session's end: "
                            f"for this callback it {when}.",
                            details={"opens_at": iso(opens), "closes_at": iso(closes)},
                            entity=inv, production_id=session.production_id)
    inv.status = InvitationStatus.checked_in
    inv.checked_in_at = now
    _event(inv, "checked_in", actor)
    audit.record("invitation.checked_in", inv, actor=actor, production_id=session.production_id)
    invitation_checked_in.send(inv, actor=actor)
    return inv


def no_show(inv: Invitation, *, actor) -> Invitation:
    """A casting director of the production records that the talent did not come (once their slot started)."""
    session = inv.session
    require_manager(session.production, actor)
    if not inv.can("no_show"):
        raise _refuse(inv, f"This invitation is {_said(inv.status)} and its session {session.status}; "
                           "it cannot be marked a no-show.")
    if utcnow() < inv.starts_at:
        raise _refuse(inv, "The talent's slot has not started yet; a no-show is recorded only after it starts.")
    inv.status = InvitationStatus.no_show
    _event(inv, "no_show", actor)
    audit.record("invitation.no_show", inv, actor=actor, production_id=session.production_id)
    return inv


def mark_attended(inv: Invitation, *, actor) -> None:
    """The session was completed: a talent who was checked in attended."""
    inv.status = InvitationStatus.attended
    _event(inv, "attended", actor)
    audit.record("invitation.attended", inv, actor=actor, production_id=inv.session.production_id)


def add_note(inv: Invitation, *, actor, rating, note: str = "") -> PanelNote:
    """A panel member's 1-5 rating and note; production members only ever see them."""
    session = inv.session
    access.require_panel(inv, actor)
    errors = {}
    low, high = PANEL_NOTE_RANGES["rating"]
    if isinstance(rating, bool) or not isinstance(rating, int) or not low <= rating <= high:
        errors["rating"] = [f"A rating from {low} to {high}."]
    note = (note or "").strip()
    if len(note) > PANEL_NOTE_LIMITS["note"]:
        errors["note"] = [f"At most {PANEL_NOTE_LIMITS['note']} characters."]
    if errors:
        raise ValidationError(errors)
    if not inv.can("add_note"):
        raise InvalidState("This invitation is cancelled.", entity=inv, production_id=session.production_id)
    row = PanelNote(invitation_id=inv.id, author_id=actor.id, rating=rating, note=note)
    db.session.add(row)
    db.session.flush()
    audit.record("invitation.noted", inv, actor=actor, production_id=session.production_id,
                 data={"note_id": row.id, "rating": rating})
    return row


def portal_options() -> tuple:
    """What a talent's callback is read with when told about it (reminders): session, venue, production, panel,
    role, sides, history. (The portal reads the same as plain rows: casting.callbacks.portal.)"""
    return (joinedload(Invitation.session).joinedload(CallbackSession.venue),
            joinedload(Invitation.session).joinedload(CallbackSession.production).joinedload(Production.company),
            joinedload(Invitation.session).selectinload(CallbackSession.panel),
            joinedload(Invitation.role).selectinload(ProductionRole.sides), selectinload(Invitation.events))
