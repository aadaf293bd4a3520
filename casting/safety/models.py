"""Reports of a concern and the admins' notes on them."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db


class ReportStatus(enum.StrEnum):
    """Where a report stands in the admins' queue."""

    open = "open"
    investigating = "investigating"
    closed = "closed"


class ReportAbout(enum.StrEnum):
    """What a report is about: one production, one session, one letter's code, or a company not on Callback."""

    production = "production"
    session = "session"
    verification_code = "verification_code"
    company_name = "company_name"


class Report(db.Model):
    """A concern reported by anyone (signed in or not); ``reference`` is what the reporter keeps."""

    __tablename__ = "reports"
    __table_args__ = (enum_check("status", ReportStatus), enum_check("about", ReportAbout))

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    about: Mapped[str] = mapped_column(sa.String(32))
    # The production the report concerns, when known (from a production, a session or a letter's code).
    production_id: Mapped[int | None] = mapped_column(sa.ForeignKey("productions.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("callback_sessions.id"))
    verification_code: Mapped[str | None] = mapped_column(sa.String(40))
    company_name: Mapped[str | None] = mapped_column(sa.String(200))
    details: Mapped[str] = mapped_column(sa.Text)
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=ReportStatus.open)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    production: Mapped["Production | None"] = relationship()  # noqa: F821
    notes: Mapped[list["ReportNote"]] = relationship(back_populates="report", order_by="ReportNote.id",
                                                     cascade="all, delete-orphan")


class ReportNote(db.Model):
    """An admin's change of a report's status, with a note (the queue's history)."""

    __tablename__ = "report_notes"
    __table_args__ = (enum_check("status", ReportStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="notes")
    # Names are shown beside every note: joined, never one query a note.
    author: Mapped["User"] = relationship(lazy="joined")  # noqa: F821
