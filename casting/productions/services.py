"""Productions, their members, the roles being cast and their sides."""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

import sqlalchemy as sa

from casting.accounts.models import UserRole
from casting.audit import services as audit
from casting.companies.models import Company
from casting.core.blobs import store_blob
from casting.core.errors import Duplicate, Forbidden, InvalidState, ValidationError
from casting.core.mail import render_body, send_mail
from casting.core.uploads import check_pdf
from casting.extensions import db
from casting.productions.access import (
    member_production_ids,
    require_manager,
    require_may_add_venue,
    require_may_create,
    require_may_edit_venue,
)
from casting.productions.models import (
    MemberRole,
    Production,
    ProductionKind,
    ProductionMember,
    ProductionRole,
    ProductionRoleStatus,
    Side,
    Venue,
    VenueKind,
)
from casting.core.signals import values_from
from casting.productions.signals import production_changing, role_changed, venue_changing

VENUE_KINDS = tuple(k.value for k in VenueKind)
KINDS = tuple(k.value for k in ProductionKind)
MEMBER_ROLES = tuple(r.value for r in MemberRole)
PRODUCTION_FIELDS = ("title", "kind", "description", "safeguarding_contact")
VENUE_FIELDS = ("name", "kind", "address", "timezone", "meeting_url")
ROLE_FIELDS = ("name", "description", "age_min", "age_max", "nudity_or_intimacy", "nudity_or_intimacy_details",
               "compensation")
AGE_LIMIT = 120
# The one answer to an account that cannot be a member: nothing about whether it exists or its kind.
MEMBER_REFUSED = "This account cannot be added."
# Most characters per field, and (low, high) inclusive ranges of numbers: the forms and the API specs
# take their limits from here.
PRODUCTION_LIMITS = {"title": 200, "description": 10_000, "safeguarding_contact": 300}
ROLE_LIMITS = {"name": 200, "description": 10_000, "nudity_or_intimacy_details": 5000, "compensation": 1000}
ROLE_RANGES = {"age_min": (0, AGE_LIMIT), "age_max": (0, AGE_LIMIT)}
VENUE_LIMITS = {"name": 200, "address": 1000, "timezone": 64, "meeting_url": 500}


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _required(errors: dict, fields: dict, limits: dict[str, int], required: tuple[str, ...]) -> None:
    for name in required:
        if not fields[name]:
            errors.setdefault(name, []).append("This field is required.")
    for name, limit in limits.items():
        if fields.get(name) and len(fields[name]) > limit:
            errors.setdefault(name, []).append(f"At most {limit} characters.")


# --- productions -------------------------------------------------------------------------------

def _clean_production(title, kind, description, safeguarding_contact, errors: dict) -> dict:
    fields = {"title": _text(title), "description": _text(description),
              "safeguarding_contact": _text(safeguarding_contact), "kind": _text(kind)}
    _required(errors, fields, PRODUCTION_LIMITS, ("title", "description", "safeguarding_contact", "kind"))
    if fields["kind"] and fields["kind"] not in KINDS:
        errors.setdefault("kind", []).append(f"Must be one of: {', '.join(KINDS)}.")
    return fields


def create_production(*, actor, title: str, company_id, kind: str, description: str,
                      safeguarding_contact: str) -> Production:
    """A casting director who is a member of the company creates a production and becomes its casting director."""
    require_may_create(actor)
    errors: dict[str, list[str]] = {}
    fields = _clean_production(title, kind, description, safeguarding_contact, errors)
    company = None
    if isinstance(company_id, int) and not isinstance(company_id, bool):
        company = db.session.get(Company, company_id)
    if company is None:
        errors.setdefault("company_id", []).append("Choose a registered company.")
    if errors:
        raise ValidationError(errors)
    if not company.is_member(actor):
        # Nobody borrows a verified company's name: only its members produce under it.
        # Says nothing of the company: a 403 must not tell a stranger whose company an id is.
        raise Forbidden("Only members of a company may create productions under it.", entity=company)
    production = Production(company_id=company.id, created_by_id=actor.id, **fields)
    production.members.append(ProductionMember(user_id=actor.id, role=MemberRole.casting_director, added_by_id=actor.id))
    db.session.add(production)
    db.session.flush()
    audit.record("production.created", production, actor=actor, production_id=production.id,
                 data={"title": production.title, "company_id": company.id, "kind": production.kind})
    return production


