"""Productions, their members, the roles being cast, sides and venues."""
from __future__ import annotations

import enum
from datetime import datetime
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db


class ProductionKind(enum.StrEnum):
    film = "film"
    tv = "tv"
    theatre = "theatre"
    commercial = "commercial"
    modeling = "modeling"
    other = "other"


class MemberRole(enum.StrEnum):
    """A member's job on a production."""

    casting_director = "casting_director"
    producer = "producer"
    director = "director"
    intimacy_coordinator = "intimacy_coordinator"
    reader = "reader"


class VenueKind(enum.StrEnum):
    casting_studio = "casting_studio"
    production_office = "production_office"
    rehearsal_space = "rehearsal_space"
    theatre = "theatre"
    sound_stage = "sound_stage"
    virtual = "virtual"
    private_residence = "private_residence"
    hotel_room = "hotel_room"
    vehicle = "vehicle"
    other = "other"


# Where a callback may take place (the checklist's professional_venue item); never a home, hotel room or vehicle.
PROFESSIONAL_VENUE_KINDS = frozenset({
    VenueKind.casting_studio, VenueKind.production_office, VenueKind.rehearsal_space, VenueKind.theatre,
    VenueKind.sound_stage, VenueKind.virtual,
})


class ProductionRoleStatus(enum.StrEnum):
    """Whether a part is still being cast."""

    open = "open"
    cast = "cast"


class Production(db.Model):
    __tablename__ = "productions"
    __table_args__ = (enum_check("kind", ProductionKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(32))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    safeguarding_contact: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set while an admin has suspended the production (casting/safety): every member's write is refused.
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    suspension_reason: Mapped[str | None] = mapped_column(sa.Text)

    company: Mapped["Company"] = relationship()  # noqa: F821
    members: Mapped[list["ProductionMember"]] = relationship(
        back_populates="production", cascade="all, delete-orphan"
    )
    roles: Mapped[list["ProductionRole"]] = relationship(
        back_populates="production", order_by="ProductionRole.id"
    )

    @property
    def suspended(self) -> bool:
        """Whether an admin has suspended the production (and no other admin has reinstated it yet)."""
        return self.suspended_at is not None

    def member(self, user) -> "ProductionMember | None":
        """The membership of ``user`` in this production, if any."""
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return next((m for m in self.members if m.user_id == user.id), None)


class ProductionMember(db.Model):
    __tablename__ = "production_members"
    __table_args__ = (sa.UniqueConstraint("production_id", "user_id"), enum_check("role", MemberRole))

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(sa.ForeignKey("productions.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(32))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    production: Mapped[Production] = relationship(back_populates="members")
    # Whoever reads a member reads its user (names on pages, letters and JSON): joined, never one query a member.
    user: Mapped["User"] = relationship(foreign_keys=[user_id], lazy="joined")  # noqa: F821


class ProductionRole(db.Model):
    """A part being cast (not an account kind: that is UserRole)."""

    __tablename__ = "production_roles"
    __table_args__ = (enum_check("status", ProductionRoleStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(sa.ForeignKey("productions.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    nudity_or_intimacy: Mapped[bool] = mapped_column(default=False)
    nudity_or_intimacy_details: Mapped[str | None] = mapped_column(sa.Text)
    compensation: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=ProductionRoleStatus.open)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    production: Mapped[Production] = relationship(back_populates="roles")
    sides: Mapped[list["Side"]] = relationship(back_populates="role", order_by="Side.id")


class Side(db.Model):
    """A PDF of the scene the talent will read, attached to a role."""

    __tablename__ = "sides"

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("production_roles.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    blob_sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"))
    size: Mapped[int]
    # Read once at upload (pypdf), so the checklist's notice by the length of the sides opens no PDF.
    page_count: Mapped[int | None]
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    role: Mapped[ProductionRole] = relationship(back_populates="sides")


class Venue(db.Model):
    __tablename__ = "venues"
    __table_args__ = (enum_check("kind", VenueKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(32))
    address: Mapped[str] = mapped_column(sa.Text, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64))
    meeting_url: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def map_url(self) -> str | None:
        """An OpenStreetMap search for the venue's address (no API key), for letters, emails and the portal;
        None for a virtual venue or one with no address. The one place that builds a map link."""
        address = " ".join((self.address or "").split())
        if self.kind == VenueKind.virtual or not address:
            return None
        return "https://www.openstreetmap.org/search?" + urlencode({"query": address}, quote_via=quote)
