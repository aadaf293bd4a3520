"""JSON API: companies, their members, logo and verification."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy.orm import selectinload

from casting.accounts.models import User
from casting.companies import access, services
from casting.companies.models import Company, CompanyMember
from casting.core.api import (
    Field,
    api_blueprint,
    created,
    iso,
    json_body,
    paginate,
    validate,
)
from casting.core.auth import current_actor
from casting.extensions import db

bp = api_blueprint("companies_api", __name__)

COMPANY_FIELDS = {
    "legal_name": Field(max_length=services.COMPANY_LIMITS["legal_name"]),
    "registration_number": Field(max_length=services.COMPANY_LIMITS["registration_number"]),
    "address": Field("text", max_length=services.COMPANY_LIMITS["address"]),
    "website": Field(required=False, max_length=services.COMPANY_LIMITS["website"], default=""),
    "phone": Field(required=False, max_length=services.COMPANY_LIMITS["phone"], default=""),
    "email": Field(required=False, max_length=services.COMPANY_LIMITS["email"], default=""),
}
VERIFY_FIELDS = {"evidence": Field("text", max_length=services.VERIFICATION_LIMITS["evidence"])}


def company_json(c: Company) -> dict:
    return {
        "id": c.id, "legal_name": c.legal_name, "registration_number": c.registration_number, "address": c.address,
        "website": c.website, "phone": c.phone, "email": c.email, "verified": c.verified,
        "verified_by": c.verified_by_id, "verified_at": iso(c.verified_at), "verification_evidence":
        c.verification_evidence, "created_by": c.created_by_id, "created_at": iso(c.created_at),
        "logo_sha256": c.logo_sha256,
        "members": [{"user_id": m.user_id, "name": m.user.name, "added_at": iso(m.created_at)} for m in c.members],
    }


@bp.post("/companies")
def create():
    access.require_may_create(current_actor())
    data = validate(json_body(), COMPANY_FIELDS)
    company = services.create_company(actor=current_actor(), **{k: v or "" for k, v in data.items()})
    return created(company_json(company))


@bp.get("/companies")
def index():
    actor = current_actor()
    access.require_may_create(actor)
    return paginate(services.companies_for(actor).options(
        selectinload(Company.members).joinedload(CompanyMember.user)), company_json)


@bp.get("/companies/<int:company_id>")
def get(company_id: int):
    return jsonify(company_json(access.visible_company(company_id, current_actor())))


@bp.post("/companies/<int:company_id>/members")
def add_member(company_id: int):
    actor = current_actor()
    company = access.member_company(company_id, actor)
    data = validate(json_body(), {"user_id": Field("int", min_value=1)})
    member = services.add_member(company, db.session.get(User, data["user_id"]), actor=actor)
    return created({"company_id": company.id, "user_id": member.user_id, "added_at": iso(member.created_at)})


@bp.post("/companies/<int:company_id>/logo")
def upload_logo(company_id: int):
    actor = current_actor()
    company = access.visible_company(company_id, actor)
    services.set_logo(company, request.files.get("file"), actor=actor)
    return jsonify(company_json(company))


@bp.post("/companies/<int:company_id>/verify")
def verify(company_id: int):
    actor = current_actor()
    company = access.visible_company(company_id, actor)
    access.require_may_verify(company, actor)
    data = validate(json_body(), VERIFY_FIELDS)
    services.verify_company(company, data["evidence"], actor=actor)
    return jsonify(company_json(company))
