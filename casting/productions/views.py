"""Production pages (to be built)."""
from flask import Blueprint

bp = Blueprint("productions", __name__)


@bp.get("/productions")
def index():
    return "productions"


@bp.get("/venues")
def venues():
    return "venues"
