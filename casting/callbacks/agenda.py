"""The calendar: a day or a week of callback sessions, with their slots and who is booked in each.

A session belongs to the day of its start in its venue's timezone (times are shown there, as everywhere). Reads
are bounded by the date range: one query for the sessions (at most ``MAX_SESSIONS``), one for their invitations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from casting.callbacks import invitations
from casting.callbacks.models import (
    ACTIVE_INVITATION_STATUSES,
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
    InvitationStatus,
)
from casting.core.timefmt import EARLIEST, LATEST, to_local
from casting.extensions import db
from casting.productions.access import can_manage, member_production_ids
from casting.productions.models import Production

VIEWS = ("day", "week")
# A week of one office rarely holds more; past it the page says the list is cut and the day view shows all.
MAX_SESSIONS = 100
# Venue timezones run from UTC-12 to UTC+14: a local day lies within this much of the same UTC day.
ZONE_SPREAD = timedelta(hours=14)
# Invitations a slot shows: those holding it, and a no-show (it held the slot and is on the record).
SHOWN = frozenset(ACTIVE_INVITATION_STATUSES | {InvitationStatus.no_show})


@dataclass
class Slot:
    """One slot of a session's grid: its times and who is booked in it."""
    starts_at: datetime
    ends_at: datetime
    booked: list[Invitation] = field(default_factory=list)

    @property
    def free(self) -> bool:
        return not any(i.status in ACTIVE_INVITATION_STATUSES for i in self.booked)


@dataclass
class SessionDay:
    """A session on the calendar: its slots, whether the viewer manages it, the free slots an invitation may move
    to (upcoming ones)."""
    session: CallbackSession
    slots: list[Slot]
    manager: bool
    free_starts: list[datetime]


@dataclass
class Day:
    day: date
    sessions: list[SessionDay]


@dataclass
class Calendar:
    view: str
    start: date  # first day shown
    days: list[Day]
    truncated: bool

    @property
    def end(self) -> date:
        return self.start + timedelta(days=len(self.days) - 1)

    def step(self, direction: int) -> date:
        """The first day of the previous (-1) or next (+1) page."""
        return self.start + timedelta(days=direction * len(self.days))


def parse_view(raw: str | None) -> str:
    """``day`` or ``week`` (the default)."""
    return raw if raw in VIEWS else "week"


def parse_day(raw: str | None, today: date) -> date:
    """A YYYY-MM-DD day from a query string; ``today`` when missing or not a day between 1900 and 2100."""
    try:
        value = date.fromisoformat(raw or "")
    except ValueError:
        return today
    return value if EARLIEST.date() <= value < LATEST.date() - timedelta(days=8) else today


def first_day(view: str, day: date) -> date:
    """The week view starts on Monday."""
    return day - timedelta(days=day.weekday()) if view == "week" else day


def sessions_query(*, user=None, production: Production | None = None) -> sa.Select:
    """The sessions on a calendar: one production's, or those of every production ``user`` is a member of.
    Cancelled sessions hold nothing and are left off."""
    query = sa.select(CallbackSession).where(CallbackSession.status != CallbackSessionStatus.cancelled)
    if production is not None:
        return query.where(CallbackSession.production_id == production.id)
    return query.where(CallbackSession.production_id.in_(member_production_ids(user)))


def build(query: sa.Select, *, view: str, day: date, viewer, now: datetime | None = None) -> Calendar:
    """The calendar page for ``view`` (day or week) around ``day``, from the sessions ``query`` selects."""
    start = first_day(view, day)
    length = 7 if view == "week" else 1
    window_start = datetime.combine(start, time(0), timezone.utc) - ZONE_SPREAD
    window_end = datetime.combine(start + timedelta(days=length), time(0), timezone.utc) + ZONE_SPREAD
    sessions = list(db.session.scalars(
        query.where(CallbackSession.starts_at < window_end, CallbackSession.ends_at > window_start)
        .options(joinedload(CallbackSession.venue),
                 joinedload(CallbackSession.production).selectinload(Production.members))
        .order_by(CallbackSession.starts_at, CallbackSession.id).limit(MAX_SESSIONS + 1)).unique())
    truncated = len(sessions) > MAX_SESSIONS
    sessions = sessions[:MAX_SESSIONS]
    by_day: dict[date, list[CallbackSession]] = {}
    for s in sessions:
        local_day = to_local(s.starts_at, s.venue.timezone).date()
        if start <= local_day < start + timedelta(days=length):
            by_day.setdefault(local_day, []).append(s)
    shown = [s for group in by_day.values() for s in group]
    invs = _invitations(shown)
    now = now or invitations.now()
    days = []
    for offset in range(length):
        d = start + timedelta(days=offset)
        days.append(Day(d, [_session_day(s, invs.get(s.id, []), viewer, now) for s in by_day.get(d, [])]))
    return Calendar(view, start, days, truncated)


def _invitations(sessions: list[CallbackSession]) -> dict[int, list[Invitation]]:
    """The invitations in the slot grids of ``sessions`` (one query; a slot lies inside its session)."""
    if not sessions:
        return {}
    inside = sa.or_(*(sa.and_(Invitation.session_id == s.id, Invitation.starts_at >= s.starts_at,
                              Invitation.starts_at < s.ends_at) for s in sessions))
    out: dict[int, list[Invitation]] = {}
    for inv in db.session.scalars(
            sa.select(Invitation).where(inside, Invitation.status.in_(SHOWN))
            .options(joinedload(Invitation.talent), joinedload(Invitation.role))
            .order_by(Invitation.starts_at, Invitation.id)):
        out.setdefault(inv.session_id, []).append(inv)
    return out


def _session_day(session: CallbackSession, invs: list[Invitation], viewer, now: datetime) -> SessionDay:
    booked: dict[datetime, list[Invitation]] = {}
    for inv in invs:
        booked.setdefault(inv.starts_at, []).append(inv)
    slots = [Slot(s, e, booked.get(s, [])) for s, e in invitations.slot_grid(session)]
    manager = can_manage(session.production, viewer)
    movable = manager and session.status == CallbackSessionStatus.scheduled
    free = invitations.free_slots(session, invs, after=now) if movable else []
    return SessionDay(session, slots, manager, free)


def can_move(inv: Invitation, entry: SessionDay, now: datetime) -> bool:
    """Whether the page offers to move ``inv`` (the service decides; this only hides controls that would fail)."""
    return entry.manager and bool(entry.free_starts) and inv.starts_at > now and inv.can("move")
