"""The talent portal's read model: a talent's callbacks as plain rows, shaped as the portal reads them
(``inv.session.venue.timezone``, ``inv.role.sides``...), in a fixed number of queries and with no ORM objects to
load: the portal shows many callbacks, each with its session, venue, production, panel, role, sides and history."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from casting.accounts.models import User
from casting.callbacks.models import (
    CallbackSession,
    Invitation,
    InvitationEvent,
    InvitationStatus,
    invitation_can,
    session_panel,
)
from casting.companies.models import Company
from casting.extensions import db
from casting.productions.models import Production, ProductionRole, Side, Venue

# How many upcoming (soonest first) and past (latest first) callbacks the portal shows.
PORTAL_UPCOMING, PORTAL_PAST = 50, 20


@dataclass
class PortalInvitation:
    """One of the talent's invitations as the portal shows it."""
    id: int
    status: str
    starts_at: datetime
    ends_at: datetime
    access_needs: str | None
    session: Any  # status, recorded, recording_use, venue, production (with its company), panel
    role: Any  # id, name, sides
    talent: Any  # the talent whose portal it is
    events: list = field(default_factory=list)  # kind and note, oldest first (upcoming callbacks only)

    def can(self, action: str) -> bool:
        """Invitation.can."""
        return invitation_can(action, self.status, self.session.status)


@cache
def _queries() -> tuple[sa.Select, sa.Select, sa.Select, sa.Select, sa.Select]:
    # Built once (building a select costs more than running it); a function: the mappers must be configured first.
    base = (sa.select(Invitation.id, Invitation.status, Invitation.starts_at, Invitation.ends_at,
                      Invitation.access_needs, Invitation.session_id, CallbackSession.status.label("session_status"),
                      CallbackSession.recorded, CallbackSession.recording_use, Venue.name.label("venue_name"),
                      Venue.kind.label("venue_kind"), Venue.address, Venue.meeting_url, Venue.timezone,
                      Production.title, Production.safeguarding_contact, Company.legal_name,
                      ProductionRole.id.label("role_id"), ProductionRole.name.label("role_name"))
            .join(CallbackSession, CallbackSession.id == Invitation.session_id)
            .join(Venue, Venue.id == CallbackSession.venue_id)
            .join(Production, Production.id == CallbackSession.production_id)
            .join(Company, Company.id == Production.company_id)
            .join(ProductionRole, ProductionRole.id == Invitation.role_id)
            .where(Invitation.talent_id == sa.bindparam("talent_id")))
    upcoming_where = sa.and_(Invitation.ends_at >= sa.bindparam("now"), Invitation.status != InvitationStatus.cancelled)
    upcoming = base.where(upcoming_where).order_by(Invitation.starts_at, Invitation.id).limit(PORTAL_UPCOMING)
    past = base.where(~upcoming_where).order_by(Invitation.starts_at.desc(), Invitation.id.desc()).limit(PORTAL_PAST)
    panel = (sa.select(session_panel.c.session_id, User.name).join(User, User.id == session_panel.c.user_id)
             .where(session_panel.c.session_id.in_(sa.bindparam("ids", expanding=True))).order_by(User.id))
    sides = (sa.select(Side.role_id, Side.id, Side.filename)
             .where(Side.role_id.in_(sa.bindparam("ids", expanding=True))).order_by(Side.id))
    events = (sa.select(InvitationEvent.invitation_id, InvitationEvent.kind, InvitationEvent.note)
              .where(InvitationEvent.invitation_id.in_(sa.bindparam("ids", expanding=True)))
              .order_by(InvitationEvent.id))
    return upcoming, past, panel, sides, events


def _invitation(row, talent) -> PortalInvitation:
    venue = SimpleNamespace(name=row.venue_name, kind=row.venue_kind, address=row.address,
                            meeting_url=row.meeting_url, timezone=row.timezone)
    venue.map_url = Venue.map_url.fget(venue)  # the one place that builds a map link
    production = SimpleNamespace(title=row.title, safeguarding_contact=row.safeguarding_contact,
                                 company=SimpleNamespace(legal_name=row.legal_name))
    session = SimpleNamespace(id=row.session_id, status=row.session_status, recorded=row.recorded,
                              recording_use=row.recording_use, venue=venue, production=production, panel=[])
    return PortalInvitation(row.id, row.status, row.starts_at, row.ends_at, row.access_needs, session,
                            SimpleNamespace(id=row.role_id, name=row.role_name, sides=[]), talent)


def talent_portal(talent, now: datetime) -> tuple[list[PortalInvitation], list[PortalInvitation]]:
    """(upcoming, past) of a talent's invitations for their portal: the PORTAL_UPCOMING soonest not cancelled
    that have not ended, with their panel, sides and history, and the PORTAL_PAST latest others (ended or
    cancelled: their time, production, role and status); five queries, of what the database holds."""
    upcoming_q, past_q, panel_q, sides_q, events_q = _queries()
    execute = db.session.connection().execute
    params = {"talent_id": talent.id, "now": now}
    upcoming = [_invitation(r, talent) for r in execute(upcoming_q, params)]
    past = [_invitation(r, talent) for r in execute(past_q, params)]
    if upcoming:
        sessions: dict[int, list] = {}
        roles: dict[int, list] = {}
        for inv in upcoming:
            sessions.setdefault(inv.session.id, []).append(inv.session)
            roles.setdefault(inv.role.id, []).append(inv.role)
        for session_id, name in execute(panel_q, {"ids": list(sessions)}):
            person = SimpleNamespace(name=name)
            for s in sessions[session_id]:
                s.panel.append(person)
        for role_id, side_id, filename in execute(sides_q, {"ids": list(roles)}):
            side = SimpleNamespace(id=side_id, filename=filename)
            for r in roles[role_id]:
                r.sides.append(side)
        by_id = {inv.id: inv for inv in upcoming}
        for invitation_id, kind, note in execute(events_q, {"ids": list(by_id)}):
            by_id[invitation_id].events.append(SimpleNamespace(kind=kind, note=note))
    return upcoming, past
