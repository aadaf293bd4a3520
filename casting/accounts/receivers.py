"""How core finds the user of a request: the session cookie's user and the bearer token's."""
from __future__ import annotations

from casting.accounts import services
from casting.accounts.models import User
from casting.core.auth import bearer_auth
from casting.extensions import db, login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to see this page."


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user of a session cookie."""
    return db.session.get(User, int(user_id))


@bearer_auth.loader
def load_token_user(token: str) -> User | None:
    """The user of an API bearer token."""
    return services.user_for_token(token)
