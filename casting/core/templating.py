"""Jinja filters and globals: times in the venue's timezone (casting.core.timefmt), links on PUBLIC_BASE_URL."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
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
    app.jinja_env.globals["url_maker"] = url_maker
    app.jinja_env.globals["url_pattern"] = url_pattern
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


# A placeholder id no real row has (ids stop at 2**31 - 1): url_maker builds one URL with it, then swaps it.
_PLACEHOLDER = 987654321987654321


def url_maker(endpoint: str, key: str, **values: Any):
    """``url_for(endpoint, **{key: id}, **values)`` for many ids at the cost of one url_for: a page listing
    rows calls ``url_maker(...)`` once before its loop, then the returned function per row (same URL)."""
    text = url_for(endpoint, **{key: _PLACEHOLDER}, **values)
    head, sep, tail = text.partition(str(_PLACEHOLDER))
    if not sep or str(_PLACEHOLDER) in tail:
        return lambda ident: url_for(endpoint, **{key: ident}, **values)
    return lambda ident: f"{head}{int(ident)}{tail}"


def url_pattern(endpoint: str, key: str, **values: Any) -> str:
    """``url_maker`` for the longest lists: the URL as a %-pattern, so a row's link is ``{{ pattern % id }}``,
    plain string formatting. A function called per row goes through Jinja's call machinery, which costs more
    than building the link; this costs nothing per row. Raises ValueError for a URL that does not hold the id
    once as a path segment."""
    text = url_for(endpoint, **{key: _PLACEHOLDER}, **values)
    head, sep, tail = text.partition(str(_PLACEHOLDER))
    if not sep or str(_PLACEHOLDER) in tail:
        raise ValueError(f"{endpoint}: {key} is not one segment of its URL")
    return f"{head.replace('%', '%%')}%d{tail.replace('%', '%%')}"


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
