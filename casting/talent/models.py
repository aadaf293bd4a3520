"""Talent profiles, with or without a login yet."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db
from casting.talent import age


class MediaVisibility(enum.StrEnum):
    """Which productions see a talent's résumé, or their reel and self-tape links (talent/access.py)."""

    applied = "applied"  # productions the talent applied to or was invited by
    linked = "linked"    # every production that may see the profile (also offices that added or shortlisted them)


class TalentProfile(db.Model):
    """A person who auditions. Never asks ethnicity, religion, marital status,
    pregnancy, disability or orientation; date of birth only to safeguard minors."""

    __tablename__ = "talent_profiles"
    __table_args__ = (enum_check("resume_visibility", MediaVisibility), enum_check("reel_visibility", MediaVisibility),
                      sa.Index("ix_talent_profiles_playing_age", "playing_age_min", "playing_age_max"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    # Indexed: searches and pickers list talent by name (issue 9).
    legal_name: Mapped[str] = mapped_column(sa.String(200), index=True)
    professional_name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    date_of_birth: Mapped[date | None] = mapped_column(sa.Date)
    guardian_name: Mapped[str | None] = mapped_column(sa.String(200))
    guardian_email: Mapped[str | None] = mapped_column(sa.String(254))
    guardian_phone: Mapped[str | None] = mapped_column(sa.String(50))
    agent: Mapped[str | None] = mapped_column(sa.String(200))
    # Who last set the safeguarding data (date of birth; the guardian's name, email and phone). Set by a
    # casting office or an admin (anyone but the profile's own account), the talent cannot change it.
    date_of_birth_set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    guardian_set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The talent's own change of date of birth that would make a minor an adult waits here for a casting
    # office's confirmation; the date of birth above stays in force. A pending change exists when
    # ``pending_date_of_birth_at`` is set (``pending_date_of_birth`` None then means "remove it").
    pending_date_of_birth: Mapped[date | None] = mapped_column(sa.Date)
    pending_date_of_birth_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pending_date_of_birth_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # One-time claim link for a profile added by a casting director.
    claim_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The reusable profile (issue 11 item 3). Location, skills and unions are searched through their
    # normalised keys (lower case, single spaces), each indexed: filters read an index at 50,000 talent.
    location: Mapped[str | None] = mapped_column(sa.String(200))
    location_key: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    pronouns: Mapped[str | None] = mapped_column(sa.String(50))
    playing_age_min: Mapped[int | None] = mapped_column(sa.Integer)
    playing_age_max: Mapped[int | None] = mapped_column(sa.Integer)
    reel_url: Mapped[str | None] = mapped_column(sa.String(500))
    self_tape_urls: Mapped[list[str] | None] = mapped_column(sa.JSON)
    bio: Mapped[str | None] = mapped_column(sa.Text)
    # Private: only productions that invited the talent to a callback read it (talent/access.py).
    access_needs: Mapped[str | None] = mapped_column(sa.Text)
    resume_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))
    resume_filename: Mapped[str | None] = mapped_column(sa.String(200))
    resume_visibility: Mapped[str] = mapped_column(sa.String(32), default=MediaVisibility.applied,
                                                   server_default=MediaVisibility.applied.value)
    reel_visibility: Mapped[str] = mapped_column(sa.String(32), default=MediaVisibility.applied,
                                                 server_default=MediaVisibility.applied.value)

    user: Mapped["User | None"] = relationship(  # noqa: F821
        "User", back_populates="talent_profile", foreign_keys=[user_id]
    )
    skills: Mapped[list["TalentSkill"]] = relationship(
        back_populates="talent", cascade="all, delete-orphan", order_by="TalentSkill.key")
    unions: Mapped[list["TalentUnion"]] = relationship(
        back_populates="talent", cascade="all, delete-orphan", order_by="TalentUnion.key")
    headshots: Mapped[list["TalentHeadshot"]] = relationship(
        back_populates="talent", cascade="all, delete-orphan",
        order_by=lambda: (TalentHeadshot.is_primary.desc(), TalentHeadshot.id))

    @property
    def primary_headshot(self) -> "TalentHeadshot | None":
        """The headshot submissions and the search grid show (the first one uploaded until one is chosen)."""
        return next((h for h in self.headshots if h.is_primary), None)

    @property
    def date_of_birth_pending(self) -> bool:
        """Whether a change of date of birth waits for a casting office's confirmation."""
        return self.pending_date_of_birth_at is not None

    def _set_by_office(self, set_by_id: int | None) -> bool:
        return set_by_id is not None and set_by_id != self.user_id

    @property
    def date_of_birth_locked(self) -> bool:
        """A date of birth set by a casting office or an admin: the talent cannot change or remove it."""
        return self.date_of_birth is not None and self._set_by_office(self.date_of_birth_set_by_id)

    @property
    def guardian_locked(self) -> bool:
        """Guardian details set by a casting office or an admin: the talent cannot change or remove them."""
        return self._set_by_office(self.guardian_set_by_id) and any(
            (self.guardian_name, self.guardian_email, self.guardian_phone))

    @property
    def display_name(self) -> str:
        return self.professional_name or self.legal_name

    @property
    def initials(self) -> str:
        return "".join(part[0].upper() + "." for part in self.legal_name.split() if part)

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``, or None when no date of birth is known (talent/age.py's rule)."""
        return age.age_on(self.date_of_birth, day)


class TalentSkill(db.Model):
    """One skill of a talent (an accent, an instrument, a sport), searched by its normalised key."""

    __tablename__ = "talent_skills"
    __table_args__ = (sa.Index("ix_talent_skills_key_talent", "key", "talent_id"),)

    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(60))

    talent: Mapped[TalentProfile] = relationship(back_populates="skills")


class TalentUnion(db.Model):
    """A union or guild the talent belongs to (Equity, SAG-AFTRA...), searched by its normalised key."""

    __tablename__ = "talent_unions"
    __table_args__ = (sa.Index("ix_talent_unions_key_talent", "key", "talent_id"),)

    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(60))

    talent: Mapped[TalentProfile] = relationship(back_populates="unions")


class TalentHeadshot(db.Model):
    """One of a talent's headshots (bytes in the blob store); exactly one is primary while any exist."""

    __tablename__ = "talent_headshots"
    __table_args__ = (sa.Index("ix_talent_headshots_talent_primary", "talent_id", "is_primary"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"))
    sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    # A small JPEG made at upload (talent/profile.py THUMB_SIZE): the search grid shows 50 of them a page.
    thumb_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))
    is_primary: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    talent: Mapped[TalentProfile] = relationship(back_populates="headshots")
