"""Accounts: creating users, passwords (argon2id), logins, API tokens, credentials."""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

from casting.accounts import mfa, sessions, throttle
from casting.accounts.access import Hands, same_hands, verifies_own_credential
from casting.accounts.models import ApiToken, Credential, PasswordToken, User, UserRole
from casting.accounts.signals import user_created
from casting.audit import services as audit
from casting.core.auth import hash_token
from casting.core.database import read_transaction, session_is_writer
from casting.core.db import utcnow
from casting.core.errors import (
    Duplicate,
    Forbidden,
    FourEyes,
    InvalidState,
    NotFound,
    ValidationError,
)
from casting.core.pagination import Page
from casting.extensions import db

# How often a token's last use is written down (a write on every API request serialised readers).
TOKEN_TOUCH_EVERY = timedelta(minutes=5)

ROLES = tuple(r.value for r in UserRole)
# NIST SP 800-63B: at least 8 characters, up to at least 64 (here USER_LIMITS["password"]), no composition rules;
# refuse common passwords and ones built from the account's own email or name.
MIN_PASSWORD = 8
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt"  # source: data/README.md
MIN_PERSONAL_WORD = 3  # shorter email local parts and name words are not looked for in the password
MIN_EVIDENCE = 10
# Most characters per field: the forms and the API specs take their limits from here.
USER_LIMITS = {"email": 254, "name": 200, "password": 256}
TOKEN_LIMITS = {"name": 100}
CREDENTIAL_LIMITS = {"registry": 200, "reference": 200, "evidence": 2000}


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"],
                          parallelism=cfg["ARGON2_PARALLELISM"], type=Type.ID)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher().hash(password)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords, lowercased (read once)."""
    return frozenset(line.strip() for line in COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines() if line.strip())


def check_password_strength(password: str | None, field: str = "password", *, email: str | None = None,
                            name: str | None = None) -> None:
    """422 unless the password suits NIST SP 800-63B: 8 to USER_LIMITS["password"] characters, not one of the
    10,000 most common passwords, and not containing the email's local part or a word of the person's name
    (compared case-insensitively). Pass the account's ``email`` and ``name`` whenever they are known."""
    if password is None or len(password) < MIN_PASSWORD:
        raise ValidationError({field: [f"Use at least {MIN_PASSWORD} characters."]})
    if len(password) > USER_LIMITS["password"]:
        raise ValidationError({field: [f"Use at most {USER_LIMITS['password']} characters."]})
    folded = password.casefold()
    if folded.strip() in common_passwords():
        raise ValidationError({field: ["This is one of the most common passwords, so it is among the first "
                                       "anyone would guess. Choose another."]})
    local = (email or "").strip().casefold().partition("@")[0]
    if len(local) >= MIN_PERSONAL_WORD and local in folded:
        raise ValidationError({field: ["Do not use your email address (the part before the @) in your password."]})
    for word in re.split(r"[\W_]+", (name or "").casefold()):
        if len(word) >= MIN_PERSONAL_WORD and word in folded:
            raise ValidationError({field: ["Do not use your name in your password."]})


def normalise_email(email: str) -> str:
    return email.strip().lower()


# The admin's user list filters: which credentials to show (``CREDENTIAL_FILTERS``), default pending.
CREDENTIAL_FILTERS = ("pending", "verified", "none", "any")


class AdminUserRow(NamedTuple):
    """One account on the admin's user list: the columns it shows, its credential's (None without one)."""

    id: int
    name: str
    email: str
    role: str
    active: bool
    created_by_id: int | None
    credential_id: int | None
    registry_name: str | None
    reference: str | None
    verified_at: datetime | None
    submitted_by_id: int | None
    submitter_created_by_id: int | None
    verifies_own: bool  # four eyes: the admin looking may not verify this credential


# Whoever submitted a credential, joined on the users list (a table alias: cheaper to build than an aliased class).
_SUBMITTERS = User.__table__.alias("submitters")


