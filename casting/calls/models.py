"""Open calls, submissions and shortlists."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db


class OpenCallStatus(enum.StrEnum):
    """A draft is seen only by the production; a published call is public (it closes at ``closes_at``)."""

    draft = "draft"
    published = "published"


open_call_roles = sa.Table(
    "open_call_roles",
    db.metadata,
    sa.Column("open_call_id", sa.ForeignKey("open_calls.id"), primary_key=True),
    sa.Column("role_id", sa.ForeignKey("production_roles.id"), primary_key=True),
)


class OpenCall(db.Model):
    __tablename__ = "open_calls"
    __table_args__ = (enum_check("status", OpenCallStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(sa.ForeignKey("productions.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(16), default=OpenCallStatus.draft)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    production: Mapped["Production"] = relationship()  # noqa: F821
    roles: Mapped[list["ProductionRole"]] = relationship(secondary=open_call_roles)  # noqa: F821


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (sa.UniqueConstraint("role_id", "talent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    open_call_id: Mapped[int] = mapped_column(sa.ForeignKey("open_calls.id"), index=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("production_roles.id"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    headshot_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))
    resume_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))
    self_tape_url: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    open_call: Mapped[OpenCall] = relationship()
    role: Mapped["ProductionRole"] = relationship()  # noqa: F821
    talent: Mapped["TalentProfile"] = relationship()  # noqa: F821


class ShortlistEntry(db.Model):
    __tablename__ = "shortlist_entries"
    # (role, rank): pages of a shortlist and the top of it are rank ranges (issue 9).
    __table_args__ = (sa.UniqueConstraint("role_id", "talent_id"),
                      sa.Index("ix_shortlist_entries_role_id_rank", "role_id", "rank"))

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("production_roles.id"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submissions.id"))
    rank: Mapped[int]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    added_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    role: Mapped["ProductionRole"] = relationship()  # noqa: F821
    talent: Mapped["TalentProfile"] = relationship()  # noqa: F821
