"""Callback sessions, their panel and attestations, invitations and panel notes."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db

session_roles = sa.Table(
    "session_roles",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("callback_sessions.id"), primary_key=True),
    sa.Column("role_id", sa.ForeignKey("production_roles.id"), primary_key=True),
)

session_panel = sa.Table(
    "session_panel",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("callback_sessions.id"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
)



class CallbackSessionStatus(enum.StrEnum):
    draft = "draft"
    scheduled = "scheduled"
    completed = "completed"
    cancelled = "cancelled"


# What each session action needs of the session's status (CallbackSession.can).
SESSION_TRANSITIONS: dict[str, frozenset[CallbackSessionStatus]] = {
    "edit": frozenset({CallbackSessionStatus.draft, CallbackSessionStatus.scheduled}),
    "attest": frozenset({CallbackSessionStatus.draft, CallbackSessionStatus.scheduled}),
    "cancel": frozenset({CallbackSessionStatus.draft, CallbackSessionStatus.scheduled}),
    "schedule": frozenset({CallbackSessionStatus.draft}),
    "invite": frozenset({CallbackSessionStatus.scheduled}),
    # After its end (services.complete_session checks the time): checked-in talent are marked attended.
    "complete": frozenset({CallbackSessionStatus.scheduled}),
}


class InvitationStatus(enum.StrEnum):
    invited = "invited"
    confirmed = "confirmed"
    reschedule_requested = "reschedule_requested"
    declined = "declined"
    cancelled = "cancelled"
    checked_in = "checked_in"
    attended = "attended"
    no_show = "no_show"


# Invitation statuses that hold a slot and the talent's time.
ACTIVE_INVITATION_STATUSES = frozenset({
    InvitationStatus.invited, InvitationStatus.confirmed, InvitationStatus.reschedule_requested,
    InvitationStatus.checked_in, InvitationStatus.attended,
})
# The talent said they will come (and may since have been checked in).
CONFIRMED_INVITATION_STATUSES = frozenset({
    InvitationStatus.confirmed, InvitationStatus.checked_in, InvitationStatus.attended,
})
# Invitations whose talent came to the callback: checked in at the door (and marked attended afterwards).
ATTENDED_INVITATION_STATUSES = frozenset({InvitationStatus.checked_in, InvitationStatus.attended})
# Invitations that do not mean the talent was called back (they declined, or it was cancelled).
NOT_CALLED_BACK_STATUSES = frozenset({InvitationStatus.declined, InvitationStatus.cancelled})

# Invitations whose callback is still to happen: the talent is expected and has not been checked in.
_EXPECTED = frozenset({InvitationStatus.invited, InvitationStatus.confirmed, InvitationStatus.reschedule_requested})

# What each invitation action needs of the invitation's status (Invitation.can).
INVITATION_TRANSITIONS: dict[str, frozenset[InvitationStatus]] = {
    # The talent's answers.
    "confirm": frozenset({InvitationStatus.invited, InvitationStatus.reschedule_requested}),
    "decline": frozenset({InvitationStatus.invited, InvitationStatus.confirmed, InvitationStatus.reschedule_requested}),
    "request_reschedule": frozenset({InvitationStatus.invited, InvitationStatus.confirmed}),
    "set_access_needs": ACTIVE_INVITATION_STATUSES,
    # The production's side.
    "check_in": frozenset({InvitationStatus.invited, InvitationStatus.confirmed, InvitationStatus.reschedule_requested}),
    "add_note": frozenset(InvitationStatus) - {InvitationStatus.cancelled},
    # The casting director's actions on one invitation still to happen (the services check the time too).
    "cancel": _EXPECTED,
    "move": _EXPECTED,
    "no_show": _EXPECTED,
    "answer_reschedule": frozenset({InvitationStatus.reschedule_requested}),
    # The whole session was cancelled: every invitation holding a slot goes with it.
    "cancel_with_session": ACTIVE_INVITATION_STATUSES,
    # The session is completed: a talent who was checked in attended.
    "attend": frozenset({InvitationStatus.checked_in}),
    # The session moved: a talent who had answered is asked to confirm again.
    "reconfirm": frozenset({InvitationStatus.confirmed, InvitationStatus.reschedule_requested}),
}
# What each invitation action needs of its session's status (actions not named here need nothing of it).
_SCHEDULED = frozenset({CallbackSessionStatus.scheduled})
INVITATION_SESSION_STATUSES: dict[str, frozenset[CallbackSessionStatus]] = {
    **{action: _SCHEDULED for action in ("confirm", "decline", "request_reschedule", "check_in", "cancel", "move",
                                         "answer_reschedule")},
    # A no-show may be recorded after the session is completed, too.
    "no_show": frozenset({CallbackSessionStatus.scheduled, CallbackSessionStatus.completed}),
    "attend": frozenset({CallbackSessionStatus.completed}),
}


def invitation_can(action: str, status: str, session_status: str) -> bool:
    """Whether an invitation in ``status``, of a session in ``session_status``, allows ``action`` (Invitation.can,
    for an invitation read as a plain row)."""
    needs = INVITATION_SESSION_STATUSES.get(action)
    if needs is not None and session_status not in needs:
        return False
    return status in INVITATION_TRANSITIONS[action]


class CallbackSession(db.Model):
    __tablename__ = "callback_sessions"
    __table_args__ = (enum_check("status", CallbackSessionStatus),)
    # Not a column: the job an edit started to reissue the letters (set by services.update_session).
    reissue_job_id = None

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(sa.ForeignKey("productions.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    venue_id: Mapped[int] = mapped_column(sa.ForeignKey("venues.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_minutes: Mapped[int]
    recorded: Mapped[bool] = mapped_column(default=False)
    recording_use: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=CallbackSessionStatus.draft)
    lead_casting_director_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)

    production: Mapped["Production"] = relationship()  # noqa: F821
    venue: Mapped["Venue"] = relationship()  # noqa: F821
    lead_casting_director: Mapped["User"] = relationship(foreign_keys=[lead_casting_director_id])  # noqa: F821
    roles: Mapped[list["ProductionRole"]] = relationship(secondary=session_roles, order_by="ProductionRole.id")  # noqa: F821
    panel: Mapped[list["User"]] = relationship(secondary=session_panel, order_by="User.id")  # noqa: F821
    attestations: Mapped[list["Attestation"]] = relationship(back_populates="session", order_by="Attestation.id")
    invitations: Mapped[list["Invitation"]] = relationship(back_populates="session", order_by="Invitation.starts_at")

    def can(self, action: str) -> bool:
        """Whether the session's status allows ``action``: edit, attest, cancel, schedule, invite or complete."""
        return self.status in SESSION_TRANSITIONS[action]


