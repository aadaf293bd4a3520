"""Property test for the slot grid (issue 10): whatever sequence of invitations, declines, confirmations and
cancellations a casting office and its talent make, across two sessions that overlap in time, no two active
invitations ever overlap for one talent, and no two share a session's slot at an overlapping time.

Operations go through the real services on the real database; refusals (double_booked, not on the grid,
invalid state) are part of the sequence. The invariant is checked after every step with a query of its own.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casting.callbacks import invitations
from casting.callbacks.models import ACTIVE_INVITATION_STATUSES, CallbackSession, Invitation
from casting.core.errors import DomainError
from casting.extensions import db
from tests.callbacks.factories import make_ready_session
from tests.factories import make_shortlist_entry, make_talent, make_user, make_venue

TALENT = 3
# The first session has six 20-minute slots from its start, the second four 30-minute slots from 30 minutes
# later. An invitation names a slot index (one past the end included) and may be pushed 10 minutes off the grid.
SLOTS = ((0, 20, 6), (30, 30, 4))

operation = st.one_of(
    st.tuples(st.just("invite"), st.integers(0, 1), st.integers(0, TALENT - 1), st.integers(-1, 6),
              st.sampled_from((0, 0, 0, 10))),
    st.tuples(st.sampled_from(("cancel", "decline", "confirm")), st.integers(0, 30)),
)


def _offset(session_index: int, slot: int, off_grid: int) -> int:
    """Minutes from the first session's start of that slot (of either session), maybe off its grid."""
    start, length, _ = SLOTS[session_index]
    return start + slot * length + off_grid


def _world():
    """Two scheduled sessions of one production in two rooms, overlapping in time, and shortlisted talent."""
    first = make_ready_session(hours=2, slot_minutes=20, scheduled=True)
    cd = first.lead_casting_director
    other_room = make_venue(cd, name="Spotlight Studio 3")
    second = make_ready_session(cd, production=first.production, roles=first.roles, venue=other_room,
                                panel=list(first.panel), starts_at=first.starts_at + timedelta(minutes=30),
                                hours=2, slot_minutes=30, scheduled=True)
    role = first.roles[0]
    talent = [make_talent(user=make_user("talent")) for _ in range(TALENT)]
    for t in talent:
        make_shortlist_entry(role, t, by=cd)
    return cd, [first, second], role, talent


def _overlaps() -> list[tuple[int, int, str]]:
    """Pairs of active invitations (in sessions not cancelled) that overlap for one talent or one session."""
    rows = db.session.execute(
        sa.select(Invitation.id, Invitation.session_id, Invitation.talent_id, Invitation.starts_at, Invitation.ends_at)
        .join(CallbackSession, CallbackSession.id == Invitation.session_id)
        .where(Invitation.status.in_(ACTIVE_INVITATION_STATUSES), CallbackSession.status != "cancelled")
    ).all()
    bad = []
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                if a.talent_id == b.talent_id:
                    bad.append((a.id, b.id, "talent"))
                if a.session_id == b.session_id:
                    bad.append((a.id, b.id, "slot"))
    return bad


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(operation, min_size=2, max_size=12))

def test_no_two_active_invitations_overlap(app, steps):
    cd, sessions, role, talent = _world()
    made: list[Invitation] = []
    for step in steps:
        try:
            with db.session.begin_nested():  # a refused step changes nothing
                if step[0] == "invite":
                    _, s, t, slot, off_grid = step
                    made.append(invitations.invite(
                        sessions[s], actor=cd, talent_id=talent[t].id, role_id=role.id,
                        starts_at=sessions[0].starts_at + timedelta(minutes=_offset(s, slot, off_grid))))
                elif made:
                    inv = made[step[1] % len(made)]
                    if step[0] == "cancel":
                        if inv.status in ACTIVE_INVITATION_STATUSES:
                            invitations.cancel_invitation(inv, actor=cd, reason="property test")
                    else:
                        getattr(invitations, step[0])(inv, actor=inv.talent.user)
        except DomainError:
            pass
        assert _overlaps() == [], steps
    # The grid is open to what fits it: a first step inviting into a real slot always lands there.
    first = steps[0]
    if first[0] == "invite" and 0 <= first[3] < SLOTS[first[1]][2] and not first[4]:
        assert made and made[0].starts_at == sessions[0].starts_at + timedelta(minutes=_offset(first[1], first[3], first[4]))
