"""Decisions pages (placeholders until the feature is built)."""
from flask import Blueprint

from casting.core.templating import stub

bp = Blueprint("decisions", __name__)


@bp.get("/productions/<int:production_id>/board")
@stub
def board(production_id: int):
    return "board (not built yet)"


@bp.get("/productions/<int:production_id>/review")
@stub
def review(production_id: int):
    return "review (not built yet)"
