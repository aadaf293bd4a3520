"""Who is calling: cookie sessions for pages, bearer tokens for the API."""
from __future__ import annotations

import hashlib
from functools import wraps
from typing import Any, Callable

from flask import current_app, g, request
from flask_login import current_user

from casting.core.errors import Forbidden, Unauthenticated


def is_api_request() -> bool:
    """True for requests to the JSON API (which never trusts the cookie session)."""
    return request.path.startswith("/api/")


def hash_token(token: str) -> str:
    """SHA-256 of a bearer token (tokens are 256 random bits, so no slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class BearerAuth:
    """Where the API finds the user of a bearer token: the accounts feature registers the loader,
    as it registers Flask-Login's ``user_loader``."""

    def __init__(self) -> None:
        self._loader: Callable[[str], Any] | None = None

    def loader(self, func: Callable[[str], Any]) -> Callable[[str], Any]:
        """Decorator: ``func(token_text)`` returns the token's active user, or None."""
        self._loader = func
        return func

    def load(self, token: str):
        if self._loader is None:
            raise RuntimeError("no bearer-token loader is registered (is the accounts feature loaded?)")
        return self._loader(token)


bearer_auth = BearerAuth()


def authenticate_bearer():
    """The active user of the request's bearer token, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return bearer_auth.load(token.strip())


def current_actor():
    """The user acting in this request: the token's user for the API, else the logged-in user."""
    if is_api_request():
        return g.get("api_user")
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def require_api_user():
    """before_request hook for API blueprints: 401 without a valid token, unless the view is public."""
    g.api_user = authenticate_bearer()
    func = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if g.api_user is None and func is not None and not getattr(func, "_public", False):
        raise Unauthenticated()


def public(func):
    """Mark a view as open to anyone: anonymous callers (API) and accounts whose email is not verified yet
    (pages and API). Public pages, the verify pages and one-time links are such views."""
    func._public = True
    return func


def roles_required(*roles: str):
    """View decorator: the actor's account kind must be one of ``roles`` (403 otherwise)."""

    def decorator(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            actor = current_actor()
            if actor is None:
                raise Unauthenticated()
            if actor.role not in roles:
                raise Forbidden()
            return func(*args, **kwargs)

        return wrapper

    return decorator
