"""Translate errors once: JSON bodies for /api/, pages and flashes for the web UI.

Also the one commit (or rollback) per request, and the audit of blocked attempts,
written in their own transaction after the rollback.
"""
from __future__ import annotations

from flask import flash, g, jsonify, redirect, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from casting.core.aftercommit import run_after_commit
from casting.core.auth import current_actor, is_api_request
from casting.core.database import begin_writing
from casting.core.errors import DomainError, Duplicate, RateLimited, TooLarge
from casting.core.signals import request_refused
from casting.extensions import db

HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "invalid_state", 413: "too_large",
              415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited"}


def audit_blocked(exc: DomainError) -> None:
    """Record a refused write (or any 403) after rolling the attempt back."""
    db.session.rollback()
    g.refusal_audited = True
    if request.method in ("GET", "HEAD", "OPTIONS") and exc.status != 403:
        return
    if exc.status in (401,):
        return
    # A refused read writes too: begun as a reader (plain BEGIN), its insert would have to upgrade the lock
    # while another writer holds it, and SQLite answers "database is locked" at once rather than wait.
    begin_writing()
    action = exc.audit_action or f"blocked.{exc.code}"
    data = {"method": request.method, "path": request.path, "code": exc.code, "message": exc.message}
    if exc.details:
        data["details"] = exc.details
    try:
        request_refused.send(exc, action=action, entity=exc.entity, actor=current_actor(),
                             production_id=exc.production_id, data=data)
        db.session.commit()
    except Exception:  # the refusal must still reach the caller
        db.session.rollback()
        raise


def _html_error(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def handle_domain_error(exc: DomainError):
    audit_blocked(exc)
    if is_api_request():
        return jsonify(exc.to_dict()), exc.status
    if exc.status == 401:
        return redirect("/login?next=" + request.full_path.rstrip("?"))
    if exc.status in (403, 404, 429) or request.method == "GET":
        titles = {403: "Not allowed", 404: "Not found", 429: "Too many attempts"}
        return _html_error(exc.status, titles.get(exc.status, "Cannot do that"), exc.message)
    # A refused form action: say why on the page the user came from; nothing changed.
    flash(exc.message, "error")
    return redirect(request.referrer or "/"), 303


def handle_http_error(exc: HTTPException):
    if isinstance(exc, RequestEntityTooLarge):
        return handle_domain_error(TooLarge())
    if is_api_request():
        code = HTTP_CODES.get(exc.code or 500, "error")
        return jsonify({"error": {"code": code, "message": exc.description, "details": {}}}), exc.code
    return _html_error(exc.code or 500, exc.name, exc.description or "")


def handle_rate_limited(exc: RateLimitExceeded):
    # The documented 429 rate_limited body (and page), whichever limit was hit.
    return handle_domain_error(RateLimited())


def handle_csrf_error(exc: CSRFError):
    db.session.rollback()
    flash("Your form expired; please try again.", "error")
    return _html_error(400, "Form expired", "The form's security token was missing or expired. Go back, reload and try again.")


def handle_integrity_error(exc: IntegrityError):
    # Two requests raced past a uniqueness check: the loser gets a clean 409.
    return handle_domain_error(Duplicate("That already exists (it was just created by another request)."))


def commit_on_success(response):
    """One commit per request, for responses below 400; anything else rolls back. Work waiting for the
    commit (core/aftercommit.py, e.g. rendering the documents just reserved) runs right after it."""
    if response.status_code < 400:
        try:
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            return handle_integrity_error(exc)
        run_after_commit()
    else:
        db.session.rollback()
        if request.method not in ("GET", "HEAD", "OPTIONS") and not g.get("refusal_audited"):
            _audit_refused_form(response.status_code)
    return response


def _audit_refused_form(status: int) -> None:
    """A form re-rendered with errors (422) or another refusal a view returned itself:
    nothing changed, and the attempt is still on the record."""
    action = "blocked.validation_error" if status == 422 else f"blocked.http_{status}"
    request_refused.send(None, action=action, entity=None, actor=current_actor(), production_id=None,
                         data={"method": request.method, "path": request.path, "status": status})
    db.session.commit()


def register(app) -> None:
    """Install the error handlers and the per-request commit on ``app``."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.after_request(commit_on_success)
    # Registered after Flask-SQLAlchemy's own teardown, so it runs before the session is removed: work a CLI
    # command or script committed and did not run itself.
    app.teardown_appcontext(_run_left_over_work)


def _run_left_over_work(exc) -> None:
    if exc is None:
        run_after_commit()
