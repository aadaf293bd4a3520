"""Users, API tokens and casting-director credentials."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db


class UserRole(enum.StrEnum):
    """The kind of account (not the part being cast: that is ProductionRole)."""

    admin = "admin"
    casting_director = "casting_director"
    producer = "producer"
    talent = "talent"


# Account kinds that work on productions: they can be production and company members.
STAFF_ROLES = frozenset({UserRole.casting_director, UserRole.producer})


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # The admin's user list is ordered (and filtered) by kind, then name.
    __table_args__ = (enum_check("role", UserRole), sa.Index("ix_users_role_name", "role", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(32))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Proof that the account holder reads this address: a verification link opened, a claim link used,
    # or an operator or admin vouching. Until then the account sees nothing private.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Second factor (TOTP, RFC 6238): the shared secret once enrolment is confirmed, and the last time
    # step a code was accepted for (a code is good once).
    mfa_secret: Mapped[str | None] = mapped_column(sa.String(64))
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mfa_last_step: Mapped[int | None]
    # Who made this account: an admin (through the admin page or the API); None for self-registration, a
    # claimed talent profile and `flask users create`. Four eyes (accounts/access.py) reads it.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The generation of the account's sign-in sessions: a session is valid only while it carries the current
    # value (see get_id). Logout, a password change or reset, and disabling the account bump it.
    session_version: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))

    credential: Mapped["Credential | None"] = relationship(
        back_populates="user", uselist=False, foreign_keys="Credential.user_id"
    )
    talent_profile: Mapped["TalentProfile | None"] = relationship(  # noqa: F821
        "TalentProfile", back_populates="user", uselist=False, foreign_keys="TalentProfile.user_id"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """What a session stores (Flask-Login): the id and the session generation, so a bump ends it."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.admin

    @property
    def is_talent(self) -> bool:
        return self.role == UserRole.talent

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def mfa_enabled(self) -> bool:
        return self.mfa_enabled_at is not None

    @property
    def is_staff(self) -> bool:
        """Casting directors and producers: the accounts that are members of productions."""
        return self.role in STAFF_ROLES

    @property
    def is_casting_director(self) -> bool:
        return self.role == UserRole.casting_director

    @property
    def credential_verified(self) -> bool:
        return self.credential is not None and self.credential.verified_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class Credential(db.Model):
    """A casting director's registry credential (e.g. CSA membership), verified by an admin."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    registry_name: Mapped[str] = mapped_column("registry", sa.String(200))
    reference: Mapped[str] = mapped_column(sa.String(200))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Whoever last submitted it: the casting director themselves or an admin (four eyes reads it).
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evidence: Mapped[str | None] = mapped_column(sa.Text)

    user: Mapped[User] = relationship(back_populates="credential", foreign_keys=[user_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])


class RecoveryCode(db.Model):
    """A one-time code that stands in for the second factor; only its SHA-256 is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored (tokens carry 256 random bits)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="token")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RememberToken(db.Model):
    """A "keep me signed in" cookie: random per sign-in, stored as its SHA-256, replaced on each use,
    and dead at ``expires_at`` (at most 30 days after the password sign-in that made the first one)."""

    __tablename__ = "remember_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PasswordTokenPurpose(enum.StrEnum):
    """What a one-time password link is for (the page and the email differ, the mechanism is the same)."""

    reset = "reset"
    set_password = "set_password"


class PasswordToken(db.Model):
    """A one-time link to choose a password, stored as its SHA-256; deleted when used, when a newer link
    of the same purpose is sent, and on any password change."""

    __tablename__ = "password_tokens"
    __table_args__ = (enum_check("purpose", PasswordTokenPurpose),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(32))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
