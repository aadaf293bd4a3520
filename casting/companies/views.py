"""Companies pages (placeholders until the feature is built)."""
from flask import Blueprint

from casting.core.templating import stub

bp = Blueprint("companies", __name__)


@bp.get("/companies")
@stub
def index():
    return "index (not built yet)"
