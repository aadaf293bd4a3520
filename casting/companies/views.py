"""Company pages (to be built)."""
from flask import Blueprint

bp = Blueprint("companies", __name__)


@bp.get("/companies")
def index():
    return "companies"