def users_query(q: str = "", *, role: str | None = None, credential: str = "any") -> sa.Select:
    """Accounts for the admin's list, by kind and name: those whose name or email starts with ``q`` (any
    case), of kind ``role``, whose credential is ``credential`` (pending: submitted and not verified yet;
    verified; none; any). Only the columns the list shows, as rows (with the credential and the ids four
    eyes reads, one query a page); the prefix search is a range on indexed columns (migration 0011), never
    a scan of every account."""
    submitter = _SUBMITTERS
    query = (sa.select(User.id, User.name, User.email, User.role, User.active, User.created_by_id,
                       Credential.id.label("credential_id"), Credential.registry_name, Credential.reference,
                       Credential.verified_at, Credential.submitted_by_id,
                       submitter.c.created_by_id.label("submitter_created_by_id"))
             .outerjoin(Credential, Credential.user_id == User.id)
             .outerjoin(submitter, submitter.c.id == Credential.submitted_by_id))
    if q := q.strip().lower():
        query = query.where(sa.func.lower(User.name).startswith(q, autoescape=True)
                            | User.email.startswith(q, autoescape=True))
    if role:
        query = query.where(User.role == role)
    if credential == "none":
        query = query.where(Credential.id.is_(None))
    elif credential in ("pending", "verified"):
        # Few credentials, many accounts: the credentials name the accounts (an IN list), rather than every
        # account in name order asking whether it has one.
        verified = Credential.verified_at.is_not(None) if credential == "verified" else Credential.verified_at.is_(None)
        query = query.where(User.id.in_(sa.select(Credential.user_id).where(verified)))
    return query.order_by(User.role, User.name, User.id)


def users_page(q: str, *, role: str | None, credential: str, page: int, per_page: int, actor) -> Page:
    """One page of the admin's user list (``users_query``): rows with ``verifies_own`` (four eyes: ``actor``
    may not verify this credential)."""
    rows = db.session.execute(users_query(q, role=role, credential=credential)
                              .limit(per_page + 1).offset((page - 1) * per_page)).all()
    items = [AdminUserRow(*row, verifies_own=bool(row.credential_id) and same_hands(
        actor, Hands(row.id, row.created_by_id),
        Hands(row.submitted_by_id, row.submitter_created_by_id) if row.submitted_by_id is not None else None))
        for row in rows[:per_page]]
    return Page(items=items, page=page, per_page=per_page, has_next=len(rows) > per_page)


