"""Demo sessions for `flask seed-demo`: one ready to schedule, one failing three checklist items.

Goes through the same services as everyone else (actor passed explicitly, no request needed).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from casting.callbacks import services
from casting.callbacks.models import CallbackSession
from casting.core.db import utcnow
from casting.extensions import db
from casting.productions.models import Venue, VenueKind

READY_TITLE = "Second-round callbacks (ready to schedule)"
FAILING_TITLE = "Evening callbacks at the hotel (fails the checklist)"


def _next_tuesday(tz: str, hour: int, days_ahead: int = 7) -> datetime:
    day = utcnow().astimezone(ZoneInfo(tz)).date() + timedelta(days=days_ahead)
    day += timedelta(days=(1 - day.weekday()) % 7)
    return datetime.combine(day, time(hour), ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))


def seed_demo_sessions(production, *, cd, panel, venue, roles) -> tuple[CallbackSession, CallbackSession]:
    """Create (or find) the two demo sessions of ``production``; ``cd`` is a casting director member
    with a verified credential, ``panel`` production members including ``cd``, ``venue`` a studio,
    ``roles`` specific roles with sides. The failing one has no no-fees attestation, a hotel room
    and an evening time: no_fees, professional_venue and business_hours fail."""
    def existing(title):
        return db.session.scalar(sa.select(CallbackSession).where(CallbackSession.production_id == production.id,
                                                                  CallbackSession.title == title))

    ready = existing(READY_TITLE)
    if ready is None:
        # The afternoon: clear of the morning session the demo holds in the same studio (one session a room).
        start = _next_tuesday(venue.timezone, 14)
        ready = services.create_session(production, actor=cd, title=READY_TITLE, role_ids=[r.id for r in roles],
                                        venue_id=venue.id, starts_at=start, ends_at=start + timedelta(hours=3),
                                        slot_minutes=20, panel_user_ids=[u.id for u in panel])
        services.attest(ready, actor=cd)
    failing = existing(FAILING_TITLE)
    if failing is None:
        hotel = db.session.scalar(sa.select(Venue).where(Venue.kind == VenueKind.hotel_room))
        if hotel is None:
            hotel = Venue(name="Riverside Hotel, room 214", kind=VenueKind.hotel_room, timezone=venue.timezone,
                          address="Riverside Hotel, 20 Embankment Road", created_by_id=cd.id)
            db.session.add(hotel)
            db.session.flush()
        start = _next_tuesday(venue.timezone, 20, days_ahead=8)
        failing = services.create_session(production, actor=cd, title=FAILING_TITLE, role_ids=[r.id for r in roles],
                                          venue_id=hotel.id, starts_at=start, ends_at=start + timedelta(hours=2),
                                          slot_minutes=20, panel_user_ids=[u.id for u in panel])
    return ready, failing
