"""Talent profiles: self-registration, profiles added by casting directors, and claiming them."""
from __future__ import annotations

import secrets
from datetime import date, timedelta

import sqlalchemy as sa

from casting.accounts.models import User, UserRole
from casting.accounts.services import (
    check_password_strength,
    find_user_by_email,
    hash_password,
)
from casting.audit import services as audit
from casting.core.auth import hash_token
from casting.core.db import utcnow
from casting.core.errors import (
    Duplicate,
    Forbidden,
    InvalidState,
    NotFound,
    ValidationError,
)
from casting.core.mail import render_body, send_mail
from casting.extensions import db
from casting.talent import access
from casting.talent.age import ADULT_AGE, age_on, is_minor_on
from casting.talent.models import TalentProfile

CLAIM_DAYS = 14
# Most characters per field: the forms and the API specs take their limits from here.
TALENT_LIMITS = {"legal_name": 200, "professional_name": 200, "email": 254, "phone": 50, "agent": 200,
                 "guardian_name": 200, "guardian_email": 254, "guardian_phone": 50}


def attach_or_create_profile(user) -> TalentProfile:
    """Give a talent account its profile: an unclaimed one with the same email, or a new one."""
    profile = db.session.scalar(
        sa.select(TalentProfile).where(TalentProfile.email == user.email, TalentProfile.user_id.is_(None))
    )
    if profile is None:
        profile = TalentProfile(legal_name=user.name, email=user.email)
        db.session.add(profile)
    profile.user = user  # both sides, so user.talent_profile reads it at once
    profile.claim_token_hash = None
    profile.claim_expires_at = None
    db.session.flush()
    return profile


def _validate_profile(legal_name, email, date_of_birth, guardian_name, guardian_email) -> None:
    errors: dict[str, list[str]] = {}
    if not legal_name or not legal_name.strip():
        errors["legal_name"] = ["This field is required."]
    if not email or "@" not in email:
        errors["email"] = ["Must be an email address."]
    if date_of_birth is not None:
        if date_of_birth > date.today():
            errors["date_of_birth"] = ["Cannot be in the future."]
        elif is_minor_on(date_of_birth, date.today()) and not (guardian_name and guardian_email):
            errors["guardian_name"] = [f"Talent under {ADULT_AGE} need a guardian's name and email."]
    if errors:
        raise ValidationError(errors)


def _check_limits(values: dict) -> None:
    """422 naming every text field longer than its TALENT_LIMITS entry."""
    errors = {name: [f"At most {TALENT_LIMITS[name]} characters."] for name, value in values.items()
              if name in TALENT_LIMITS and isinstance(value, str) and len(value) > TALENT_LIMITS[name]}
    if errors:
        raise ValidationError(errors)


def create_talent(*, actor, legal_name: str, email: str, professional_name: str | None = None,
                  date_of_birth: date | None = None, guardian_name: str | None = None,
                  guardian_email: str | None = None, agent: str | None = None, phone: str | None = None) -> TalentProfile:
    """A casting director adds a talent profile; the talent is emailed a one-time link to claim it."""
    access.require_may_add_talent(actor)
    _validate_profile(legal_name, email, date_of_birth, guardian_name, guardian_email)
    email = email.strip().lower()
    _check_limits({"legal_name": legal_name, "email": email, "professional_name": professional_name,
                   "guardian_name": guardian_name, "guardian_email": guardian_email, "agent": agent, "phone": phone})
    if db.session.scalar(sa.select(TalentProfile.id).where(TalentProfile.email == email)):
        raise Duplicate("A talent profile with this email already exists.")
    existing_user = find_user_by_email(email)
    profile = TalentProfile(legal_name=legal_name.strip(), email=email, professional_name=professional_name or None,
                            date_of_birth=date_of_birth, guardian_name=guardian_name or None,
                            guardian_email=guardian_email or None, agent=agent or None, phone=phone or None,
                            created_by_id=actor.id)
    db.session.add(profile)
    token = None
    if existing_user is None:
        token = secrets.token_urlsafe(32)
        profile.claim_token_hash = hash_token(token)
        profile.claim_expires_at = utcnow() + timedelta(days=CLAIM_DAYS)
    db.session.flush()
    audit.record("talent.created", profile, actor=actor, data={"email": email})
    if token:
        send_mail(email, "Your talent profile on Callback",
                  render_body("talent_claim.txt", profile=profile, actor=actor, token=token, claim_days=CLAIM_DAYS))
    return profile


