"""JSON shapes of productions, roles, sides and venues, and the sides download response."""
from __future__ import annotations

from flask import Response
from sqlalchemy.orm import joinedload, selectinload

from casting.core.api import iso
from casting.core.blobs import load_blob
from casting.core.downloads import download
from casting.core.errors import NotFound
from casting.productions.models import (
    Production,
    ProductionMember,
    ProductionRole,
    Side,
    Venue,
)


def member_json(m: ProductionMember) -> dict:
    return {"user_id": m.user_id, "name": m.user.name, "role": m.role, "added_at": iso(m.created_at)}


def side_json(s: Side) -> dict:
    return {"id": s.id, "role_id": s.role_id, "filename": s.filename, "sha256": s.blob_sha256, "size": s.size,
            "pages": s.page_count, "uploaded_at": iso(s.created_at)}


def role_json(r: ProductionRole) -> dict:
    return {
        "id": r.id, "production_id": r.production_id, "name": r.name, "description": r.description,
        "age_min": r.age_min, "age_max": r.age_max, "nudity_or_intimacy": r.nudity_or_intimacy,
        "nudity_or_intimacy_details": r.nudity_or_intimacy_details, "compensation": r.compensation,
        "status": r.status, "created_at": iso(r.created_at), "sides": [side_json(s) for s in r.sides],
    }


def production_options() -> tuple:
    """What a production's JSON (and a list of them) reads, loaded with it: company, members, roles and sides."""
    return (joinedload(Production.company), selectinload(Production.members).joinedload(ProductionMember.user),
            selectinload(Production.roles).selectinload(ProductionRole.sides))


def production_json(p: Production, roles: list | None = None) -> dict:
    """A production; ``roles``: its roles with their sides, when read apart from it."""
    c = p.company
    return {
        "id": p.id, "title": p.title, "kind": p.kind, "description": p.description,
        "safeguarding_contact": p.safeguarding_contact, "company_id": p.company_id,
        "company": {"id": c.id, "legal_name": c.legal_name, "verified": c.verified},
        "created_by": p.created_by_id, "created_at": iso(p.created_at),
        "members": [member_json(m) for m in p.members],
        "roles": [{"id": r.id, "name": r.name, "status": r.status, "sides": len(r.sides)} for r in (p.roles if roles is None else roles)],
    }


def venue_json(v: Venue) -> dict:
    return {"id": v.id, "name": v.name, "kind": v.kind, "address": v.address, "timezone": v.timezone,
            "meeting_url": v.meeting_url, "created_by": v.created_by_id, "created_at": iso(v.created_at)}


def side_response(side: Side, *, inline: bool = False) -> Response:
    """The side's PDF bytes, as stored, under its upload name."""
    blob = load_blob(side.blob_sha256)
    if blob is None:
        raise NotFound()
    return download(blob.data, "application/pdf", side.filename or "sides.pdf", inline=inline)
