"""Factories for callback sessions and invitations (imported by the documents and decisions tests too).

``make_ready_session()`` builds a session that passes every checklist item: a verified company
(verified by an admin who is not its creator), a casting director with a verified credential,
a specific role with sides, the no_fees attestation, a casting studio with a full address,
Tuesday 10:00-13:00 in the venue's timezone at least a week ahead, a panel of the casting
director and a producer, and a safeguarding contact. Break one thing to fail one item.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from casting.callbacks.models import Attestation, CallbackSession, Invitation, InvitationEvent
from casting.callbacks.services import NO_FEES_STATEMENT, schedule_session
from casting.core.db import utcnow
from casting.extensions import db
from tests.factories import (
    make_company, make_production, make_role, make_shortlist_entry, make_talent, make_user, make_venue,
)


def next_weekday(weekday: int = 1, *, days_ahead: int = 7, hour: int = 10, minute: int = 0,
                 tz: str = "Europe/London", after: date | None = None) -> datetime:
    """The first ``weekday`` (0 = Monday) at least ``days_ahead`` days after ``after`` (today),
    at ``hour:minute`` wall time in ``tz``, as aware UTC."""
    day = (after or utcnow().date()) + timedelta(days=days_ahead)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return datetime.combine(day, time(hour, minute), ZoneInfo(tz)).astimezone(timezone.utc)


def make_ready_session(cd=None, *, production=None, venue=None, roles=None, panel=None, tz: str = "Europe/London",
                       starts_at: datetime | None = None, hours: int = 3, slot_minutes: int = 20,
                       recorded: bool = False, recording_use: str | None = None, attest: bool = True,
                       scheduled: bool = False, title: str = "Second-round callbacks") -> CallbackSession:
    """A draft session passing every checklist item (``scheduled=True`` schedules it through the gate)."""
    if cd is None:
        checker = make_user("admin", name="Vera Verifier")
        cd = make_user("casting_director", name="Cass Director", credential_verified_by=checker)
    if production is None:
        admin = make_user("admin", name="Adam Admin")
        producer = make_user("producer", name="Prue Producer")
        production = make_production(cd, make_company(cd, verified_by=admin), members={producer: "producer"})
    if roles is None:
        roles = [make_role(production)]
    if venue is None:
        venue = make_venue(cd, timezone_name=tz)
    if panel is None:
        panel = [m.user for m in production.members if m.role in ("casting_director", "producer")][:2]
        if cd not in panel:
            panel = [cd, *panel[:1]]
    starts_at = starts_at or next_weekday(1, tz=venue.timezone)
    session = CallbackSession(production_id=production.id, title=title, venue_id=venue.id, starts_at=starts_at,
                              ends_at=starts_at + timedelta(hours=hours), slot_minutes=slot_minutes,
                              recorded=recorded, recording_use=recording_use, status="draft",
                              lead_casting_director_id=cd.id)
    session.roles = list(roles)
    session.panel = list(panel)
    db.session.add(session)
    db.session.flush()
    if attest:
        db.session.add(Attestation(session_id=session.id, code="no_fees", statement=NO_FEES_STATEMENT,
                                   attested_by_id=cd.id))
        db.session.flush()
        db.session.refresh(session, ["attestations"])
    if scheduled:
        schedule_session(session, actor=cd)
    return session


def make_invitation(session: CallbackSession, *, talent=None, role=None, starts_at: datetime | None = None,
                    status: str = "invited", shortlist: bool = True) -> Invitation:
    """An invitation row in ``session`` (scheduled first if still a draft), built directly:
    no email and no documents. The talent is put on the role's shortlist. ``starts_at``
    defaults to the first free slot."""
    from casting.callbacks.invitations import slot_grid

    if session.status == "draft":
        schedule_session(session, actor=session.lead_casting_director)
    role = role or session.roles[0]
    if talent is None:
        talent = make_talent(user=make_user("talent"))
    if shortlist:
        from casting.calls.models import ShortlistEntry

        if not db.session.query(ShortlistEntry).filter_by(role_id=role.id, talent_id=talent.id).first():
            make_shortlist_entry(role, talent, by=session.lead_casting_director)
    if starts_at is None:
        taken = {i.starts_at for i in session.invitations if i.status not in ("cancelled", "declined")}
        starts_at = next(s for s, _ in slot_grid(session) if s not in taken)
    inv = Invitation(session_id=session.id, role_id=role.id, talent_id=talent.id, starts_at=starts_at,
                     ends_at=starts_at + timedelta(minutes=session.slot_minutes), status=status,
                     invited_by_id=session.lead_casting_director_id,
                     responded_at=utcnow() if status in ("confirmed", "declined") else None)
    db.session.add(inv)
    db.session.flush()
    db.session.add(InvitationEvent(invitation_id=inv.id, kind="invited", to_starts_at=starts_at,
                                   actor_id=session.lead_casting_director_id))
    db.session.flush()
    db.session.refresh(session, ["invitations"])
    return inv


def set_clock(monkeypatch, when: datetime) -> None:
    """Pretend it is ``when`` for the callbacks' rules of time (the check-in window, no-shows, completing a
    session, moving and cancelling before a slot): the services read the clock through their module's utcnow."""
    for module in ("casting.callbacks.invitations", "casting.callbacks.services"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: when)
