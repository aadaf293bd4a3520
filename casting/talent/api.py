"""JSON API: talent profiles."""
from __future__ import annotations

from flask import jsonify, request, url_for

from casting.core.api import Field, api_blueprint, created, iso, json_body, page_of, validate
from casting.core.auth import current_actor
from casting.core.errors import ValidationError
from casting.core.uploads import check_image, check_pdf
from casting.talent import access, files, profile, search, services
from casting.talent.access import visible_talent
from casting.talent.models import MediaVisibility, TalentProfile

bp = api_blueprint("talent_api", __name__)

PROFILE_FIELDS = {
    "legal_name": Field(max_length=services.TALENT_LIMITS["legal_name"]),
    "professional_name": Field(required=False, max_length=services.TALENT_LIMITS["professional_name"], nullable=True),
    "email": Field("email", max_length=services.TALENT_LIMITS["email"]),
    "date_of_birth": Field("date", required=False, nullable=True),
    "guardian_name": Field(required=False, max_length=services.TALENT_LIMITS["guardian_name"], nullable=True),
    "guardian_email": Field("email", required=False, max_length=services.TALENT_LIMITS["guardian_email"],
                            nullable=True),
    "agent": Field(required=False, max_length=services.TALENT_LIMITS["agent"], nullable=True),
    "phone": Field(required=False, max_length=services.TALENT_LIMITS["phone"], nullable=True),
}


LIMITS = profile.PROFILE_LIMITS
DETAILS_FIELDS = {
    "professional_name": Field(required=False, max_length=services.TALENT_LIMITS["professional_name"], nullable=True),
    "location": Field(required=False, max_length=LIMITS["location"], nullable=True),
    "pronouns": Field(required=False, max_length=LIMITS["pronouns"], nullable=True),
    "playing_age_min": Field("int", required=False, nullable=True, min_value=profile.PLAYING_AGE_RANGE[0],
                             max_value=profile.PLAYING_AGE_RANGE[1]),
    "playing_age_max": Field("int", required=False, nullable=True, min_value=profile.PLAYING_AGE_RANGE[0],
                             max_value=profile.PLAYING_AGE_RANGE[1]),
    "reel_url": Field("url", required=False, max_length=LIMITS["reel_url"], nullable=True),
    "bio": Field("text", required=False, max_length=LIMITS["bio"], nullable=True),
    "access_needs": Field("text", required=False, max_length=LIMITS["access_needs"], nullable=True),
    "resume_visibility": Field(required=False, choices=list(MediaVisibility)),
    "reel_visibility": Field(required=False, choices=list(MediaVisibility)),
}
# Lists of short texts (core.api has no such Field kind): type-checked here, cleaned by talent/profile.py.
LIST_FIELDS = {"skills": LIMITS["skill"], "unions": LIMITS["union"], "self_tape_urls": LIMITS["self_tape_url"]}


def _details_input() -> dict:
    body = json_body()
    data = validate(body, DETAILS_FIELDS, partial=True)
    errors = {}
    for name in LIST_FIELDS:
        if name not in body:
            continue
        value = body[name]
        if value is not None and (not isinstance(value, list) or any(not isinstance(v, str) for v in value)):
            errors[name] = ["Must be a list of strings."]
        else:
            data[name] = value or []
    if errors:
        raise ValidationError(errors)
    return data


def _profile_json(t: TalentProfile, viewer) -> dict:
    """The reusable profile, with the private parts ``viewer`` may read (talent/access.py) and null for the rest."""
    parts = access.private_parts(t, viewer)
    reel = access.REEL in parts
    return {
        "location": t.location, "pronouns": t.pronouns, "playing_age_min": t.playing_age_min,
        "playing_age_max": t.playing_age_max, "bio": t.bio,
        "skills": [x.label for x in t.skills], "unions": [x.label for x in t.unions],
        "headshots": [{"id": h.id, "primary": h.is_primary, "content_type": h.content_type,
                       "url": url_for("talent_api.headshot", talent_id=t.id, headshot_id=h.id)}
                      for h in sorted(t.headshots, key=lambda h: (not h.is_primary, h.id))],
        "reel_url": t.reel_url if reel else None,
        "self_tape_urls": list(t.self_tape_urls or []) if reel else [],
        "resume_url": url_for("talent_api.resume", talent_id=t.id)
        if access.RESUME in parts and t.resume_sha256 else None,
        "access_needs": t.access_needs if access.ACCESS_NEEDS in parts else None,
        "resume_visibility": t.resume_visibility, "reel_visibility": t.reel_visibility,
        # What the caller may not read (so an empty value is not taken for "none given").
        "hidden": sorted(access.PRIVATE_PARTS - parts),
    }


