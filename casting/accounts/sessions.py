"""Sign-in sessions that end on the server: a per-account generation, our own remember-me cookie, idle timeout.

How a browser is signed in:

- The Flask session (a signed cookie) holds ``_user_id = "<id>:<session_version>"`` (``User.get_id``) and
  ``_seen``, the last time it was used. ``load_session_user`` (Flask-Login's ``user_loader``) accepts it only
  while the account is active and its ``session_version`` is still that number. Logout, a password change or
  reset, and disabling the account bump the number, so every session cookie issued before (a replayed copy
  included) stops authenticating, although the cookie itself lives in the browser.
- A session unused for longer than ``CASTING_IDLE_MINUTES`` is ended before the request runs
  (``end_idle_session``).
- "Keep me signed in" does not use Flask-Login's remember cookie: that one is the HMAC of ``get_id()``, the same
  for every sign-in of the account and impossible to revoke alone. ``sign_in(user, remember=True)`` instead
  makes a random token per sign-in, stores only its SHA-256 in ``remember_tokens`` (dead after
  ``REMEMBER_DAYS``), and sets it in our own cookie ``REMEMBER_COOKIE`` (HttpOnly, SameSite=Lax, Secure when
  ``SESSION_COOKIE_SECURE`` or ``REMEMBER_COOKIE_SECURE``). When a request has no valid session, Flask-Login
  calls its ``request_loader``, ``load_remembered_user``: a known, unexpired token of an active account signs the browser in again and is
  replaced by a new token with the same end (rotation: a stolen copy works at most until the owner's next use,
  and never past 30 days from the password sign-in). Logout deletes this browser's token; a password change or
  reset and disabling the account delete every token of the account (``end_sessions``).

The cookie is written by ``write_remember_cookie`` after the request's commit; the accounts blueprint
registers it and ``end_idle_session`` on the app. Sign a browser in with ``sign_in`` (not Flask-Login's
``login_user(remember=True)``, whose cookie ``write_remember_cookie`` deletes wherever it finds one); any ``login_user`` still starts the idle clock
(accounts/receivers.py connects ``note_sign_in`` to ``user_logged_in``).
"""
from __future__ import annotations

import secrets
import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Response, current_app, flash, g, request, session
from flask_login import login_user

from casting.accounts.models import RememberToken, User
from casting.core.auth import hash_token, is_api_request
from casting.core.database import session_is_writer
from casting.core.db import get_lean, utcnow
from casting.extensions import db

REMEMBER_COOKIE = "callback_remember"
REMEMBER_DAYS = 30
# Flask-Login's own remember cookie (never set by Callback): removed wherever a browser still carries one.
LEGACY_REMEMBER_COOKIE = "remember_token"
SEEN_KEY = "_seen"
# A session's last use is written down at most this often (each write re-sends the session cookie).
SEEN_EVERY_SECONDS = 60
SESSION_KEYS = ("_user_id", "_fresh", "_id", SEEN_KEY)


def sign_in(user: User, *, remember: bool = False) -> None:
    """Sign ``user`` in on this browser (a new session of the current generation), remembered if asked."""
    login_user(user)
    if remember:
        remember_browser(user, utcnow() + timedelta(days=REMEMBER_DAYS))


def remember_browser(user: User, expires_at: datetime) -> None:
    """Give this browser a new remember-me token ending at ``expires_at`` (in the request's transaction)."""
    token = secrets.token_urlsafe(32)
    db.session.execute(sa.delete(RememberToken).where(RememberToken.user_id == user.id,
                                                      RememberToken.expires_at <= utcnow()))
    db.session.add(RememberToken(user_id=user.id, token_hash=hash_token(token), expires_at=expires_at))
    db.session.flush()
    g.remember_cookie = (token, expires_at, True)


def remembered_until() -> datetime | None:
    """When this browser's remember-me token ends, if it carries a valid one of the signed-in account."""
    row = _token_row(request.cookies.get(REMEMBER_COOKIE))
    user_id = session.get("_user_id", "").partition(":")[0]
    return row.expires_at if row is not None and str(row.user_id) == user_id else None


def forget_browser() -> None:
    """Delete this browser's remember-me token on the server and its cookie."""
    cookie = request.cookies.get(REMEMBER_COOKIE)
    if cookie:
        db.session.execute(sa.delete(RememberToken).where(RememberToken.token_hash == hash_token(cookie)))
    g.remember_cookie = None


