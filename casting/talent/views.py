"""Talent pages (to be built)."""
from flask import Blueprint

bp = Blueprint("talent", __name__)


@bp.get("/me/callbacks")
def portal():
    return "portal"


@bp.get("/me/profile")
def me():
    return "me"
