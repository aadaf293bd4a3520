"""Public pages: home, the safety page, published open calls."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from sqlalchemy.exc import SQLAlchemyError

from casting.calls.models import OpenCall, OpenCallStatus
from casting.core.auth import public
from casting.core.db import utcnow
from casting.extensions import db

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def home():
    return render_template("public/home.html")


@bp.get("/safety")
@public
def safety():
    return render_template("public/safety.html")


@bp.get("/calls")
@public
def open_calls():
    calls = db.session.scalars(
        sa.select(OpenCall).where(OpenCall.status == OpenCallStatus.published, OpenCall.closes_at > utcnow())
        .order_by(OpenCall.closes_at)
    ).all()
    return render_template("public/open_calls.html", calls=calls)


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
