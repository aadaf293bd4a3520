"""A second factor: TOTP codes (RFC 6238, pyotp) from an authenticator app, and ten one-time recovery codes.

Enrolment shows a new secret as a QR code; it takes effect only when the account holder types a code from
it and their password (re-authentication). A code is accepted once (the last accepted time step is kept)
and one step either side of now. Recovery codes are random, shown once, and stored as SHA-256 hashes.
Which kinds of account must enrol is a setting (``CASTING_MFA_REQUIRED_ROLES``, default ``admin``).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app

from casting.accounts.models import RecoveryCode, User
from casting.audit import services as audit
from casting.core.db import utcnow
from casting.core.errors import InvalidState, ValidationError
from casting.extensions import db

ISSUER = "Callback"
RECOVERY_CODES = 10
# Letters and digits that cannot be mistaken for one another when read off paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required_for(user: User) -> bool:
    """Whether ``user``'s kind of account must have a second factor (a setting)."""
    setting = current_app.config["CASTING_MFA_REQUIRED_ROLES"] or ""
    roles = setting.split(",") if isinstance(setting, str) else setting
    return user.role in {str(r).strip() for r in roles}


def new_secret() -> str:
    """A fresh TOTP secret (160 bits, base32) for an enrolment to confirm."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an SVG QR code (markup: the page needs no script or image request)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#1d3557")


def _step_of(secret: str, code: str) -> int | None:
    """The time step ``code`` is valid for (now, or one step either side), else None."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in (now, now - 1, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _clean(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def confirm_enrolment(user: User, secret: str, code: str) -> list[str]:
    """Turn the second factor on with ``secret`` once ``code`` proves the app has it; returns the recovery
    codes (shown once). 422 for a wrong code; 409 if a second factor is already on."""
    if user.mfa_enabled:
        raise InvalidState("A second factor is already set up for this account.")
    step = _step_of(secret, _clean(code)) if secret else None
    if step is None:
        raise ValidationError({"code": ["That code does not match. Type the 6 digits your app shows now."]})
    user.mfa_secret, user.mfa_enabled_at, user.mfa_last_step = secret, utcnow(), step
    codes = _new_recovery_codes(user)
    audit.record("user.mfa_enabled", user, actor=user)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _hash(code: str) -> str:
    # Recovery codes carry about 50 random bits and are used once: a plain SHA-256 is enough.
    return hashlib.sha256(code.encode()).hexdigest()


def check(user: User, code: str | None) -> bool:
    """Whether ``code`` (a TOTP code or an unused recovery code) is good for ``user``; a good one is spent.

    Every attempt is audited; a wrong one changes nothing else."""
    if not user.mfa_enabled:
        return False
    text = _clean(code)
    if text.isdigit() and len(text) == 6:
        step = _step_of(user.mfa_secret, text)
        if step is not None and (user.mfa_last_step is None or step > user.mfa_last_step):
            user.mfa_last_step = step
            audit.record("auth.mfa_passed", user, actor=user, data={"with": "totp"})
            return True
    else:
        row = db.session.scalar(sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(text), RecoveryCode.used_at.is_(None)))
        if row is not None:
            row.used_at = utcnow()
            audit.record("auth.mfa_passed", user, actor=user, data={"with": "recovery_code"})
            return True
    audit.record("auth.mfa_failed", user, actor=None)
    return False


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def enrol_for_demo(user: User, secret: str) -> None:
    """The demo's admin: a second factor already on with a known secret (printed beside the logins)."""
    user.mfa_secret, user.mfa_enabled_at = secret, utcnow()
    audit.record("user.mfa_enabled", user, actor=None, data={"demo": True})
