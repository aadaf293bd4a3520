"""Jinja filters and globals: times in the venue's timezone (casting.core.timefmt), links on PUBLIC_BASE_URL."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, has_request_context, request, url_for
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
    app.jinja_env.globals["fixed_urls"] = fixed_urls
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


class _FixedUrls(dict):
    """``urls["productions.index"]`` is ``url_for("productions.index")``, ``urls.static["css/app.css"]`` is
    ``url_for("static", filename="css/app.css")``: each built at its first use, then kept."""

    def __init__(self) -> None:
        super().__init__()
        self.static = _StaticUrls()

    def __missing__(self, endpoint: str) -> str:
        self[endpoint] = url = url_for(endpoint)
        return url


class _StaticUrls(dict):
    def __missing__(self, filename: str) -> str:
        self[filename] = url = url_for("static", filename=filename)
        return url


def fixed_urls() -> _FixedUrls:
    """The URLs of endpoints that take no values (the layout's menu and its static files), built once per worker.

    ``url_for`` of such an endpoint is a constant for a given app and script root (SCRIPT_NAME, the prefix a
    proxy mounts the app under), so they are kept per script root; base.html shows about twenty on every page.
    Not for endpoints with values: those go through ``url_for`` (or ``url_maker`` for rows).
    """
    if not has_request_context():
        return _FixedUrls()  # an app context alone (SERVER_NAME): url_for as usual, nothing kept
    cache = current_app.extensions.setdefault("casting.fixed_urls", {})
    root = request.script_root
    urls = cache.get(root)
    if urls is None:
        urls = cache[root] = _FixedUrls()
    return urls


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
