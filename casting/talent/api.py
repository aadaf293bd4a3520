"""JSON API: talent profiles."""
from __future__ import annotations

from flask import jsonify

from casting.core.api import Field, api_blueprint, created, iso, json_body, validate
from casting.core.auth import current_actor
from casting.talent import services
from casting.talent.access import visible_talent
from casting.talent.models import TalentProfile

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


def talent_json(t: TalentProfile) -> dict:
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
    }


@bp.post("/talent")
def create():
    data = validate(json_body(), PROFILE_FIELDS)
    profile = services.create_talent(actor=current_actor(), **data)
    return created(talent_json(profile))


@bp.get("/talent/<int:talent_id>")
def get(talent_id: int):
    return jsonify(talent_json(visible_talent(talent_id, current_actor())))


@bp.get("/me/talent")
def me():
    return jsonify(talent_json(services.profile_of(current_actor())))


@bp.post("/talent/<int:talent_id>/confirm-date-of-birth")
def confirm_date_of_birth(talent_id: int):
    actor = current_actor()
    profile = services.confirm_date_of_birth(visible_talent(talent_id, actor), actor=actor)
    return jsonify(talent_json(profile))
