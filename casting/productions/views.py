"""Productions pages (placeholders until the feature is built)."""
from flask import Blueprint

from casting.core.templating import stub

bp = Blueprint("productions", __name__)


@bp.get("/productions")
@stub
def index():
    return "index (not built yet)"


@bp.get("/venues")
@stub
def venues():
    return "venues (not built yet)"


@bp.get("/productions/<int:production_id>")
@stub
def detail(production_id: int):
    return "detail (not built yet)"


@bp.get("/roles/<int:role_id>")
@stub
def role_detail(role_id: int):
    return "role_detail (not built yet)"
