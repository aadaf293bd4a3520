"""Open calls and submissions: drafting, publishing, applying.

Shortlists live in ``casting.calls.shortlists``.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from casting.audit import services as audit
from casting.calls.models import OpenCall, OpenCallStatus, ShortlistEntry, Submission
from casting.core.blobs import store_blob
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.core.errors import (
    CompanyUnverified,
    Duplicate,
    Forbidden,
    InvalidState,
    NotFound,
    ValidationError,
)
from casting.core.fees import fee_wording, refuse_fee_wording
from casting.core.uploads import Upload
from casting.extensions import db
from casting.productions.access import member_production_ids, require_manager, require_not_suspended
from casting.productions.models import Production, ProductionRole, ProductionRoleStatus
from casting.talent.profile import submission_media
from casting.talent.services import profile_of

# Most characters per field: the forms and the API specs take their limits from here.
OPEN_CALL_LIMITS = {"title": 200, "instructions": 5000}
SUBMISSION_LIMITS = {"note": 2000, "self_tape_url": 500}
INTIMACY_MESSAGE = ("{names}: roles involving nudity or intimacy are cast by invitation only and may not be in an "
                    "open call.")


def is_open(call: OpenCall, now: datetime | None = None) -> bool:
    """Published and not yet closed: talent may apply."""
    return call.status == OpenCallStatus.published and call.closes_at > (now or utcnow())


def _check_roles(production, role_ids: list[int]) -> list:
    if not role_ids:
        raise ValidationError({"role_ids": ["Choose at least one role."]})
    roles = db.session.scalars(sa.select(ProductionRole).where(ProductionRole.id.in_(set(role_ids)))).all()
    if len(roles) != len(set(role_ids)) or any(r.production_id != production.id for r in roles):
        raise ValidationError({"role_ids": ["Every role must be a role of this production."]})
    intimate = [r.name for r in roles if r.nudity_or_intimacy]
    if intimate:
        raise ValidationError({"role_ids": [INTIMACY_MESSAGE.format(names=", ".join(intimate))]})
    cast = [r.name for r in roles if r.status == ProductionRoleStatus.cast]
    if cast:
        raise ValidationError({"role_ids": [f"{', '.join(cast)}: already cast."]})
    return sorted(roles, key=lambda r: r.id)


def create_open_call(production, *, actor, title: str, role_ids: list[int], closes_at: datetime,
                     instructions: str = "") -> OpenCall:
    """A casting director drafts an open call for some of the production's roles."""
    require_manager(production, actor)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = ["This field is required."]
    elif len(title) > OPEN_CALL_LIMITS["title"]:
        errors["title"] = [f"At most {OPEN_CALL_LIMITS['title']} characters."]
    if closes_at is None or closes_at.tzinfo is None:
        errors["closes_at"] = ["Give the closing time with its timezone."]
    elif closes_at <= utcnow():
        errors["closes_at"] = ["Must be in the future."]
    instructions = (instructions or "").strip()
    if len(instructions) > OPEN_CALL_LIMITS["instructions"]:
        errors["instructions"] = [f"At most {OPEN_CALL_LIMITS['instructions']} characters."]
    if errors:
        raise ValidationError(errors)
    roles = _check_roles(production, role_ids)
    call = OpenCall(production_id=production.id, title=title, instructions=instructions,
                    closes_at=closes_at, status=OpenCallStatus.draft, created_by_id=actor.id)
    call.roles = roles
    db.session.add(call)
    db.session.flush()
    audit.record("open_call.created", call, actor=actor,
                 data={"title": title, "role_ids": [r.id for r in roles], "closes_at": closes_at})
    return call