class Attestation(db.Model):
    """A casting director's signed statement on a checklist item (e.g. no_fees), with who and when."""

    __tablename__ = "attestations"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("callback_sessions.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(64))
    statement: Mapped[str] = mapped_column(sa.Text)
    attested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    attested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[CallbackSession] = relationship(back_populates="attestations")
    attested_by: Mapped["User"] = relationship()  # noqa: F821


_ACTIVE_SQL = sa.text("status IN (" + ", ".join(f"'{s}'" for s in InvitationStatus if s in ACTIVE_INVITATION_STATUSES)
                      + ")")


class Invitation(db.Model):
    __tablename__ = "invitations"
    # Backstop for double-booking a slot (services check first, under the write lock).
    __table_args__ = (
        sa.Index("uq_invitations_active_slot", "session_id", "starts_at", unique=True,
                 sqlite_where=_ACTIVE_SQL, postgresql_where=_ACTIVE_SQL),
        enum_check("status", InvitationStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("callback_sessions.id"), index=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("production_roles.id"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(24), default=InvitationStatus.invited)
    talent_note: Mapped[str | None] = mapped_column(sa.Text)
    access_needs: Mapped[str | None] = mapped_column(sa.Text)
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the day-before reminder went out (callbacks/reminders.py): set once, so it goes out once; cleared
    # when the slot moves.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[CallbackSession] = relationship(back_populates="invitations")
    role: Mapped["ProductionRole"] = relationship()  # noqa: F821
    talent: Mapped["TalentProfile"] = relationship()  # noqa: F821
    events: Mapped[list["InvitationEvent"]] = relationship(back_populates="invitation", order_by="InvitationEvent.id")
    notes: Mapped[list["PanelNote"]] = relationship(back_populates="invitation", order_by="PanelNote.id")

    def can(self, action: str) -> bool:
        """Whether the statuses allow ``action`` (a name of INVITATION_TRANSITIONS): the talent's confirm,
        decline, request_reschedule and set_access_needs; the production's check_in, add_note, cancel, move,
        no_show, answer_reschedule; cancel_with_session, attend and reconfirm as the session changes.
        The invitation's status must allow it, and its session's status too (INVITATION_SESSION_STATUSES)."""
        return invitation_can(action, self.status, self.session.status)


class InvitationEvent(db.Model):
    """History of an invitation: moves, responses, reschedule requests."""

    __tablename__ = "invitation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    from_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    to_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship(back_populates="events")


class PanelNote(db.Model):
    """A panel member's note and 1-5 rating; production members only, never talent."""

    __tablename__ = "panel_notes"
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    rating: Mapped[int]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship(back_populates="notes")
    author: Mapped["User"] = relationship()  # noqa: F821


class MessageSide(enum.StrEnum):
    """Which side of the thread wrote a message."""
    production = "production"
    talent = "talent"


class MessageKind(enum.StrEnum):
    """A message typed in the thread, or a talent's request that arrived in it."""
    message = "message"
    reschedule_request = "reschedule_request"
    access_needs = "access_needs"


class InvitationMessage(db.Model):
    """One message of an invitation's thread, between the production's members and that talent."""

    __tablename__ = "invitation_messages"
    __table_args__ = (enum_check("side", MessageSide), enum_check("kind", MessageKind),
                      sa.Index("ix_invitation_messages_invitation_id_id", "invitation_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(32), default=MessageKind.message)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship()
    author: Mapped["User | None"] = relationship()  # noqa: F821


class ShareStatus(enum.StrEnum):
    """Whether a trusted person still hears about the callback."""

    active = "active"
    stopped = "stopped"


class InvitationShare(db.Model):
    """A trusted person a talent told about their callback (issue 14: someone knows where you are): they are
    sent its time, address, panel, safeguarding contact and letter code, then told of check-in, the end, a
    cancellation or a move, until the talent stops sharing."""

    __tablename__ = "invitation_shares"
    __table_args__ = (enum_check("status", ShareStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    is_guardian: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(16), default=ShareStatus.active)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the trusted person was told the session is over (once).
    ended_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation] = relationship()
