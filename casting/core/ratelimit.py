"""Rate limits cost nothing on requests that have none.

Flask-Limiter checks every request in a ``before_request`` hook for the limits that are not a view's own:
default, application-wide, blueprint and meta limits. Callback declares none of those (``default_limits=[]``):
every limit is a decorator on its view (sign-in, second factor, verification, reports), and the decorator
checks its limit itself when the view is called. So on every other page and API call the hook only spent
time finding that nothing applies. ``check_only_where_declared`` keeps the hook but lets it through only while
such a limit exists, so one declared later (a default limit in the settings, a blueprint limit) still counts.
"""
from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter


def check_only_where_declared(app: Flask, limiter: Limiter) -> None:
    """Replace ``limiter``'s per-request hook on ``app`` by one that runs it only while a non-decorator limit exists."""
    hooks = app.before_request_funcs.setdefault(None, [])
    original = limiter._check_request_limit
    if not limiter.enabled:
        return  # RATELIMIT_ENABLED off (tests): Flask-Limiter installed no hook on this app
    index = hooks.index(original)  # ValueError: Flask-Limiter registers its hook differently now; look again
    manager = limiter.limit_manager
    # Read now, so a Flask-Limiter that renames them fails at start-up rather than on a request.
    manager._application_limits, manager._default_limits, manager._blueprint_limits, limiter._meta_limits  # noqa: B018

    def check_request_limit() -> None:
        if (manager._application_limits or manager._default_limits or manager._blueprint_limits
                or limiter._meta_limits):
            original()

    hooks[index] = check_request_limit
