"""JSON API: productions and their members, roles, sides and venues."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request
from sqlalchemy.orm import selectinload

from casting.accounts.models import User
from casting.core.api import (
    Field,
    api_blueprint,
    created,
    json_body,
    paginate,
    validate,
)
from casting.core.auth import current_actor
from casting.core.errors import NotFound, ValidationError
from casting.core.permissions import get_or_404, require_staff
from casting.extensions import db
from casting.productions import access, services
from casting.productions.access import (
    managed_production,
    managed_role,
    require_may_add_venue,
    require_may_create,
    require_venue_reader,
    visible_production,
    visible_role,
    visible_side,
)
from casting.productions.models import ProductionRole, Venue
from casting.productions.serializers import (
    production_json,
    production_options,
    role_json,
    side_json,
    venue_json,
)
from casting.productions.sides import download_side

bp = api_blueprint("productions_api", __name__)

PRODUCTION_SPEC = {
    "title": Field(max_length=services.PRODUCTION_LIMITS["title"]), "company_id": Field("int", min_value=1),
    "kind": Field(choices=services.KINDS),
    "description": Field("text", max_length=services.PRODUCTION_LIMITS["description"]),
    "safeguarding_contact": Field(max_length=services.PRODUCTION_LIMITS["safeguarding_contact"]),
}
ROLE_SPEC = {
    "name": Field(max_length=services.ROLE_LIMITS["name"]),
    "description": Field("text", max_length=services.ROLE_LIMITS["description"]),
    "age_min": Field("int", required=False, nullable=True, min_value=services.ROLE_RANGES["age_min"][0],
                     max_value=services.ROLE_RANGES["age_min"][1]),
    "age_max": Field("int", required=False, nullable=True, min_value=services.ROLE_RANGES["age_max"][0],
                     max_value=services.ROLE_RANGES["age_max"][1]),
    "nudity_or_intimacy": Field("bool"),
    "nudity_or_intimacy_details": Field("text", required=False, nullable=True,
                                        max_length=services.ROLE_LIMITS["nudity_or_intimacy_details"]),
    "compensation": Field("text", required=False, nullable=True, max_length=services.ROLE_LIMITS["compensation"]),
}
VENUE_SPEC = {
    "name": Field(max_length=services.VENUE_LIMITS["name"]), "kind": Field(choices=services.VENUE_KINDS),
    "address": Field("text", required=False, max_length=services.VENUE_LIMITS["address"], default=""),
    "timezone": Field(max_length=services.VENUE_LIMITS["timezone"]),
    "meeting_url": Field(required=False, nullable=True, max_length=services.VENUE_LIMITS["meeting_url"]),
}


@bp.post("/productions")
def create():
    actor = current_actor()
    require_may_create(actor)
    data = validate(json_body(), PRODUCTION_SPEC)
    return created(production_json(services.create_production(actor=actor, **data)))


@bp.get("/productions")
def index():
    actor = current_actor()
    if not actor.is_admin:
        require_staff(actor)
    return paginate(services.productions_for(actor).options(*production_options()), production_json)


@bp.get("/productions/<int:production_id>")
def get(production_id: int):
    production = visible_production(production_id, current_actor(), options=production_options())
    # Already loaded without them (the same session read it first)? Read the roles' sides in one query.
    roles = db.session.scalars(sa.select(ProductionRole).where(ProductionRole.production_id == production.id)
                               .options(selectinload(ProductionRole.sides)).order_by(ProductionRole.id)
                               .execution_options(populate_existing=True)).all()
    return jsonify(production_json(production, roles))


@bp.post("/productions/<int:production_id>/members")
def add_member(production_id: int):
    actor = current_actor()
    production = managed_production(production_id, actor)
    data = validate(json_body(), {"user_id": Field("int", min_value=1), "role": Field(choices=services.MEMBER_ROLES)})
    member = services.add_member(production, db.session.get(User, data["user_id"]), data["role"], actor=actor)
    return created({"production_id": production.id, "user_id": member.user_id, "role": member.role,
                    "name": member.user.name})


@bp.post("/productions/<int:production_id>/roles")
def create_role(production_id: int):
    actor = current_actor()
    production = managed_production(production_id, actor)
    data = validate(json_body(), ROLE_SPEC)
    return created(role_json(services.create_role(production, actor=actor, **data)))


@bp.get("/productions/<int:production_id>/roles")
def list_roles(production_id: int):
    production = visible_production(production_id, current_actor())
    return paginate(sa.select(ProductionRole).where(ProductionRole.production_id == production.id)
                    .options(selectinload(ProductionRole.sides)).order_by(ProductionRole.id), role_json)


@bp.get("/roles/<int:role_id>")
def get_role(role_id: int):
    return jsonify(role_json(visible_role(role_id, current_actor())))


@bp.patch("/roles/<int:role_id>")
def update_role(role_id: int):
    actor = current_actor()
    role = managed_role(role_id, actor)
    body = json_body()
    unknown = sorted(set(body) - set(ROLE_SPEC))
    if unknown:
        raise ValidationError({name: ["Unknown or read-only field."] for name in unknown})
    data = validate(body, ROLE_SPEC, partial=True)
    return jsonify(role_json(services.update_role(role, actor=actor, **data)))


@bp.post("/roles/<int:role_id>/sides")
def upload_side(role_id: int):
    actor = current_actor()
    role = visible_role(role_id, actor)
    return created(side_json(services.upload_side(role, request.files.get("file"), actor=actor)))


@bp.get("/sides/<int:side_id>/pdf")
def side_pdf(side_id: int):
    actor = current_actor()
    return download_side(visible_side(side_id, actor), actor)


@bp.post("/venues")
def create_venue():
    actor = current_actor()
    require_may_add_venue(actor)
    data = validate(json_body(), VENUE_SPEC)
    return created(venue_json(services.create_venue(actor=actor, **data)))


@bp.get("/venues")
def venues():
    actor = current_actor()
    require_venue_reader(actor)
    return paginate(services.all_venues(), venue_json)


@bp.get("/venues/<int:venue_id>")
def venue(venue_id: int):
    actor = current_actor()
    if not access.can_see_venues(actor):
        raise NotFound()
    return jsonify(venue_json(get_or_404(Venue, venue_id)))
