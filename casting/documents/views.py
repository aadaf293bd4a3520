"""Document pages (to be built)."""
from flask import Blueprint

bp = Blueprint("documents", __name__)


@bp.get("/verify")
def verify_page():
    return "verify"