def publish_open_call(call: OpenCall, *, actor) -> OpenCall:
    """Publish a draft: only for a verified company, still open, with no intimacy roles."""
    production = call.production
    require_manager(production, actor)
    if call.status != OpenCallStatus.draft:
        raise InvalidState("This open call is already published.", entity=call, production_id=production.id)
    if not production.company.verified:
        raise CompanyUnverified(
            "An admin must verify the production company before its open calls can be published.",
            entity=call, production_id=production.id)
    if call.closes_at <= utcnow():
        raise InvalidState("The closing time has passed; draft a new open call.", entity=call,
                           production_id=production.id)
    # A role may have been flagged after the call was drafted.
    roles = _check_roles(production, [r.id for r in call.roles])
    refuse_fee_wording({"title": call.title, "instructions": call.instructions}, entity=call,
                       production_id=production.id)
    _refuse_fee_wording_in_roles(roles, call)
    call.status = OpenCallStatus.published
    call.published_at = utcnow()
    db.session.flush()
    audit.record("open_call.published", call, actor=actor)
    return call


def _refuse_fee_wording_in_roles(roles, call: OpenCall) -> None:
    """Talent read the call's roles beside it: a role's name or description naming a fee refuses publishing."""
    named = [f"Role '{r.name}' mentions \"{found}\"." for r in roles
             if (found := fee_wording(f"{r.name}\n{r.description}"))]
    if named:
        raise ValidationError({"role_ids": [*named, "Talent never pay to audition: remove any wording about a fee, "
                                            "deposit, registration or other charge from the role first."]},
                              entity=call, production_id=call.production_id)


def close_open_call(call: OpenCall, *, actor) -> OpenCall:
    """Close a published call now: no more submissions."""
    require_manager(call.production, actor)
    if not is_open(call):
        raise InvalidState("This open call is not open.", entity=call, production_id=call.production_id)
    call.closes_at = utcnow()
    db.session.flush()
    audit.record("open_call.closed", call, actor=actor)
    return call


def check_can_apply(call: OpenCall, actor) -> None:
    """Refuse unless ``actor`` is a talent and the call is published and open."""
    if actor is None or not actor.is_talent:
        raise Forbidden("Only talent accounts apply to open calls.", entity=call, production_id=call.production_id)
    if call.status != OpenCallStatus.published:
        raise NotFound()
    if not is_open(call):
        raise InvalidState("This open call has closed.", entity=call, production_id=call.production_id)
    # A suspended production's open calls are frozen: they stay visible, saying so, and take no applications.
    require_not_suspended(call.production)


def submit(call: OpenCall, *, actor, role_id: int, note: str = "", headshot: Upload | None = None,
           resume: Upload | None = None, self_tape_url: str | None = None) -> Submission:
    """A talent applies to one role of a published, open call (one submission per role)."""
    check_can_apply(call, actor)
    role = next((r for r in call.roles if r.id == role_id), None)
    if role is None:
        raise ValidationError({"role_id": ["Choose one of the roles of this open call."]})
    if role.status == ProductionRoleStatus.cast:
        raise InvalidState(f"{role.name} has been cast; it no longer takes submissions.", entity=call,
                           production_id=call.production_id)
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if len(note) > SUBMISSION_LIMITS["note"]:
        errors["note"] = [f"At most {SUBMISSION_LIMITS['note']} characters."]
    url = (self_tape_url or "").strip() or None
    if url and (not url.startswith("https://") or len(url) > SUBMISSION_LIMITS["self_tape_url"]
                or any(c.isspace() for c in url)):
        errors["self_tape_url"] = [f"Must be an https:// link of at most {SUBMISSION_LIMITS['self_tape_url']} "
                                   "characters."]
    if errors:
        raise ValidationError(errors)
    if headshot is not None and not headshot.content_type.startswith("image/"):
        raise ValidationError({"headshot": ["Must be an image."]})
    if resume is not None and resume.content_type != "application/pdf":
        raise ValidationError({"resume": ["Must be a PDF."]})
    talent = profile_of(actor)
    lock_for_write()
    exists = db.session.scalar(sa.select(Submission.id).where(Submission.role_id == role_id,
                                                              Submission.talent_id == talent.id))
    if exists:
        raise Duplicate("You have already applied for this role.", entity=call, production_id=call.production_id)
    # A file sent with the application wins; otherwise the profile's primary headshot and résumé go with it
    # (the submission keeps that copy, whatever the profile later becomes).
    profile_headshot, profile_resume = submission_media(talent)
    headshot_sha = store_blob(headshot.data, headshot.content_type).sha256 if headshot else profile_headshot
    resume_sha = store_blob(resume.data, resume.content_type).sha256 if resume else profile_resume
    sub = Submission(open_call_id=call.id, role_id=role_id, talent_id=talent.id, note=note, self_tape_url=url,
                     headshot_sha256=headshot_sha, resume_sha256=resume_sha)
    db.session.add(sub)
    db.session.flush()
    audit.record("submission.created", sub, actor=actor, production_id=call.production_id,
                 data={"open_call_id": call.id, "role_id": role_id, "talent_id": talent.id,
                       "headshot": bool(headshot_sha), "resume": bool(resume_sha),
                       "from_profile": sorted(k for k, sent, used in (("headshot", headshot, headshot_sha),
                                                                      ("resume", resume, resume_sha))
                                              if used and not sent)})
    return sub


