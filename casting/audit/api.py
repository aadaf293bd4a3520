"""JSON API: reading and verifying the audit log."""
from __future__ import annotations

import json

from flask import jsonify, request

from casting.audit import access, services
from casting.audit.queries import visible_entries
from casting.core.api import api_blueprint, iso, paginate, parse_query_datetime
from casting.core.auth import current_actor
from casting.core.errors import ValidationError

bp = api_blueprint("audit_api", __name__)


def entry_json(e) -> dict:
    return {"id": e.id, "created_at": iso(e.created_at), "actor_id": e.actor_id, "actor": e.actor_label,
            "action": e.action, "entity_type": e.entity_type, "entity_id": e.entity_id,
            "production_id": e.production_id, "data": json.loads(e.data), "prev_hash": e.prev_hash, "hash": e.hash}


def parse_filters() -> dict:
    """production_id, action and since from the query string, 422 when malformed."""
    errors, out = {}, {"production_id": None, "action": request.args.get("action") or None, "since": None}
    if request.args.get("production_id"):
        try:
            out["production_id"] = int(request.args["production_id"])
        except ValueError:
            errors["production_id"] = ["Must be an integer."]
    if request.args.get("since"):
        try:
            out["since"] = parse_query_datetime(request.args["since"])
        except ValueError as exc:
            errors["since"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return out


@bp.get("/audit")
def list_entries():
    return paginate(visible_entries(access.production_scope(current_actor()), **parse_filters()), entry_json)


@bp.get("/audit/verify")
def verify():
    access.require_admin(current_actor())
    result = services.verify_chain()
    return jsonify({"ok": result.ok, "entries": result.count, "head": result.head,
                    "first_bad_id": result.bad_id, "reason": result.reason or None})
