"""Production companies: registration, members, logo, and four-eyes verification by an admin."""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casting.audit import services as audit
from casting.companies.access import (
    require_company_member,
    require_may_create,
    require_may_verify,
)
from casting.companies.models import Company, CompanyMember
from casting.core.blobs import store_blob
from casting.core.db import utcnow
from casting.core.errors import Duplicate, ValidationError
from casting.core.uploads import check_logo
from casting.extensions import db

# The one answer to an account that cannot be a member: nothing about whether it exists or its kind.
MEMBER_REFUSED = "This account cannot be added."
MIN_EVIDENCE = 10
# Most characters per field: the forms and the API specs take their limits from here.
COMPANY_LIMITS = {"legal_name": 200, "registration_number": 100, "website": 300, "phone": 50, "email": 254,
                  "address": 1000}
VERIFICATION_LIMITS = {"evidence": 2000}

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL_RE = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


def _clean(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _validate(fields: dict[str, str]) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("legal_name", "registration_number", "address"):
        if not fields[name]:
            errors[name] = ["This field is required."]
    for name, limit in COMPANY_LIMITS.items():
        if len(fields[name]) > limit:
            errors.setdefault(name, []).append(f"At most {limit} characters.")
    if fields["email"] and not _EMAIL_RE.match(fields["email"]):
        errors.setdefault("email", []).append("Must be an email address.")
    if fields["website"] and not _URL_RE.match(fields["website"]):
        errors.setdefault("website", []).append("Must be an http(s) address, e.g. https://example.com.")
    if not (fields["email"] or fields["phone"]):
        errors.setdefault("email", []).append("Give an email or a phone number talent can check.")
    if errors:
        raise ValidationError(errors)


def create_company(*, actor, legal_name: str, registration_number: str, address: str, website: str = "",
                   phone: str = "", email: str = "") -> Company:
    """Register a company; its creator becomes its first member. It starts unverified."""
    require_may_create(actor)
    fields = {"legal_name": _clean(legal_name), "registration_number": _clean(registration_number),
              "address": _clean(address), "website": _clean(website), "phone": _clean(phone),
              "email": _clean(email).lower()}
    _validate(fields)
    company = Company(created_by_id=actor.id, **fields)
    db.session.add(company)
    db.session.flush()
    company.members.append(CompanyMember(user_id=actor.id, added_by_id=actor.id))
    db.session.flush()
    audit.record("company.created", company, actor=actor,
                 data={"legal_name": company.legal_name, "registration_number": company.registration_number})
    return company


def add_member(company: Company, user, *, actor) -> CompanyMember:
    """A member adds another casting director or producer to the company."""
    require_company_member(company, actor)
    if user is None:
        raise ValidationError({"user_id": [MEMBER_REFUSED]})
    if not user.is_staff:  # members create productions under the company
        raise ValidationError({"user_id": [MEMBER_REFUSED]})  # staff only, but a refusal says nothing of the account
    if company.is_member(user):
        raise Duplicate(f"{user.name} is already a member of {company.legal_name}.", entity=company)
    member = CompanyMember(user_id=user.id, added_by_id=actor.id)
    company.members.append(member)
    db.session.flush()
    audit.record("company.member_added", company, actor=actor, data={"user_id": user.id, "email": user.email})
    return member


def set_logo(company: Company, file_storage, *, actor) -> str:
    """A member uploads the letterhead logo (a PNG, checked by content and stored downscaled); returns its hash."""
    require_company_member(company, actor)
    upload = check_logo(file_storage)
    blob = store_blob(upload.data, upload.content_type)
    company.logo_sha256 = blob.sha256
    audit.record("company.logo_uploaded", company, actor=actor,
                 data={"sha256": blob.sha256, "content_type": upload.content_type, "size": blob.size,
                       "filename": upload.filename})
    return blob.sha256


def verify_company(company: Company, evidence: str, *, actor) -> Company:
    """An admin who did not register the company verifies it, saying what they checked and where."""
    require_may_verify(company, actor)
    evidence = _clean(evidence)
    if len(evidence) < MIN_EVIDENCE:
        raise ValidationError({"evidence": [f"Say what you checked and where (at least {MIN_EVIDENCE} characters)."]})
    if len(evidence) > VERIFICATION_LIMITS["evidence"]:
        raise ValidationError({"evidence": [f"At most {VERIFICATION_LIMITS['evidence']} characters."]})
    company.verified_at = utcnow()
    company.verified_by_id = actor.id
    company.verification_evidence = evidence
    audit.record("company.verified", company, actor=actor, data={"evidence": evidence})
    return company


def companies_for(user) -> sa.Select:
    """Companies listed for ``user``: admins all, others those they are members of (with who registered each: the
    admin's list asks of every row whether four eyes let this admin verify it)."""
    query = sa.select(Company).options(selectinload(Company.created_by)).order_by(Company.legal_name, Company.id)
    if not user.is_admin:
        mine = sa.select(CompanyMember.company_id).where(CompanyMember.user_id == user.id)
        query = query.where(Company.id.in_(mine))
    return query


def member_companies(user, *, limit: int | None = None, include: int | None = None) -> list[Company]:
    """Companies ``user`` is a member of (those they may create productions under), by name; ``limit``: only the
    ``limit`` they joined last, plus the company ``include`` when they are a member of it."""
    query = (sa.select(Company).join(CompanyMember, CompanyMember.company_id == Company.id)
             .where(CompanyMember.user_id == user.id))
    if limit is not None:
        newest = query.order_by(CompanyMember.id.desc()).limit(limit).with_only_columns(Company.id)
        query = query.where(Company.id.in_(newest) | (Company.id == (include or 0)))
    return list(db.session.scalars(query.order_by(Company.legal_name, Company.id)))
