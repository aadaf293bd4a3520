"""Absolute links on this installation's public address (``PUBLIC_BASE_URL``), for emails.

``public_url`` is ``url_for(endpoint, _external=True, ...)`` with the scheme, host and path prefix
of ``PUBLIC_BASE_URL``, whether or not a request is under way: an email sent from a request, the
CLI or the seed links to the same place, never to the host the request happened to arrive on.
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import current_app


def public_url(endpoint: str, *, _anchor: str | None = None, **values) -> str:
    """The absolute URL of ``endpoint`` (with ``values``) on ``PUBLIC_BASE_URL``."""
    app = current_app._get_current_object()
    base = urlsplit(app.config["PUBLIC_BASE_URL"].rstrip("/"))
    adapter = app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    app.inject_url_defaults(endpoint, values)
    url = adapter.build(endpoint, values, force_external=True)
    if _anchor is not None:
        url += "#" + quote(_anchor, safe="%!#$&'()*+,/:;=?@")
    return url
