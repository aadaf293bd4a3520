"""Talent pages (placeholders until the feature is built)."""
from flask import Blueprint

from casting.core.templating import stub

bp = Blueprint("talent", __name__)


@bp.get("/me/callbacks")
@stub
def portal():
    return "portal (not built yet)"


@bp.get("/me/profile")
@stub
def me():
    return "me (not built yet)"


@bp.get("/talent/<int:talent_id>")
@stub
def detail(talent_id: int):
    return "detail (not built yet)"