def end_sessions(user: User, *, keep_remembered: bool = False) -> None:
    """End every session of ``user`` (bump the generation); delete every remember-me token of the account,
    or, with ``keep_remembered``, leave them to the caller (logout deletes only this browser's)."""
    user.session_version = (user.session_version or 0) + 1
    if not keep_remembered:
        db.session.execute(sa.delete(RememberToken).where(RememberToken.user_id == user.id))
    db.session.flush()


def load_session_user(value: str) -> User | None:
    """Flask-Login's user_loader: the active user of ``"<id>:<generation>"`` while that generation is current."""
    user_id, sep, version = (value or "").partition(":")
    if not sep or not user_id.isdigit() or not version.isdigit():
        return None  # a session from before generations (or not ours) authenticates nobody
    user = get_lean(db.session, User, int(user_id))  # every signed-in request pays for this load
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def load_remembered_user(req) -> User | None:
    """Flask-Login's request_loader: sign the browser in again from its remember-me cookie, rotating the token."""
    if is_api_request():
        return None  # the API authenticates bearer tokens only
    cookie = req.cookies.get(REMEMBER_COOKIE)
    if not cookie:
        return None
    row = _token_row(cookie)
    user = db.session.get(User, row.user_id) if row is not None else None
    if user is None or not user.active:
        g.remember_cookie = None
        return None
    token = secrets.token_urlsafe(32)
    if not _rotate(row, token):
        return None  # another request used it first
    login_user(user, fresh=False)
    g.remember_cookie = (token, row.expires_at, session_is_writer())
    return user


def _token_row(cookie: str | None) -> RememberToken | None:
    if not cookie:
        return None
    row = db.session.scalar(sa.select(RememberToken).where(RememberToken.token_hash == hash_token(cookie)))
    return row if row is not None and row.expires_at > utcnow() else None


def _rotate(row: RememberToken, token: str) -> bool:
    """Replace ``row`` by ``token`` (same owner, same end); False if the row is already gone.

    A reading request writes it in its own short transaction on its own connection (as
    ``services._touch_token`` does, and for the same reason); a writing one in its own transaction.
    """
    table = RememberToken.__table__
    values = {"user_id": row.user_id, "token_hash": hash_token(token), "created_at": utcnow(),
              "expires_at": row.expires_at}
    if session_is_writer():
        gone = db.session.execute(table.delete().where(table.c.id == row.id)).rowcount
        if gone:
            db.session.execute(table.insert().values(**values))
        return bool(gone)
    with db.engine.begin() as conn:
        gone = conn.execute(table.delete().where(table.c.id == row.id)).rowcount
        if gone:
            conn.execute(table.insert().values(**values))
    return bool(gone)


def note_sign_in() -> None:
    """A session starts now (connected to Flask-Login's ``user_logged_in``, so every ``login_user`` counts)."""
    session[SEEN_KEY] = int(time.time())


def end_idle_session() -> None:
    """before_request: end a session left unused for longer than CASTING_IDLE_MINUTES; note a session's use."""
    if is_api_request() or "_user_id" not in session:
        return
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen > current_app.config["CASTING_IDLE_MINUTES"] * 60:
        for key in SESSION_KEYS:
            session.pop(key, None)
        if REMEMBER_COOKIE not in request.cookies:  # else the remember-me cookie signs the browser in again
                flash("You were signed out after a while without activity. Please sign in again.", "info")
    elif now - seen >= SEEN_EVERY_SECONDS:
        session[SEEN_KEY] = now


def write_remember_cookie(response: Response) -> Response:
    """after_request: set or clear the remember-me cookie as the request decided (after its commit)."""
    if LEGACY_REMEMBER_COOKIE in request.cookies:
        response.delete_cookie(LEGACY_REMEMBER_COOKIE)
    if "remember_cookie" not in g:
        return response
    decided = g.pop("remember_cookie")
    secure = bool(current_app.config.get("SESSION_COOKIE_SECURE") or current_app.config.get("REMEMBER_COOKIE_SECURE"))
    if decided is None:
        if REMEMBER_COOKIE in request.cookies:
            response.delete_cookie(REMEMBER_COOKIE, secure=secure, httponly=True, samesite="Lax")
        return response
    token, expires_at, in_request = decided
    if in_request and response.status_code >= 400:
        return response  # the request rolled back: the token was not stored, the old cookie still holds
    response.set_cookie(REMEMBER_COOKIE, token, expires=expires_at, secure=secure, httponly=True, samesite="Lax")
    return response
