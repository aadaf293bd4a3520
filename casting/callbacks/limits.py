"""Rate limits on what sends email to other people: messages in a thread and starting a share.

Each is one budget per signed-in account, shared by the page and the API (a flood through either is refused with
429 rate_limited), so a compromised or careless account cannot turn the production's or the talent's inbox, or a
stranger's (a share emails the person named), into a spam channel.
"""
from __future__ import annotations

from flask import current_app, request

from casting.core.auth import current_actor
from casting.extensions import limiter


def _account() -> str:
    actor = current_actor()
    return f"user:{actor.id}" if actor is not None else f"addr:{request.remote_addr}"


def message_limit():
    """Messages written per account (RATELIMIT_MESSAGES)."""
    return limiter.shared_limit(lambda: current_app.config["RATELIMIT_MESSAGES"], scope="messages",
                                key_func=_account, methods=["POST"])


def share_limit():
    """Shares started per account (RATELIMIT_SHARES): each emails someone outside Callback."""
    return limiter.shared_limit(lambda: current_app.config["RATELIMIT_SHARES"], scope="shares",
                                key_func=_account, methods=["POST"])
