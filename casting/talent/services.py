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
# Minors' safeguarding data: once a casting office or an admin sets them, the talent cannot change or remove
# them, and their audit entries carry the old and the new value.
GUARDIAN_FIELDS = ("guardian_name", "guardian_email", "guardian_phone")
SAFEGUARDING_FIELDS = ("date_of_birth", *GUARDIAN_FIELDS)


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
    if profile.date_of_birth is not None:
        profile.date_of_birth_set_by_id = actor.id
    if profile.guardian_name or profile.guardian_email:
        profile.guardian_set_by_id = actor.id
    db.session.add(profile)
    token = None
    if existing_user is None:
        token = secrets.token_urlsafe(32)
        profile.claim_token_hash = hash_token(token)
        profile.claim_expires_at = utcnow() + timedelta(days=CLAIM_DAYS)
    db.session.flush()
    audit.record("talent.created", profile, actor=actor,
                 data={"email": email, "safeguarding": _value_changes(
                     {k: None for k in SAFEGUARDING_FIELDS}, {k: getattr(profile, k) for k in SAFEGUARDING_FIELDS})})
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


def _text(value) -> str | None:
    return str(value) if value is not None else None


def _value_changes(old: dict, new: dict) -> dict:
    """``{field: {"old": ..., "new": ...}}`` for every field whose value differs (dates as ISO text)."""
    return {k: {"old": _text(old.get(k)), "new": _text(new[k])} for k in new if old.get(k) != new[k]}


def _normalised(key: str, value):
    if key == "legal_name":
        return (value or "").strip()
    if isinstance(value, str):
        return value.strip() or None
    return value


def locked_fields(profile: TalentProfile) -> set[str]:
    """The safeguarding fields a casting office or an admin set, which the talent cannot change or remove
    (an empty guardian field stays free to fill in)."""
    locked = {"date_of_birth"} if profile.date_of_birth_locked else set()
    if profile.guardian_locked:
        locked |= {k for k in GUARDIAN_FIELDS if getattr(profile, k)}
    return locked


def update_profile(profile: TalentProfile, *, actor, **fields) -> TalentProfile:
    """The talent edits their own profile.

    Safeguarding data a casting office or an admin set cannot be changed or removed (403). A change of
    date of birth that would make a minor an adult (today, by talent/age.py) is not applied: it waits for
    a casting office's confirmation (:func:`confirm_date_of_birth`), the old date staying in force.
    """
    if profile.user_id != actor.id:
        raise NotFound()
    allowed = {"legal_name", "professional_name", "date_of_birth", "guardian_name", "guardian_email",
               "guardian_phone", "agent", "phone"}
    wanted = {k: _normalised(k, v) for k, v in fields.items() if k in allowed}
    _check_limits(wanted)
    changes = {k: v for k, v in wanted.items() if getattr(profile, k) != v}
    refused = sorted(set(changes) & locked_fields(profile))
    if refused:
        raise Forbidden("The casting office set your date of birth and guardian details to keep you safe: ask them "
                        "to change them.", entity=profile, details={"fields": refused})
    today = date.today()
    pending = "date_of_birth" in changes and is_minor_on(profile.date_of_birth, today) \
        and not is_minor_on(changes["date_of_birth"], today)
    requested = changes.pop("date_of_birth") if pending else None
    if pending and requested is not None and requested > today:
        raise ValidationError({"date_of_birth": ["Cannot be in the future."]})
    merged = {k: getattr(profile, k) for k in ("legal_name", "email", "date_of_birth", "guardian_name", "guardian_email")}
    merged.update({k: v for k, v in changes.items() if k in merged})
    _validate_profile(merged["legal_name"], merged["email"], merged["date_of_birth"], merged["guardian_name"],
                      merged["guardian_email"])
    old = {k: getattr(profile, k) for k in changes}
    for key, value in changes.items():
        setattr(profile, key, value)
    if "date_of_birth" in changes:
        profile.date_of_birth_set_by_id = actor.id
        _clear_pending(profile)  # a new date that keeps them a minor (or an adult's) replaces any request
    if set(changes) & set(GUARDIAN_FIELDS) and not profile.guardian_locked:
        profile.guardian_set_by_id = actor.id
    audit.record("talent.updated", profile, actor=actor,
                 data={"changed": sorted(changes),
                       "values": _value_changes({k: old[k] for k in changes if k in SAFEGUARDING_FIELDS},
                                                {k: v for k, v in changes.items() if k in SAFEGUARDING_FIELDS})})
    if pending and (not profile.date_of_birth_pending or profile.pending_date_of_birth != requested):
        profile.pending_date_of_birth = requested
        profile.pending_date_of_birth_at = utcnow()
        profile.pending_date_of_birth_by_id = actor.id
        audit.record("talent.date_of_birth_requested", profile, actor=actor,
                     data={"old": _text(profile.date_of_birth), "new": _text(requested)})
    db.session.flush()
    return profile


def _clear_pending(profile: TalentProfile) -> None:
    profile.pending_date_of_birth = None
    profile.pending_date_of_birth_at = None
    profile.pending_date_of_birth_by_id = None


def confirm_date_of_birth(profile: TalentProfile, *, actor) -> TalentProfile:
    """A casting director who may see the talent (or an admin) confirms the talent's pending change of date
    of birth: it comes into force, as set by the office (the talent cannot change it again)."""
    access.require_may_confirm_date_of_birth(profile, actor)
    if not profile.date_of_birth_pending:
        raise InvalidState("No change of date of birth waits for confirmation.", entity=profile)
    old, new = profile.date_of_birth, profile.pending_date_of_birth
    requested_by, requested_at = profile.pending_date_of_birth_by_id, profile.pending_date_of_birth_at
    profile.date_of_birth = new
    profile.date_of_birth_set_by_id = actor.id if new is not None else None
    _clear_pending(profile)
    db.session.flush()
    audit.record("talent.date_of_birth_confirmed", profile, actor=actor,
                 data={"old": _text(old), "new": _text(new), "requested_by_id": requested_by,
                       "requested_at": requested_at.isoformat() if requested_at else None})
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
