"""Passwords that change: the emailed reset link, the set-password link of an account an admin made, and the
change in settings. Each ends the account's sessions and remember-me tokens (``services.replace_password``) and
is audited; a reset and a change also email the account a notice.

A link is ``/reset-password/<token>``: 256 random bits, of which only the SHA-256 is stored (``password_tokens``).
It dies when used, when a newer link of the same purpose is sent, on any password change, and at its end
(1 hour for a reset, 7 days for a set-password link).
"""
from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from casting.accounts import services
from casting.accounts.models import PasswordToken, PasswordTokenPurpose, User
from casting.audit import services as audit
from casting.core.auth import hash_token
from casting.core.db import utcnow
from casting.core.errors import Forbidden, NotFound, ValidationError
from casting.core.mail import render_body, send_mail
from casting.extensions import db

RESET_LIFETIME = timedelta(hours=1)
SET_PASSWORD_LIFETIME = timedelta(days=7)


def request_reset(email: str | None) -> None:
    """Email a reset link if ``email`` is an active account's; audited either way. The caller answers the same
    whether or not it was (no account enumeration)."""
    email = services.normalise_email(email or "")[:254]
    user = services.find_user_by_email(email)
    if user is None or not user.active:
        audit.record("auth.password_reset_requested", None, actor=None, entity_type="users",
                     entity_id=user.id if user else None, data={"email": email, "sent": False})
        return
    token = _issue(user, PasswordTokenPurpose.reset, RESET_LIFETIME)
    audit.record("auth.password_reset_requested", user, actor=None, data={"email": email, "sent": True})
    send_mail(user.email, "Reset your Callback password",
              render_body("password_reset.txt", user=user, token=token,
                          minutes=int(RESET_LIFETIME.total_seconds() // 60)))


def send_set_password_link(user: User, *, actor) -> None:
    """Email an account created without a password a one-time link to choose one."""
    token = _issue(user, PasswordTokenPurpose.set_password, SET_PASSWORD_LIFETIME)
    audit.record("user.password_link_sent", user, actor=actor)
    send_mail(user.email, "Your Callback account: choose a password",
              render_body("password_set_link.txt", user=user, actor=actor, token=token,
                          days=SET_PASSWORD_LIFETIME.days))


def _issue(user: User, purpose: PasswordTokenPurpose, lifetime: timedelta) -> str:
    """A new link of ``purpose`` for ``user`` (replacing any earlier one of that purpose); returns its token."""
    db.session.execute(sa.delete(PasswordToken).where(PasswordToken.user_id == user.id,
                                                      PasswordToken.purpose == purpose))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordToken(user_id=user.id, purpose=purpose, token_hash=hash_token(token),
                                 expires_at=utcnow() + lifetime))
    db.session.flush()
    return token


def link_for(token: str | None) -> PasswordToken:
    """The live link of ``token``, or NotFound (unknown, used, replaced or expired)."""
    row = db.session.scalar(sa.select(PasswordToken).where(PasswordToken.token_hash == hash_token(token or "")))
    if row is None or row.expires_at <= utcnow() or not row.user.active:
        raise NotFound("This link is unknown, already used or expired. Ask for a new one from the sign-in page.")
    return row


def use_link(token: str | None, password: str | None) -> User:
    """Choose a new password from a link; the link, every session and every remember-me token then end."""
    row = link_for(token)
    user, purpose = row.user, row.purpose
    services.replace_password(user, password)
    if purpose == PasswordTokenPurpose.reset:
        audit.record("user.password_reset", user, actor=user)
        _notify_changed(user)
    else:
        audit.record("user.password_set", user, actor=user)
    return user


def change_password(user: User, current_password: str | None, password: str | None, *, actor) -> None:
    """The signed-in user changes their password, giving the current one; their other sessions end."""
    if actor.id != user.id:
        raise Forbidden("Only the account's owner may change its password.")
    if not services.password_matches(user, current_password):
        raise ValidationError({"current_password": ["That is not your current password."]})
    services.replace_password(user, password)
    audit.record("user.password_changed", user, actor=actor)
    _notify_changed(user)


def _notify_changed(user: User) -> None:
    send_mail(user.email, "Your Callback password was changed", render_body("password_changed.txt", user=user))
