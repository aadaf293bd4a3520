"""The audit page: admins see everything, members their productions' entries. Newest first, paged by id.

Each entry is one readable line (audit/describe.py); the filters are a production's name, an action and a day."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import cache, lru_cache

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from casting.audit import access, actions
from casting.audit.api import parse_filters
from casting.audit.describe import describe, headline
from casting.audit.queries import keyset_page
from casting.audit.signals import production_titles, productions_titled
from casting.core.errors import ValidationError
from casting.core.signals import values_from

bp = Blueprint("audit", __name__)
PER_PAGE = 100
NAME_MAX = 200


def _page_filters() -> tuple[dict, str | None, str, str]:
    """The API's filters (action, keyset bounds) plus the page's own: ``production`` (part of a title) and
    ``since_date`` (a day, from its start in UTC). Returns (filters, error, production text, since text)."""
    error = None
    try:
        filters = parse_filters(keyset=("before", "after"))
    except ValidationError as exc:
        error = " ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message
        filters = {"production_id": None, "action": None, "since": None, "before": None, "after": None}
    if filters["action"] and filters["action"] not in actions.filter_choices():
        error, filters["action"] = "Choose an action from the list.", None
    since_text = (request.args.get("since_date") or "").strip()
    if since_text:
        try:
            day = date.fromisoformat(since_text)
            filters["since"] = datetime.combine(day, time(0), tzinfo=timezone.utc)
        except ValueError:
            error = "Give the day as a date, e.g. 2027-03-01."
    production_text = (request.args.get("production") or "").strip()[:NAME_MAX]
    return filters, error, production_text, since_text


@cache
def _action_choices() -> list[tuple[str, str]]:
    """The action filter's (code, words): fixed by the code (actions.py), so worded once."""
    return [(a, headline(a) if "." in a else f"Every {a.replace('_', ' ')} action") for a in actions.filter_choices()]


@lru_cache(maxsize=512)  # one per declared action and subject, at most
def _action_options(selected: str | None) -> Markup:
    """The action filter's <option>s with ``selected`` chosen, rendered once per process: they change only with
    the code."""
    return Markup(current_app.jinja_env.get_template("audit/_action_options.html")
                  .render(actions=_action_choices(), selected=selected))


@bp.get("/audit")
@login_required
def index():
    filters, error, production_text, since_text = _page_filters()
    scope = access.production_scope(current_user)
    if production_text:
        named = values_from(productions_titled, production_text, require=True)[0]
        scope = named if scope is None else named.where(named.selected_columns[0].in_(scope))
    page = keyset_page(scope, per_page=PER_PAGE, **filters)
    titles: dict[int, str] = {}
    for answer in values_from(production_titles, {e.production_id for e in page.items}):
        titles.update(answer)
    lines = [describe(e, titles) for e in page.items]
    return render_template("audit/index.html", lines=lines, older=page.older, newer=page.newer,
                           filters=filters, action_options=_action_options(filters["action"]), error=error, production_text=production_text,
                           since_text=since_text)
