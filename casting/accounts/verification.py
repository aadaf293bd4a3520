"""Email ownership: a self-registered account proves its address from an emailed link before it sees anything
private (the gate itself is in accounts/views.py for pages and accounts/receivers.py for the API).

The link is signed (itsdangerous, with the app's secret key), bound to the account and its current address, and
works for 24 hours; opening it again changes nothing. Claim links, the operator and admins vouch for an address
instead (``mark_verified`` / ``create_user(verified=True)``).
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from casting.accounts.models import User, UserRole
from casting.accounts.services import (
    check_password_strength,
    create_user,
    find_user_by_email,
)
from casting.accounts.signals import email_verified
from casting.audit import services as audit
from casting.core.db import utcnow
from casting.core.errors import NotFound, ValidationError
from casting.core.mail import render_body, send_mail
from casting.extensions import db

# How long an emailed verification link works.
VERIFY_EMAIL_HOURS = 24


def register(email: str, name: str, password: str | None) -> User | None:
    """Self-registration of a talent account, which stays unverified until its emailed link is opened.

    The answer is the same whether or not the address has an account: a new account gets the link, an
    existing one's owner is told someone tried (so nobody learns which addresses are registered). Bad
    input is refused (422) before anything is looked up.
    """
    errors: dict[str, list[str]] = {}
    if not email or "@" not in email:
        errors["email"] = ["Must be an email address."]
    try:
        check_password_strength(password, email=email, name=name)
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    existing = find_user_by_email(email)
    if existing is not None:
        audit.record("user.register_existing", existing, actor=None, data={"email": existing.email})
        send_mail(existing.email, "Someone tried to sign up with your email on Callback",
                  render_body("account_exists.txt", user=existing))
        return None
    user = create_user(email, name, UserRole.talent, password)
    send_verification(user)
    return user


def verification_token(user: User) -> str:
    """A signed link token for ``user``'s current address (it stops working if the address changes)."""
    return _serializer().dumps({"u": user.id, "e": user.email})


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="callback.verify-email")


def send_verification(user: User) -> None:
    """Email ``user`` the one-time link that proves the address (valid 24 hours)."""
    send_mail(user.email, "Confirm your email address for Callback",
              render_body("verify_email.txt", user=user, token=verification_token(user),
                          hours=VERIFY_EMAIL_HOURS))
    audit.record("user.verification_sent", user, actor=user)


def verify_email(token: str) -> User:
    """Mark the address of a verification link proven (once; later opens change nothing).

    NotFound for an unknown, tampered, expired (24 h) or outdated link (the address changed since).
    """
    try:
        data = _serializer().loads(token or "", max_age=VERIFY_EMAIL_HOURS * 3600)
    except (BadSignature, SignatureExpired):
        raise NotFound("This link is unknown or expired. Sign in and ask for a new one.") from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("e"):
        raise NotFound("This link is unknown or expired. Sign in and ask for a new one.")
    if not user.email_verified:
        mark_verified(user, how="link")
    return user


def mark_verified(user: User, *, how: str) -> None:
    """Record that ``user``'s address is proven, and let the features above react (a talent's profile)."""
    user.email_verified_at = utcnow()
    db.session.flush()
    audit.record("user.email_verified", user, actor=user, data={"how": how})
    email_verified.send(user)
