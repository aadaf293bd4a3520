"""Calls pages (placeholders until the feature is built)."""
from flask import Blueprint

from casting.core.templating import stub

bp = Blueprint("calls", __name__)


@bp.get("/calls/<int:call_id>")
@stub
def public_call(call_id: int):
    return "public_call (not built yet)"


@bp.get("/productions/<int:production_id>/calls")
@stub
def production_calls(production_id: int):
    return "production_calls (not built yet)"


@bp.get("/roles/<int:role_id>/shortlist")
@stub
def shortlist(role_id: int):
    return "shortlist (not built yet)"
