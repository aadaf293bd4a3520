"""The audit page: admins see everything, members their productions' entries."""
from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from casting.audit import access
from casting.audit.api import parse_filters
from casting.audit.queries import distinct_actions, visible_entries
from casting.core.errors import ValidationError
from casting.core.pagination import page_args, paginate

bp = Blueprint("audit", __name__)
PER_PAGE = 100


@bp.get("/audit")
@login_required
def index():
    error = None
    try:
        filters = parse_filters()
    except ValidationError as exc:
        error, filters = exc.message, {"production_id": None, "action": None, "since": None}
    query = visible_entries(access.production_scope(current_user), **filters)
    page = paginate(query, *page_args(request.args, per_page=PER_PAGE, lenient=True))
    return render_template("audit/index.html", entries=page.items, has_next=page.has_next, page=page.page,
                           filters=filters, actions=distinct_actions(), error=error, loads=json.loads)