def submissions_query(call: OpenCall, role_id: int | None = None) -> sa.Select:
    """Submissions of a call, oldest first (optionally for one role)."""
    query = (sa.select(Submission).where(Submission.open_call_id == call.id)
             .options(joinedload(Submission.talent), joinedload(Submission.role)))
    if role_id is not None:
        query = query.where(Submission.role_id == role_id)
    return query.order_by(Submission.created_at, Submission.id)


def submissions_of_talent_query(talent) -> sa.Select:
    """A talent's own submissions, newest first, as a select (with the role and call each is for)."""
    return (sa.select(Submission).where(Submission.talent_id == talent.id)
            .options(joinedload(Submission.role), joinedload(Submission.open_call).joinedload(OpenCall.production))
            .order_by(Submission.created_at.desc(), Submission.id.desc()))


# How many of a talent's submissions and shortlist entries a profile page shows (the newest).
HISTORY_LIMIT = 50


def submissions_of_talent(talent, limit: int = HISTORY_LIMIT) -> list[Submission]:
    """A talent's ``limit`` newest submissions."""
    return list(db.session.scalars(submissions_of_talent_query(talent).limit(limit)))


def call_options() -> tuple:
    """What a list of open calls shows with each: its roles, production and company."""
    return selectinload(OpenCall.roles), joinedload(OpenCall.production).joinedload(Production.company)


def calls_of_production_query(production) -> sa.Select:
    """A production's open calls, newest first, as a select (with their roles and company)."""
    return (sa.select(OpenCall).where(OpenCall.production_id == production.id)
            .options(*call_options())
            .order_by(OpenCall.created_at.desc(), OpenCall.id.desc()))


def calls_of_production(production) -> list[OpenCall]:
    """A production's open calls, newest first."""
    return list(db.session.scalars(calls_of_production_query(production)))


def talent_history(profile, user) -> tuple[list[Submission], list[ShortlistEntry]]:
    """The talent's HISTORY_LIMIT newest submissions and shortlist entries in productions ``user`` sees (admins:
    all), with the roles, calls and productions they name."""
    subs = sa.select(Submission).join(OpenCall, OpenCall.id == Submission.open_call_id) \
        .where(Submission.talent_id == profile.id) \
        .options(joinedload(Submission.role), joinedload(Submission.open_call).joinedload(OpenCall.production))
    entries = sa.select(ShortlistEntry).join(ProductionRole, ProductionRole.id == ShortlistEntry.role_id) \
        .where(ShortlistEntry.talent_id == profile.id) \
        .options(joinedload(ShortlistEntry.role).joinedload(ProductionRole.production))
    if not user.is_admin:
        subs = subs.where(OpenCall.production_id.in_(member_production_ids(user)))
        entries = entries.where(ProductionRole.production_id.in_(member_production_ids(user)))
    return (list(db.session.scalars(subs.order_by(Submission.created_at.desc(), Submission.id.desc())
                                    .limit(HISTORY_LIMIT))),
            list(db.session.scalars(entries.order_by(ShortlistEntry.id.desc()).limit(HISTORY_LIMIT))))