def talent_json(t: TalentProfile, viewer=None) -> dict:
    """A talent profile as ``viewer`` may read it (the talent themselves when None)."""
    return {
        "id": t.id, "user_id": t.user_id, "legal_name": t.legal_name, "professional_name": t.professional_name,
        "email": t.email, "date_of_birth": t.date_of_birth.isoformat() if t.date_of_birth else None,
        "guardian_name": t.guardian_name, "guardian_email": t.guardian_email, "agent": t.agent,
        "claimed": t.user_id is not None, "created_at": iso(t.created_at),
        "guardian_phone": t.guardian_phone,
        # A talent's own change of date of birth that would make a minor an adult waits for a casting office.
        "date_of_birth_pending": t.date_of_birth_pending,
        "pending_date_of_birth": t.pending_date_of_birth.isoformat() if t.pending_date_of_birth else None,
        "pending_date_of_birth_at": iso(t.pending_date_of_birth_at) if t.pending_date_of_birth_at else None,
        # Safeguarding fields set by a casting office or an admin: the talent cannot change them.
        "locked_fields": sorted(services.locked_fields(t)),
        **_profile_json(t, viewer if viewer is not None else t.user),
    }


def search_json(t: TalentProfile, headshots: dict[int, int]) -> dict:
    """One search result: who, where, what they play, and their primary headshot."""
    headshot_id = headshots.get(t.id)
    return {
        "id": t.id, "legal_name": t.legal_name, "professional_name": t.professional_name,
        "display_name": t.display_name, "email": t.email, "location": t.location, "pronouns": t.pronouns,
        "playing_age_min": t.playing_age_min, "playing_age_max": t.playing_age_max,
        "skills": [x.label for x in t.skills], "unions": [x.label for x in t.unions],
        "headshot_url": url_for("talent_api.headshot", talent_id=t.id, headshot_id=headshot_id)
        if headshot_id else None,
        "created_at": iso(t.created_at),
    }


@bp.post("/talent")
def create():
    actor = current_actor()
    data = validate(json_body(), PROFILE_FIELDS)
    return created(talent_json(services.create_talent(actor=actor, **data), actor))


@bp.get("/talent")
def search_talent():
    actor = current_actor()
    filters = search.require_valid(search.parse_filters(request.args))
    query = search.search_query(actor, filters)
    out = page_of(query, lambda t: t)
    headshots = search.primary_headshots([t.id for t in out["items"]])
    out["items"] = [search_json(t, headshots) for t in out["items"]]
    return jsonify(out)


@bp.get("/talent/<int:talent_id>")
def get(talent_id: int):
    actor = current_actor()
    return jsonify(talent_json(visible_talent(talent_id, actor), actor))


@bp.get("/talent/<int:talent_id>/headshots/<int:headshot_id>")
def headshot(talent_id: int, headshot_id: int):
    return files.headshot_response(talent_id, headshot_id, current_actor(), thumb=request.args.get("size") == "small")


@bp.get("/talent/<int:talent_id>/resume")
def resume(talent_id: int):
    actor = current_actor()
    return files.resume_response(visible_talent(talent_id, actor), actor)


@bp.get("/me/talent")
def me():
    actor = current_actor()
    return jsonify(talent_json(services.profile_of(actor), actor))


@bp.patch("/me/talent")
def update_me():
    actor = current_actor()
    own = services.profile_of(actor)
    return jsonify(talent_json(profile.update_profile_details(own, actor=actor, **_details_input()), actor))


@bp.post("/me/talent/headshots")
def add_headshot():
    actor = current_actor()
    own = services.profile_of(actor)
    shot = profile.add_headshot(own, check_image(request.files.get("file")), actor=actor)
    return created({"id": shot.id, "primary": shot.is_primary,
                    "url": url_for("talent_api.headshot", talent_id=own.id, headshot_id=shot.id)})


@bp.post("/me/talent/headshots/<int:headshot_id>/primary")
def primary_headshot(headshot_id: int):
    actor = current_actor()
    own = services.profile_of(actor)
    profile.set_primary_headshot(own, headshot_id, actor=actor)
    return jsonify(talent_json(own, actor))


@bp.delete("/me/talent/headshots/<int:headshot_id>")
def delete_headshot(headshot_id: int):
    actor = current_actor()
    profile.delete_headshot(services.profile_of(actor), headshot_id, actor=actor)
    return "", 204


@bp.post("/me/talent/resume")
def upload_resume():
    actor = current_actor()
    own = services.profile_of(actor)
    profile.set_resume(own, check_pdf(request.files.get("file")), actor=actor)
    return created({"resume_url": url_for("talent_api.resume", talent_id=own.id), "filename": own.resume_filename})


@bp.delete("/me/talent/resume")
def delete_resume():
    actor = current_actor()
    profile.delete_resume(services.profile_of(actor), actor=actor)
    return "", 204


@bp.post("/talent/<int:talent_id>/confirm-date-of-birth")
def confirm_date_of_birth(talent_id: int):
    actor = current_actor()
    confirmed = services.confirm_date_of_birth(visible_talent(talent_id, actor), actor=actor)
    return jsonify(talent_json(confirmed, actor))
