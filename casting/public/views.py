"""Public pages: home, the safety page, published open calls."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from casting.calls.models import OpenCall, OpenCallStatus
from casting.calls.services import call_options
from casting.core.auth import public
from casting.core.db import utcnow
from casting.core.pagination import page_args, paginate
from casting.extensions import db

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def home():
    return render_template("public/home.html")


@bp.get("/safety")
@public
def safety():
    # Regional channels come from settings (CASTING_REPORT_CHANNELS): the installation's country first.
    country = current_app.config.get("CASTING_COUNTRY", "")
    channels = sorted(current_app.config.get("CASTING_REPORT_CHANNELS") or [],
                      key=lambda c: (c.get("country") != country, c.get("country", ""), c.get("region", "")))
    return render_template("public/safety.html", channels=channels)


CALLS_PER_PAGE = 50


@bp.get("/calls")
@public
def open_calls():
    query = (sa.select(OpenCall).where(OpenCall.status == OpenCallStatus.published, OpenCall.closes_at > utcnow())
             .options(*call_options()).order_by(OpenCall.closes_at, OpenCall.id))
    page = paginate(query, *page_args(request.args, per_page=CALLS_PER_PAGE, lenient=True))
    return render_template("public/open_calls.html", calls=page.items, page=page)


@bp.get("/healthz")
@public
def healthz():
    """200 ``{ok: true}`` when the database answers, 503 ``{ok: false}`` when it does not (for load balancers
    and monitors: no page, no session, nothing cached)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("healthz: the database does not answer")
        return {"ok": False}, 503, {"Cache-Control": "no-store"}
    return {"ok": True}, 200, {"Cache-Control": "no-store"}
