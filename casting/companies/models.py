"""Production companies, their members and their verification."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, utcnow
from casting.extensions import db


class Company(db.Model):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(sa.String(200))
    registration_number: Mapped[str] = mapped_column(sa.String(100))
    address: Mapped[str] = mapped_column(sa.Text)
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verification_evidence: Mapped[str | None] = mapped_column(sa.Text)
    logo_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))

    created_by: Mapped["User"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    verified_by: Mapped["User | None"] = relationship(foreign_keys=[verified_by_id])  # noqa: F821
    members: Mapped[list["CompanyMember"]] = relationship(back_populates="company", cascade="all, delete-orphan")

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def is_member(self, user) -> bool:
        return user is not None and any(m.user_id == user.id for m in self.members)


class CompanyMember(db.Model):
    __tablename__ = "company_members"
    __table_args__ = (sa.UniqueConstraint("company_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped[Company] = relationship(back_populates="members")
    user: Mapped["User"] = relationship(foreign_keys=[user_id], lazy="joined")  # noqa: F821  (names are shown)
