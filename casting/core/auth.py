"""Who is calling: cookie sessions for pages, bearer tokens for the API."""
from __future__ import annotations

import hashlib
from functools import wraps

import sqlalchemy as sa
from flask import g, request
from flask_login import current_user

from casting.core.db import utcnow
from casting.core.errors import Forbidden, Unauthenticated
from casting.extensions import db


def is_api_request() -> bool:
    """True for requests to the JSON API (which never trusts the cookie session)."""
    return request.path.startswith("/api/")


def hash_token(token: str) -> str:
    """SHA-256 of a bearer token (tokens are 256 random bits, so no slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate_bearer():
    """The active user of the request's bearer token, or None."""
    from casting.accounts.models import ApiToken, User

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = db.session.execute(
        sa.select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token.strip()), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.active:
        return None
    row.ApiToken.last_used_at = utcnow()
    return row.User


def current_actor():
    """The user acting in this request: the token's user for the API, else the logged-in user."""
    if is_api_request():
        return g.get("api_user")
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def require_api_user():
    """before_request hook for API blueprints: 401 without a valid token, unless the view is public."""
    from flask import current_app

    g.api_user = authenticate_bearer()
    func = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if g.api_user is None and func is not None and not getattr(func, "_public", False):
        raise Unauthenticated()


def public(func):
    """Mark an API view as open to anonymous callers."""
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
