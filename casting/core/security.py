"""Headers on every response, the one rule for where a redirect may go, and no NUL characters in input.

The policy allows scripts, styles, images and fonts from this site only (no inline script or style:
``static/js/app.js`` does what inline handlers did), and no framing, so the signing form cannot be
put inside another site's page. Pages of a signed-in user, PDFs and calendar files are never cached.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_login import current_user

from casting.core.errors import BadRequest

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
PRIVATE_TYPES = ("application/pdf", "text/calendar", "text/csv")
HSTS = "max-age=31536000; includeSubDomains"


def safe_redirect_target(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Browsers drop tabs and newlines inside URLs and read ``\\`` as ``/``, so ``/\\t/evil.example`` and
    ``/\\evil.example`` both lead off-site: anything with a control character, a backslash, a scheme,
    a host or a leading ``//`` is refused.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


NUL_MESSAGE = "Text may not contain NUL characters."


def contains_nul(value) -> bool:
    """Whether a NUL character hides anywhere in ``value`` (strings, and the keys and items of JSON)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(v) for v in value)
    return False


def refuse_nul_bytes() -> None:
    """400 for a NUL character in the query string, a form field or an uploaded file's name.

    PostgreSQL refuses NUL in text (a 500 after the work was done) and SQLite stores it; no text of ours has
    one, so it is refused before any view runs, the same on both databases."""
    fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
    names = [f.filename or "" for f in request.files.values()]
    if any(contains_nul(k) or contains_nul(v) for k, v in fields) or any(contains_nul(n) for n in names):
        raise BadRequest(NUL_MESSAGE)


def secure_headers(response: Response, *, hsts: bool) -> Response:
    """Add the security headers a view has not set itself."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if hsts:
        headers.setdefault("Strict-Transport-Security", HSTS)
    signed_in = bool(getattr(current_user, "is_authenticated", False))
    if signed_in or response.mimetype in PRIVATE_TYPES:
        headers["Cache-Control"] = "private, no-store"
        headers.add_header("Vary", "Cookie")
    return response


def register(app: Flask) -> None:
    """Send the security headers on every response of ``app``."""
    app.before_request(refuse_nul_bytes)
    hsts = bool(app.config.get("SESSION_COOKIE_SECURE"))
    app.after_request(lambda response: secure_headers(response, hsts=hsts))
