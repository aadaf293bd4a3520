"""Documents pages (placeholders until the feature is built)."""
from flask import Blueprint

from casting.core.templating import stub

bp = Blueprint("documents", __name__)


@bp.get("/verify")
@stub
def verify_page():
    return "verify_page (not built yet)"
