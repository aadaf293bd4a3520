"""Headers on every response, the one rule for where a redirect may go, and the one rule for control
characters in input.

The policy allows scripts, styles, images and fonts from this site only (no inline script or style:
``static/js/app.js`` does what inline handlers did), and no framing, so the signing form cannot be
put inside another site's page. Pages of a signed-in user, PDFs and calendar files are never cached.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_login import current_user

from casting.core.errors import ValidationError

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
# Sent unless the view set its own (a download's stricter policy, a guardian page's Referrer-Policy).
_DEFAULT_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
_DEFAULT_HEADERS_HSTS = (*_DEFAULT_HEADERS, ("Strict-Transport-Security", HSTS))


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
CONTROL_MESSAGE = "Text may not contain control characters."
LINE_BREAK_MESSAGE = "This field is one line: no line breaks or tabs."
# C0 controls and DEL. A multi-line text field (a textarea, an API ``text`` field) also takes tab, LF and CR.
CONTROL_CHARACTERS = r"\x00-\x1f\x7f"  # C0 controls and DEL: the one definition (mail headers and file names use it)
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_error(value, *, multiline: bool = False) -> str | None:
    """The one rule for control characters in text we are given, used by every form (``core.forms.Form``),
    every API body (``core.api``) and the query string and filenames (``refuse_control_characters``).

    The message to show, or None when ``value`` is clean. NUL is never accepted (PostgreSQL refuses it in
    text, SQLite stores it); no other C0 control either, except tab and newlines in a multi-line field.
    A single-line value (a name, an email, a title) takes none, so no CR/LF can reach an email header.
    Strings are checked, and the keys and items of JSON objects and lists (any nesting).
    """
    if isinstance(value, str):
        if "\x00" in value:
            return NUL_MESSAGE
        found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
        if found is None:
            return None
        return CONTROL_MESSAGE if multiline or found.group() not in "\t\n\r" else LINE_BREAK_MESSAGE
    if isinstance(value, dict):
        return next((e for k, v in value.items()
                     for e in (control_character_error(k), control_character_error(v, multiline=multiline)) if e),
                    None)
    if isinstance(value, list):
        return next((e for v in value if (e := control_character_error(v, multiline=multiline))), None)
    return None


def refuse_control_characters() -> None:
    """422 validation_error for a control character in the query string or an uploaded file's name, before
    any view runs (form fields and JSON bodies are checked where they are validated, so a form shows the
    error beside its field).

    PostgreSQL refuses NUL in text (a 500 after the work was done) and SQLite stores it; no text of ours
    has one, so it is refused the same on both databases."""
    errors: dict[str, list[str]] = {}
    for key, value in request.args.items(multi=True):
        if message := control_character_error(key) or control_character_error(value):
            errors.setdefault(key.replace("\x00", ""), []).append(message)
    for key, storage in request.files.items(multi=True):
        if message := control_character_error(storage.filename or ""):
            errors.setdefault(key, []).append(f"The file name: {message}")
    if errors:
        raise ValidationError(errors)


def secure_headers(response: Response, *, hsts: bool) -> Response:
    """Add the security headers a view has not set itself."""
    headers = response.headers
    # One pass over the names the view set (Headers.setdefault scans and raises KeyError per missing name).
    present = {name.lower() for name in headers.keys()}
    for name, value in (_DEFAULT_HEADERS_HSTS if hsts else _DEFAULT_HEADERS):
        if name.lower() not in present:
            headers.add(name, value)
    signed_in = bool(getattr(current_user, "is_authenticated", False))
    if signed_in or response.mimetype in PRIVATE_TYPES:
        headers["Cache-Control"] = "private, no-store"
        headers.add_header("Vary", "Cookie")
    return response


def register(app: Flask) -> None:
    """Send the security headers on every response of ``app``."""
    app.before_request(refuse_control_characters)
    hsts = bool(app.config.get("SESSION_COOKIE_SECURE"))
    app.after_request(lambda response: secure_headers(response, hsts=hsts))
