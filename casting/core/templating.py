"""Jinja filters and globals: times in the venue's timezone (casting.core.timefmt), links on PUBLIC_BASE_URL."""
from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_login import current_user

from casting.core.links import public_url
from casting.core.registry import registry_search
from casting.core.timefmt import local_time, long_date


def register(app) -> None:
    """Add filters and globals to ``app``'s Jinja environment."""
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.globals["public_url"] = public_url
    app.jinja_env.globals["registry_search"] = registry_search
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def template_globals(bp: Blueprint, *values: Any, **named: Any) -> None:
    """Make a feature's enums (by class name) and constants (by keyword) Jinja globals of the app its
    blueprint is registered on, so templates compare with ``InvitationStatus.cancelled``, not strings."""

    def record(state) -> None:
        state.app.jinja_env.globals.update({value.__name__: value for value in values}, **named)

    bp.record_once(record)


def stub(view):
    """Mark a placeholder route that a feature has not built yet (the access sweep skips it)."""
    view._stub = True
    return view
