"""The test-time check (``CASTING_CHECK_API_SCHEMAS``): every /api/v1 response matches its declared operation."""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request

from casting.core.api import API_PREFIX
from casting.core.openapi import (
    SCHEMAS,
    Binary,
    api_rules,
    declared,
    error_schema,
    is_public,
    responses_of,
)


class UndeclaredResponse(AssertionError):
    """An /api/v1 response that the description does not allow (tests only)."""


def response_problem(app: Flask, endpoint: str, method: str, status: int, mimetype: str, body: Any) -> str | None:
    """Why this response does not fit the declaration (None when it does)."""
    # jsonschema is a development dependency, imported only where the check is on (the tests).
    import jsonschema

    op = declared(endpoint)
    if op is None:
        return f"{endpoint} has no declared operation"
    rule = next(r for r in api_rules(app) if r.endpoint == endpoint)
    responses = responses_of(op, public=is_public(app, endpoint), has_path_params="<" in rule.rule,
                             write=method not in ("GET", "HEAD"))
    if status not in responses:
        return f"{endpoint} answered {status}, which is not declared (declared: {sorted(responses)})"
    expected = responses[status]
    if expected is None:
        return None
    if isinstance(expected, Binary):
        if mimetype not in expected.media_types:
            return f"{endpoint} {status}: {mimetype}, not one of {expected.media_types}"
        return None
    if mimetype != "application/json":
        return f"{endpoint} {status}: {mimetype}, not application/json"
    components = {"schemas": {"Error": error_schema(), **SCHEMAS}}
    try:
        jsonschema.validate(body, {"allOf": [expected], "components": components},
                            format_checker=jsonschema.FormatChecker())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        return f"{endpoint} {status}: the body does not match its schema at '{where}': {exc.message}"
    return None


def _check_response(response):
    rule = request.url_rule
    if rule is None or not rule.rule.startswith(API_PREFIX + "/") or response.status_code >= 500:
        return response
    body = response.get_json(silent=True) if response.mimetype == "application/json" else None
    problem = response_problem(current_app._get_current_object(), rule.endpoint, request.method,
                               response.status_code, response.mimetype, body)
    if problem:
        raise UndeclaredResponse(f"{request.method} {request.path}: {problem}")
    return response


def register(app: Flask) -> None:
    """With ``CASTING_CHECK_API_SCHEMAS`` (the tests), check every /api/v1 response against the description."""
    if app.config.get("CASTING_CHECK_API_SCHEMAS"):
        app.after_request(_check_response)
