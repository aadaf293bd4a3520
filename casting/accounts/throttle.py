"""Failed sign-ins per account, counted in the rate limiter's storage (RATELIMIT_STORAGE_URI) so that every worker
shares them: memory for one process, Redis when several app servers run.

Each sign-in to an email (whether or not it has an account, so the answer says nothing about which emails exist) is
counted before its password is checked, and a success forgets the count. The count lives
CASTING_LOGIN_FAILURE_WINDOW_SECONDS from the first attempt of a run of failures. Once it reaches
CASTING_LOGIN_FAILURE_LIMIT, sign-ins to that email wait CASTING_LOGIN_FAILURE_DELAY_SECONDS, then twice as long after
each further failure, never longer than the window: a stranger can slow an account down but never lock it for good.
While it waits the password is not checked and nothing is counted; the refusal (429) says when to try again.
"""
from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, current_app
from limits.storage import Storage, storage_from_string

from casting.config import ConfigError
from casting.core.errors import RateLimited

EXTENSION = "callback.login_throttle"
KEY = "callback/login-failures/{}"
LOCK = "callback/login-wait/{}"


class LoginThrottled(RateLimited):
    """Too many failed sign-ins to one account: wait ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Too many failed sign-ins to this account. Wait {_duration(retry_after)} and try again.",
                         details={"retry_after": retry_after}, audit_action="auth.login_throttled")


def init_app(app: Flask) -> None:
    """The app's own client of the configured limiter storage (Flask-Limiter's ``limiter`` is one object for
    every app in a process, so its storage is the last app's; a worker has one app and the same URI either way)."""
    for name in ("CASTING_LOGIN_FAILURE_LIMIT", "CASTING_LOGIN_FAILURE_WINDOW_SECONDS",
                 "CASTING_LOGIN_FAILURE_DELAY_SECONDS"):
        value = app.config[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{name} must be a whole number of at least 1, not {value!r}.")
    app.extensions[EXTENSION] = storage_from_string(app.config["RATELIMIT_STORAGE_URI"],
                                                    **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}))


def _storage() -> Storage | None:
    """The counts' storage, or None when rate limiting is off (RATELIMIT_ENABLED; off in tests by default)."""
    if not current_app.config.get("RATELIMIT_ENABLED"):
        return None
    return current_app.extensions[EXTENSION]


def _key(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:32]  # no email addresses in the shared storage


def waiting(email: str) -> bool:
    """Whether sign-ins to ``email`` (normalised) must wait now."""
    storage = _storage()
    return storage is not None and bool(storage.get(LOCK.format(_key(email))))


def before_attempt(email: str) -> None:
    """Count a sign-in to ``email`` (normalised) about to be checked, or raise LoginThrottled while it must wait."""
    storage = _storage()
    if storage is None:
        return
    key = _key(email)
    if storage.get(LOCK.format(key)):
        raise LoginThrottled(max(1, math.ceil(storage.get_expiry(LOCK.format(key)) - time.time())))
    cfg = current_app.config
    limit, window = cfg["CASTING_LOGIN_FAILURE_LIMIT"], cfg["CASTING_LOGIN_FAILURE_WINDOW_SECONDS"]
    count = storage.incr(KEY.format(key), window)
    if count >= limit:
        # Counted before the check, so that parallel guesses cannot slip past the limit; a success lifts the wait.
        delay = min(cfg["CASTING_LOGIN_FAILURE_DELAY_SECONDS"] * 2 ** min(count - limit, 32), window)
        storage.incr(LOCK.format(key), delay)


def succeeded(email: str) -> None:
    """The password was right: forget the account's failures and any wait."""
    storage = _storage()
    if storage is None:
        return
    key = _key(email)
    storage.clear(KEY.format(key))
    storage.clear(LOCK.format(key))


def _duration(seconds: int) -> str:
    """``seconds`` in plain words, rounded up: "45 seconds", "1 minute", "15 minutes"."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
