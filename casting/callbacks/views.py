"""Callbacks pages (placeholders until the feature is built)."""
from flask import Blueprint

from casting.core.templating import stub

bp = Blueprint("callbacks", __name__)


@bp.get("/productions/<int:production_id>/sessions")
@stub
def production_sessions(production_id: int):
    return "production_sessions (not built yet)"


@bp.get("/sessions/<int:session_id>")
@stub
def session_detail(session_id: int):
    return "session_detail (not built yet)"
