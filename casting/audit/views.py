"""The audit page: admins see everything, members their productions' entries. Newest first, paged by id."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from casting.audit import access, actions
from casting.audit.api import parse_filters
from casting.audit.queries import keyset_page
from casting.core.errors import ValidationError

bp = Blueprint("audit", __name__)
PER_PAGE = 100


@bp.get("/audit")
@login_required
def index():
    error = None
    try:
        filters = parse_filters(keyset=("before", "after"))
    except ValidationError as exc:
        error = exc.message
        filters = {"production_id": None, "action": None, "since": None, "before": None, "after": None}
    page = keyset_page(access.production_scope(current_user), per_page=PER_PAGE, **filters)
    return render_template("audit/index.html", entries=page.items, older=page.older, newer=page.newer,
                           filters=filters, actions=actions.filter_choices(), error=error)