def find_user_by_email(email: str) -> User | None:
    """The user with this email (case-insensitive), or None."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, role: str, password: str | None = None, *, actor=None,
                verified: bool = False) -> User:
    """Create an account; a verified talent account gets its talent profile.

    ``actor`` is the admin creating it (recorded as ``created_by_id``, which four eyes reads); None for
    self-registration and `flask users create`. ``verified``: someone who may vouch for the address (the
    operator, an admin) made it."""
    errors: dict[str, list[str]] = {}
    if role not in ROLES:
        errors["role"] = [f"Must be one of: {', '.join(ROLES)}."]
    if not name or not name.strip():
        errors["name"] = ["This field is required."]
    elif len(name.strip()) > USER_LIMITS["name"]:
        errors["name"] = [f"At most {USER_LIMITS['name']} characters."]
    if not email or "@" not in email:
        errors["email"] = ["Must be an email address."]
    elif len(normalise_email(email)) > USER_LIMITS["email"]:
        errors["email"] = [f"At most {USER_LIMITS['email']} characters."]
    if password is not None:
        try:
            check_password_strength(password, email=email, name=name)
        except ValidationError as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    if find_user_by_email(email):
        raise Duplicate("An account with this email already exists.")
    user = User(email=normalise_email(email), name=name.strip(), role=role,
                password_hash=hash_password(password) if password else None,
                email_verified_at=utcnow() if verified else None,
                created_by_id=actor.id if actor is not None else None)
    db.session.add(user)
    db.session.flush()
    user_created.send(user)  # the talent feature attaches or creates a talent account's profile
    audit.record("user.created", user, actor=actor,
                 data={"email": user.email, "role": role, "created_by_id": user.created_by_id})
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the password matches; every attempt, good or bad, is audited.

    The password is checked (argon2, about 150 ms by design) with no transaction open, so a sign-in never holds
    the database's write lock while it hashes: the account is read in a read-only transaction first, and the
    outcome is written in a short one after, where a password changed or an account disabled meanwhile counts
    as a failure.

    Raises ``throttle.LoginThrottled`` (429, password unchecked) after too many failures for this email; the
    caller commits to keep its audit entry, as for a failure."""
    with read_transaction():
        found = find_user_by_email(email or "")
        user_id, stored_hash = (found.id, found.password_hash) if found is not None and found.active else (None, None)
        known_id = found.id if found is not None else None
    try:
        throttle.before_attempt(normalise_email(email or ""))
    except throttle.LoginThrottled as exc:
        audit.record("auth.login_throttled", None, actor=None, entity_type="users", entity_id=known_id,
                     data={"email": normalise_email(email or "")[:254], "retry_after": exc.retry_after})
        raise
    ok, rehashed = False, None
    if stored_hash:
        try:
            ok = _hasher().verify(stored_hash, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        if ok and _hasher().check_needs_rehash(stored_hash):
            rehashed = hash_password(password)
    else:
        # Spend the same time as a real check so emails cannot be probed by timing.
        try:
            _hasher().verify(_dummy_hash(), password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            pass
    user = db.session.get(User, user_id) if ok else None
    if user is not None and user.active and user.password_hash == stored_hash:
        if rehashed:
            user.password_hash = rehashed
        throttle.succeeded(user.email)
        user.last_login_at = utcnow()
        audit.record("auth.login", user, actor=user)
        return user
    audit.record("auth.login_failed", None, actor=None, entity_type="users", entity_id=known_id,
                 data={"email": normalise_email(email or "")[:254]})
    return None


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    key = str(current_app.config["ARGON2_MEMORY_COST"])
    if key not in _DUMMY:
        _DUMMY[key] = hash_password(secrets.token_hex(16))
    return _DUMMY[key]


def sign_out(user: User) -> None:
    """Sign ``user`` out on the server: every session of the account ends (the view also deletes this browser's
    remember-me token with ``sessions.forget_browser``; other browsers' remember-me cookies stay valid)."""
    sessions.end_sessions(user, keep_remembered=True)
    audit.record("auth.logout", user, actor=user)


def password_matches(user: User, password: str | None) -> bool:
    """Whether ``password`` is ``user``'s current password."""
    if not user.password_hash:
        return False
    try:
        return _hasher().verify(user.password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def replace_password(user: User, password: str | None) -> None:
    """Give ``user`` a new password (after ``check_password_strength``): every session and remember-me token of
    the account ends, and so does every password link sent to it. The caller audits why."""
    check_password_strength(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    sessions.end_sessions(user)
    db.session.execute(sa.delete(PasswordToken).where(PasswordToken.user_id == user.id))
    db.session.flush()


def set_password(user: User, password: str, *, actor=None) -> None:
    """Set a new password (hashed with argon2id); the account's sessions end."""
    replace_password(user, password)
    audit.record("user.password_set", user, actor=actor or user)


def set_active(user: User, active: bool, *, actor) -> None:
    """An admin disables (every session, remember-me cookie and API use of the account ends) or enables an
    account; never their own."""
    if not actor.is_admin:
        raise Forbidden("Only an admin may disable or enable accounts.")
    if actor.id == user.id:
        raise Forbidden("You cannot disable or enable your own account.")
    if user.active == active:
        raise InvalidState("This account is already " + ("enabled." if active else "disabled."))
    user.active = active
    if not active:
        sessions.end_sessions(user)
    audit.record("user.enabled" if active else "user.disabled", user, actor=actor)


def user_for_token(token: str) -> User | None:
    """The active user of an unrevoked API token, noting (at most every few minutes) when it was last used."""
    row = db.session.execute(
        sa.select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.active:
        return None
    now = utcnow()
    last = row.ApiToken.last_used_at
    if last is None or now - last >= TOKEN_TOUCH_EVERY:
        if session_is_writer():
            row.ApiToken.last_used_at = now  # a writing transaction: it already holds the lock
        else:
            _touch_token(row.ApiToken.id, now)
    return row.User


def _touch_token(token_id: int, now) -> None:
    """Record a reading request's use of a token in its own short transaction, on its own connection.

    Writing it in the request's transaction made every API read a writer: on SQLite a read
    transaction cannot upgrade to a write once another writer has committed ("database is
    locked"), and on PostgreSQL every request queued on the token's row lock until commit. Only
    the first request in each interval writes, and the WHERE clause keeps racing requests to one.
    """
    table = ApiToken.__table__
    cutoff = now - TOKEN_TOUCH_EVERY
    with db.engine.begin() as conn:
        conn.execute(table.update().where(table.c.id == token_id, sa.or_(
            table.c.last_used_at.is_(None), table.c.last_used_at <= cutoff)).values(last_used_at=now))


def reauthenticate(user: User, password: str | None, code: str | None = None) -> None:
    """422 unless ``password`` is the account's and, where a second factor is set up, ``code`` is good: the proof
    asked before a sensitive change (a new API token, turning on a second factor)."""
    if not password_matches(user, password):
        raise ValidationError({"password": ["That is not your password."]})
    if user.mfa_enabled and not mfa.check(user, code):
        raise ValidationError({"code": ["Type the code your authenticator app shows now."]})


def create_token_as_holder(user: User, name: str, *, password: str | None, code: str | None = None
                           ) -> tuple[ApiToken, str]:
    """The account holder creates an API token from their settings, proving again who they are first."""
    reauthenticate(user, password, code)
    return issue_token(user, name)


def enrol_second_factor(user: User, secret: str, code: str | None, *, password: str | None) -> list[str]:
    """Turn the second factor on (the password first, then a code from the app); returns the recovery codes."""
    reauthenticate(user, password)
    return mfa.confirm_enrolment(user, secret, code)


def issue_token(user: User, name: str = "token", *, actor=None) -> tuple[ApiToken, str]:
    """Create a bearer token; returns the row and the token text (shown once, stored hashed)."""
    name = name or "token"
    if len(name) > TOKEN_LIMITS["name"]:
        raise ValidationError({"name": [f"At most {TOKEN_LIMITS['name']} characters."]})
    token = "cb_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(token), prefix=token[:10])
    db.session.add(row)
    db.session.flush()
    audit.record("token.created", row, actor=actor or user, data={"user_id": user.id, "name": row.name})
    return row, token


def revoke_token(token: ApiToken, *, actor) -> None:
    """Revoke a token (its owner or an admin)."""
    if token.user_id != actor.id and not actor.is_admin:
        raise NotFound()
    if token.revoked_at is not None:
        raise InvalidState("This token is already revoked.")
    token.revoked_at = utcnow()
    audit.record("token.revoked", token, actor=actor, data={"user_id": token.user_id})


def submit_credential(user: User, registry: str, reference: str, *, actor) -> Credential:
    """A casting director records their registry credential; it needs an admin's verification."""
    if actor.id != user.id and not actor.is_admin:
        raise Forbidden("Only that casting director or an admin may submit this credential.")
    if user.role != UserRole.casting_director:
        raise InvalidState("Only casting directors carry a registry credential.")
    errors = {}
    if not registry or not registry.strip():
        errors["registry"] = ["This field is required."]
    if not reference or not reference.strip():
        errors["reference"] = ["This field is required."]
    for field, value in (("registry", registry), ("reference", reference)):
        if value and len(value.strip()) > CREDENTIAL_LIMITS[field]:
            errors[field] = [f"At most {CREDENTIAL_LIMITS[field]} characters."]
    if errors:
        raise ValidationError(errors)
    cred = user.credential
    if cred is None:
        cred = Credential(registry_name=registry.strip(), reference=reference.strip())
        user.credential = cred
    else:
        # A changed credential must be verified again.
        cred.registry_name, cred.reference = registry.strip(), reference.strip()
        cred.submitted_at = utcnow()
        cred.verified_at = cred.verified_by_id = cred.evidence = None
    cred.submitted_by = actor
    db.session.flush()
    audit.record("credential.submitted", cred, actor=actor,
                 data={"user_id": user.id, "registry": cred.registry_name, "reference": cred.reference,
                       "submitted_by_id": actor.id})
    return cred


def verify_credential(user: User, evidence: str, *, actor) -> Credential:
    """An admin verifies the credential, with written evidence: not its holder nor its submitter, nor
    whoever created either one's account (four eyes, accounts/access.py)."""
    cred = user.credential
    # Four eyes first (API.md): verifying one's own credential is refused as such, whoever asks.
    if actor.id == user.id:
        raise FourEyes("You cannot verify your own credential.", entity=user)
    if verifies_own_credential(user, actor):
        raise FourEyes("You created this account or submitted this credential (or created the account of whoever "
                       "did): another admin must verify it.", entity=user)
    if not actor.is_admin:
        raise Forbidden("Only an admin may verify credentials.")
    if cred is None:
        raise InvalidState("This user has not submitted a credential.")
    if not evidence or len(evidence.strip()) < MIN_EVIDENCE:
        raise ValidationError({"evidence": [f"Say what you checked and where (at least {MIN_EVIDENCE} characters)."]})
    if len(evidence.strip()) > CREDENTIAL_LIMITS["evidence"]:
        raise ValidationError({"evidence": [f"At most {CREDENTIAL_LIMITS['evidence']} characters."]})
    cred.verified_at = utcnow()
    cred.verified_by_id = actor.id
    cred.evidence = evidence.strip()
    audit.record("credential.verified", cred, actor=actor, data={"user_id": user.id, "evidence": cred.evidence})
    return cred
