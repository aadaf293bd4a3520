"""Callback sessions, their panel and attestations, invitations and panel notes."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, utcnow
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

# Invitation statuses that hold a slot and the talent's time.
ACTIVE_INVITATION_STATUSES = ("invited", "confirmed", "reschedule_requested", "checked_in", "attended")


class CallbackSession(db.Model):
    __tablename__ = "callback_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(sa.ForeignKey("productions.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    venue_id: Mapped[int] = mapped_column(sa.ForeignKey("venues.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_minutes: Mapped[int]
    recorded: Mapped[bool] = mapped_column(default=False)
    recording_use: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
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


_ACTIVE_SQL = sa.text("status IN (" + ", ".join(f"'{s}'" for s in ACTIVE_INVITATION_STATUSES) + ")")


class Invitation(db.Model):
    __tablename__ = "invitations"
    # Backstop for double-booking a slot (services check first, under the write lock).
    __table_args__ = (
        sa.Index("uq_invitations_active_slot", "session_id", "starts_at", unique=True,
                 sqlite_where=_ACTIVE_SQL, postgresql_where=_ACTIVE_SQL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("callback_sessions.id"), index=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("production_roles.id"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(24), default="invited")
    talent_note: Mapped[str | None] = mapped_column(sa.Text)
    access_needs: Mapped[str | None] = mapped_column(sa.Text)
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[CallbackSession] = relationship(back_populates="invitations")
    role: Mapped["ProductionRole"] = relationship()  # noqa: F821
    talent: Mapped["TalentProfile"] = relationship()  # noqa: F821
    events: Mapped[list["InvitationEvent"]] = relationship(back_populates="invitation", order_by="InvitationEvent.id")
    notes: Mapped[list["PanelNote"]] = relationship(back_populates="invitation", order_by="PanelNote.id")


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