def update_production(production: Production, *, actor, **changes) -> list[str]:
    """A casting director member edits the production (title, kind, description, safeguarding contact); only the
    fields given change. The scheduled sessions must still pass their checklist (the safeguarding contact is on
    it), else nothing changes. Returns the names of the fields that changed."""
    require_manager(production, actor)
    unknown = set(changes) - set(PRODUCTION_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    merged = {k: getattr(production, k) for k in PRODUCTION_FIELDS} | changes
    errors: dict[str, list[str]] = {}
    fields = _clean_production(merged["title"], merged["kind"], merged["description"],
                               merged["safeguarding_contact"], errors)
    if errors:
        raise ValidationError(errors)
    changed = [k for k in PRODUCTION_FIELDS if fields[k] != getattr(production, k)]
    if not changed:
        return []
    before = {k: getattr(production, k) for k in changed}
    checks = values_from(production_changing, production, actor=actor, change="This change to the production")
    for key in changed:
        setattr(production, key, fields[key])
    db.session.flush()
    for check in checks:
        check(changed)
    audit.record("production.updated", production, actor=actor, production_id=production.id,
                 data={"changed": changed, "before": before})
    return changed


def add_member(production: Production, user, role: str, *, actor) -> ProductionMember:
    """A casting director member adds a casting director or producer account with a job on the production; the
    account is a member at once (the API's contract) and is told by email, with the way to leave.

    A refusal says nothing about the account beyond "cannot be added" (whether it exists, or its kind)."""
    require_manager(production, actor)
    errors: dict[str, list[str]] = {}
    if role not in MEMBER_ROLES:
        errors["role"] = [f"Must be one of: {', '.join(MEMBER_ROLES)}."]
    # Talent never hold a membership; admins oversee from outside; only a casting director account can be the
    # production's casting director.
    if user is None or not user.is_staff:
        errors["user_id"] = [MEMBER_REFUSED]
    elif role == MemberRole.casting_director and user.role != UserRole.casting_director:
        errors["role"] = ["This account cannot be added as the production's casting director."]
    if errors:
        raise ValidationError(errors)
    if production.member(user) is not None:
        raise Duplicate(f"{user.name} is already a member of this production.", entity=production,
                        production_id=production.id)
    member = ProductionMember(user_id=user.id, role=role, added_by_id=actor.id)
    production.members.append(member)
    db.session.flush()
    audit.record("production.member_added", member, actor=actor, production_id=production.id,
                 data={"user_id": user.id, "email": user.email, "role": role})
    send_mail(user.email, f"You were added to {production.title} on Callback",
              render_body("member_added.txt", user=user, production=production, role=role, actor=actor))
    return member


def leave_production(production: Production, *, actor) -> None:
    """A member leaves a production (e.g. one they were added to by mistake); the last casting director cannot,
    as a production always has one."""
    member = production.member(actor)
    if member is None:
        raise Forbidden("Only a member of this production can leave it.", production_id=production.id)
    directors = [m for m in production.members if m.role == MemberRole.casting_director]
    if member.role == MemberRole.casting_director and len(directors) == 1:
        raise InvalidState("A production needs a casting director: add another one before you leave.",
                           entity=production, production_id=production.id)
    production.members.remove(member)
    db.session.flush()
    audit.record("production.member_left", production, actor=actor, production_id=production.id,
                 data={"user_id": actor.id, "role": member.role})


def remove_member(production: Production, member: ProductionMember, *, actor) -> None:
    """A casting director member removes another member. Refused when it would leave the production without a
    casting director, or make a scheduled session fail its checklist (e.g. its panel of two); nothing changes."""
    require_manager(production, actor)
    if member.production_id != production.id:
        raise ValidationError({"member": ["Not a member of this production."]})
    if member.user_id == actor.id:
        raise InvalidState("To leave the production yourself, use \u201cLeave this production\u201d.",
                           entity=production, production_id=production.id)
    directors = [m for m in production.members if m.role == MemberRole.casting_director]
    if member.role == MemberRole.casting_director and len(directors) == 1:
        raise InvalidState("A production needs a casting director.", entity=production, production_id=production.id)
    user = member.user
    checks = values_from(production_changing, production, actor=actor, change=f"Removing {user.name}")
    production.members.remove(member)
    db.session.flush()
    for check in checks:
        check(["members"])
    audit.record("production.member_removed", production, actor=actor, production_id=production.id,
                 data={"user_id": user.id, "email": user.email, "role": member.role})


def productions_for(user) -> sa.Select:
    """Productions ``user`` sees: admins all, staff those they are members of."""
    query = sa.select(Production).order_by(Production.created_at.desc(), Production.id.desc())
    if not user.is_admin:
        query = query.where(Production.id.in_(member_production_ids(user)))
    return query


# --- roles -------------------------------------------------------------------------------------

def _clean_role(data: dict) -> dict:
    """Normalise and check role fields (the complete set, after merging an edit)."""
    out = {
        "name": _text(data.get("name")), "description": _text(data.get("description")),
        "age_min": data.get("age_min"), "age_max": data.get("age_max"),
        "nudity_or_intimacy": data.get("nudity_or_intimacy"),
        "nudity_or_intimacy_details": _text(data.get("nudity_or_intimacy_details")) or None,
        "compensation": _text(data.get("compensation")) or None,
    }
    errors: dict[str, list[str]] = {}
    _required(errors, out, ROLE_LIMITS, ("name", "description"))
    for name, (low, high) in ROLE_RANGES.items():
        value = out[name]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors.setdefault(name, []).append("Must be a whole number of years.")
        elif not low <= value <= high:
            errors.setdefault(name, []).append(f"Must be from {low} to {high}.")
    if "age_min" not in errors and "age_max" not in errors and None not in (out["age_min"], out["age_max"]) \
            and out["age_min"] > out["age_max"]:
        errors["age_max"] = ["Must not be below the minimum age."]
    if not isinstance(out["nudity_or_intimacy"], bool):
        errors["nudity_or_intimacy"] = ["Must be true or false."]
    if errors:
        raise ValidationError(errors)
    return out


def create_role(production: Production, *, actor, **data) -> ProductionRole:
    """A casting director member adds a part to cast."""
    require_manager(production, actor)
    data.setdefault("nudity_or_intimacy", False)
    fields = _clean_role({k: data.get(k) for k in ROLE_FIELDS})
    role = ProductionRole(production_id=production.id, status=ProductionRoleStatus.open, **fields)
    db.session.add(role)
    db.session.flush()
    audit.record("role.created", role, actor=actor, production_id=production.id,
                 data={"name": role.name, "nudity_or_intimacy": role.nudity_or_intimacy})
    return role


def update_role(role: ProductionRole, *, actor, **changes) -> ProductionRole:
    """A casting director member edits a role; only the fields given change."""
    require_manager(role.production, actor)
    unknown = set(changes) - set(ROLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    merged = {k: getattr(role, k) for k in ROLE_FIELDS}
    merged.update(changes)
    fields = _clean_role(merged)
    changed = sorted(k for k in ROLE_FIELDS if fields[k] != getattr(role, k))
    if not changed:
        return role
    if role.status == ProductionRoleStatus.cast:
        raise InvalidState("This role is cast; it can no longer be edited.", entity=role,
                           production_id=role.production_id)
    before = {k: getattr(role, k) for k in changed}
    for key in changed:
        setattr(role, key, fields[key])
    db.session.flush()
    # The features above refuse what the edit would break (a scheduled session's checklist, an open
    # call's no-nudity rule): a refusal raises, and the whole edit rolls back.
    role_changed.send(role, changed=changed)
    audit.record("role.updated", role, actor=actor, production_id=role.production_id,
                 data={"changed": changed, "before": before})
    return role


# --- sides -------------------------------------------------------------------------------------

def upload_side(role: ProductionRole, file_storage, *, actor) -> Side:
    """A casting director member attaches sides: a PDF by content, at most 10 MB, stored as a blob."""
    require_manager(role.production, actor)
    upload = check_pdf(file_storage)
    blob = store_blob(upload.data, upload.content_type)
    side = Side(role_id=role.id, filename=upload.filename, blob_sha256=blob.sha256, size=blob.size,
                page_count=upload.pages, uploaded_by_id=actor.id)
    db.session.add(side)
    db.session.flush()
    audit.record("side.uploaded", side, actor=actor, production_id=role.production_id,
                 data={"role_id": role.id, "filename": side.filename, "sha256": blob.sha256, "size": blob.size,
                       "pages": side.page_count})
    return side


# --- venues ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def timezones() -> frozenset[str]:
    """Every IANA timezone name this system knows."""
    return frozenset(available_timezones())


def _clean_venue(name, kind, address, timezone, meeting_url) -> dict:
    fields = {"name": _text(name), "kind": _text(kind), "address": _text(address), "timezone": _text(timezone),
              "meeting_url": _text(meeting_url) or None}
    errors: dict[str, list[str]] = {}
    _required(errors, fields, VENUE_LIMITS, ("name", "kind", "timezone"))
    if fields["kind"] and fields["kind"] not in VENUE_KINDS:
        errors.setdefault("kind", []).append(f"Must be one of: {', '.join(VENUE_KINDS)}.")
    if fields["timezone"] and fields["timezone"] not in timezones():
        errors.setdefault("timezone", []).append("Must be an IANA timezone such as Europe/London.")
    url = fields["meeting_url"]
    if url and (not url.startswith("https://") or len(url) <= len("https://") or any(c.isspace() for c in url)):
        errors.setdefault("meeting_url", []).append("Must be an https:// link.")
    if fields["kind"] == VenueKind.virtual:
        if not url:
            errors.setdefault("meeting_url", []).append("A virtual venue needs its https:// meeting link.")
    elif not fields["address"]:
        errors.setdefault("address", []).append("Give the full street address.")
    if errors:
        raise ValidationError(errors)
    return fields


def create_venue(*, actor, name: str, kind: str, address: str = "", timezone: str, meeting_url=None) -> Venue:
    """A casting director or producer records a venue (kinds that fail the checklist may still be recorded)."""
    require_may_add_venue(actor)
    fields = _clean_venue(name, kind, address, timezone, meeting_url)
    venue = Venue(created_by_id=actor.id, **fields)
    db.session.add(venue)
    db.session.flush()
    audit.record("venue.created", venue, actor=actor,
                 data={"name": venue.name, "kind": venue.kind, "timezone": venue.timezone})
    return venue


def update_venue(venue: Venue, *, actor, **changes) -> list[str]:
    """Whoever recorded a venue edits it; only the fields given change. Every scheduled session held there must
    still pass its checklist (and a room holds one scheduled session at a time), else nothing changes and the
    sessions are named. Returns the names of the fields that changed."""
    require_may_edit_venue(venue, actor)
    unknown = set(changes) - set(VENUE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    merged = {k: getattr(venue, k) for k in VENUE_FIELDS} | changes
    fields = _clean_venue(**merged)
    changed = [k for k in VENUE_FIELDS if fields[k] != getattr(venue, k)]
    if not changed:
        return []
    before = {k: getattr(venue, k) for k in changed}
    checks = values_from(venue_changing, venue, actor=actor, change=f"This change to {venue.name}")
    for key in changed:
        setattr(venue, key, fields[key])
    db.session.flush()
    for check in checks:
        check(changed)
    audit.record("venue.updated", venue, actor=actor, data={"changed": changed, "before": before})
    return changed


def all_venues() -> sa.Select:
    """Venues, shared by every casting office, by name."""
    return sa.select(Venue).order_by(Venue.name, Venue.id)
