"""Talent pages (placeholders until the feature is built)."""
from flask import Blueprint
from flask_login import login_required

from casting.core.templating import stub

bp = Blueprint("talent", __name__)


@bp.get("/me/callbacks")
@login_required
def portal():
    from casting.callbacks.portal import render_portal

    return render_portal()


@bp.get("/me/profile")
@stub
def me():
    return "me (not built yet)"


@bp.get("/talent/<int:talent_id>")
@stub
def detail(talent_id: int):
    return "detail (not built yet)"