def profile_for_claim(token: str) -> TalentProfile:
    """The unclaimed profile of a claim link, or NotFound (unknown, used or expired)."""
    profile = db.session.scalar(sa.select(TalentProfile).where(TalentProfile.claim_token_hash == hash_token(token or "")))
    if profile is None or profile.user_id is not None or profile.claim_expires_at is None \
            or profile.claim_expires_at < utcnow():
        raise NotFound("This link is unknown, already used or expired. Ask the casting office for a new one.")
    return profile


def claim_profile(token: str, password: str):
    """Turn a claim link into a talent account with ``password``; the link then stops working."""
    profile = profile_for_claim(token)
    check_password_strength(password, email=profile.email, name=profile.legal_name)
    if find_user_by_email(profile.email):
        raise InvalidState("An account with this email exists already; sign in instead.")
    # The claim link reached this address: it is proven, as a verification link would prove it.
    user = User(email=profile.email, name=profile.legal_name, role=UserRole.talent, password_hash=hash_password(password),
                email_verified_at=utcnow())
    db.session.add(user)
    db.session.flush()
    profile.user_id = user.id
    profile.claim_token_hash = None
    profile.claim_expires_at = None
    audit.record("talent.claimed", profile, actor=user, data={"user_id": user.id})
    return user


def profile_of(user) -> TalentProfile:
    """The talent profile of a talent account (403 for other kinds of account)."""
    if user is None or not user.is_talent:
        raise Forbidden("Only talent accounts have a talent profile.")
    if user.talent_profile is None:
        return attach_or_create_profile(user)
    return user.talent_profile


def update_profile(profile: TalentProfile, *, actor, **fields) -> TalentProfile:
    """The talent edits their own profile."""
    if profile.user_id != actor.id:
        raise NotFound()
    merged = {k: getattr(profile, k) for k in ("legal_name", "email", "date_of_birth", "guardian_name", "guardian_email")}
    merged.update({k: v for k, v in fields.items() if k in merged})
    _validate_profile(merged["legal_name"], merged["email"], merged["date_of_birth"], merged["guardian_name"],
                      merged["guardian_email"])
    allowed = {"legal_name", "professional_name", "date_of_birth", "guardian_name", "guardian_email",
               "guardian_phone", "agent", "phone"}
    _check_limits({k: v for k, v in fields.items() if k in allowed})
    changed = {}
    for key, value in fields.items():
        if key in allowed and getattr(profile, key) != value:
            setattr(profile, key, value or None if key != "legal_name" else value.strip())
            changed[key] = str(value) if value is not None else None
    audit.record("talent.updated", profile, actor=actor, data={"changed": sorted(changed)})
    return profile


def age_today(profile: TalentProfile) -> int | None:
    """The talent's age today, if a date of birth is known."""
    return age_on(profile.date_of_birth, date.today())


def minor_today(profile: TalentProfile) -> bool:
    """Whether the talent is under 18 today (an unknown date of birth counts as adult)."""
    return is_minor_on(profile.date_of_birth, date.today())


def visible_talent_query(user, q: str = "") -> sa.Select:
    """Talent profiles a staff user may see, by name or email (admins: all), in name order."""
    query = access.visible_query(user)
    q = (q or "").strip()
    if q:
        like = f"%{q.lower()}%"
        query = query.where(sa.func.lower(TalentProfile.legal_name).like(like)
                            | sa.func.lower(sa.func.coalesce(TalentProfile.professional_name, "")).like(like)
                            | TalentProfile.email.like(like))
    return query.order_by(TalentProfile.legal_name, TalentProfile.id)
