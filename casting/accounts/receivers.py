"""How core finds the user of a request: the session cookie's user and the bearer token's."""
from __future__ import annotations

from flask import current_app, request
from flask_login import user_logged_in

from casting.accounts import services, sessions
from casting.accounts.models import User
from casting.core.auth import bearer_auth
from casting.core.errors import EmailUnverified
from casting.extensions import login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to see this page."


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user of a session cookie, while its session generation is current."""
    return sessions.load_session_user(user_id)


@login_manager.request_loader
def load_remembered_user(request) -> User | None:
    """No valid session: the user of this browser's remember-me cookie, if any (see accounts/sessions.py)."""
    return sessions.load_remembered_user(request)


@user_logged_in.connect
def _session_started(app, user, **extra) -> None:
    """Start the idle clock of a new session, whoever signed the browser in."""
    sessions.note_sign_in()


# What an account whose email is not verified yet may call (besides views marked ``public``).
UNVERIFIED_API_ENDPOINTS = frozenset({"accounts_api.me"})


@bearer_auth.loader
def load_token_user(token: str) -> User | None:
    """The user of an API bearer token; 403 email_unverified for an account that has not proven its address
    (it may read /me, which says so)."""
    user = services.user_for_token(token)
    if user is not None and not user.email_verified:
        view = current_app.view_functions.get(request.endpoint or "")
        if request.endpoint not in UNVERIFIED_API_ENDPOINTS and not getattr(view, "_public", False):
            raise EmailUnverified()
    return user
