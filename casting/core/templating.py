"""Jinja filters and globals: times shown in the venue's timezone (``local_time``, see casting.core.timefmt)."""
from __future__ import annotations

from flask_login import current_user

from casting.core.timefmt import local_time  # noqa: F401  (the filter; formats live in casting.core.timefmt)


def register(app) -> None:
    """Add filters and globals to ``app``'s Jinja environment."""
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def stub(view):
    """Mark a placeholder route that a feature has not built yet (the access sweep skips it)."""
    view._stub = True
    return view
