"""Helpers shared by every JSON API module: blueprints, body parsing, validation, pagination."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any, Callable

import sqlalchemy as sa
from flask import Blueprint, jsonify, request

from casting.core.auth import require_api_user
from casting.core.errors import BadRequest, ValidationError
from casting.core.pagination import page_args
from casting.core.pagination import paginate as paginate_query
from casting.core.permissions import MAX_ID, valid_id
from casting.core.security import control_character_error
from casting.core.timefmt import check_range
from casting.extensions import csrf, db

API_PREFIX = "/api/v1"


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /api/v1 with bearer-token auth and no CSRF (no cookies are trusted)."""
    bp = Blueprint(name, import_name, url_prefix=API_PREFIX)
    bp.before_request(require_api_user)
    csrf.exempt(bp)
    return bp


def iso(dt: datetime | None) -> str | None:
    """UTC ISO 8601 with Z, as API responses carry datetimes."""
    if dt is None:
        return None
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def json_body() -> dict[str, Any]:
    """The request's JSON object, or 400 bad_request."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # e.g. '[' * 10000: nested deeper than any body of ours
        raise BadRequest("The body is nested too deeply.") from None
    if not isinstance(data, dict):
        raise BadRequest()
    # Control characters anywhere (keys too, any nesting): 422 on the top-level field that holds them. Tab
    # and newlines pass here; a single-line field refuses them when it is validated (``_coerce``).
    errors = {}
    for key, value in data.items():
        if message := control_character_error(key) or control_character_error(value, multiline=True):
            errors[control_character_error(key) and repr(key)[1:-1] or key] = [message]
    if errors:
        raise ValidationError(errors)
    return data


def optional_json_body() -> dict[str, Any]:
    """``{}`` for a request with no body at all, else ``json_body()``: for actions whose fields are all
    optional (API.md ``{comment?}``), which callers may POST empty."""
    if not request.get_data():
        return {}
    return json_body()


class Field:
    """One field of a JSON body: its kind, whether required, and limits."""

    def __init__(self, kind: str = "str", *, required: bool = True, max_length: int | None = None,
                 choices: Any = None, min_value: int | None = None, max_value: int | None = None,
                 nullable: bool = False, default: Any = None, min_length: int | None = None) -> None:
        self.kind, self.required, self.max_length, self.min_length = kind, required, max_length, min_length
        self.choices = list(choices) if choices is not None else None
        self.min_value, self.max_value, self.nullable, self.default = min_value, max_value, nullable, default


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_datetime(value: Any) -> datetime:
    """An ISO 8601 datetime with an offset; naive or malformed raises ValueError."""
    if not isinstance(value, str):
        raise ValueError("Must be an ISO 8601 datetime string with an offset.")
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError as exc:
        raise ValueError("Must be an ISO 8601 datetime, e.g. 2027-03-02T10:00:00+01:00.") from exc
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("Must carry a UTC offset (e.g. +01:00 or Z); naive datetimes are refused.")
    check_range(dt)  # before any arithmetic: 0001-01-01T00:00+14:00 would overflow
    return dt.astimezone(timezone.utc)


def parse_query_datetime(value: str) -> datetime:
    """``parse_datetime`` for a query-string value, where an offset's unencoded ``+`` arrives as a space
    (``?since=2027-03-02T10:00:00+01:00`` reads ``...T10:00:00 01:00``)."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT[\d:.]+) (\d\d(?::?\d\d)?)", value.strip())
    return parse_datetime(f"{m.group(1)}+{m.group(2)}" if m else value)


def _coerce(name: str, f: Field, value: Any) -> Any:
    if value is None:
        if f.nullable or not f.required:
            return None
        raise ValueError("This field may not be null.")
    k = f.kind
    if k in ("str", "text", "email", "url"):
        if not isinstance(value, str):
            raise ValueError("Must be a string.")
        if message := control_character_error(value, multiline=k == "text"):
            raise ValueError(message)
        value = value.strip()
        if f.required and not value:
            raise ValueError("This field is required.")
        if f.max_length and len(value) > f.max_length:
            raise ValueError(f"At most {f.max_length} characters.")
        if f.min_length and len(value) < f.min_length:
            raise ValueError(f"At least {f.min_length} characters.")
        if k == "email" and value and not EMAIL_RE.match(value):
            raise ValueError("Must be an email address.")
        if k == "url" and value and not re.match(r"^https?://\S+$", value):
            raise ValueError("Must be an http(s) URL.")
        if f.choices is not None and value not in f.choices:
            raise ValueError(f"Must be one of: {', '.join(f.choices)}.")
        return value
    if k == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("Must be an integer.")
        if f.min_value is not None and value < f.min_value:
            raise ValueError(f"Must be at least {f.min_value}.")
        if f.max_value is not None and value > f.max_value:
            raise ValueError(f"Must be at most {f.max_value}.")
        if not -MAX_ID <= value <= MAX_ID:  # every integer is stored in a 32-bit column (or names one's row)
            raise ValueError(f"Must be at most {MAX_ID}.")
        return value
    if k == "bool":
        if not isinstance(value, bool):
            raise ValueError("Must be true or false.")
        return value
    if k == "datetime":
        return parse_datetime(value)
    if k == "date":
        if not isinstance(value, str):
            raise ValueError("Must be a date, YYYY-MM-DD.")
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("Must be a date, YYYY-MM-DD.") from exc
        check_range(day)
        return day
    if k == "int_list":
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise ValueError("Must be a list of integer ids.")
        if any(not 0 < v <= MAX_ID for v in value):
            raise ValueError("Must be a list of ids (positive integers).")
        return value
    if k == "dict":
        if not isinstance(value, dict):
            raise ValueError("Must be an object.")
        if message := control_character_error(value, multiline=True):
            raise ValueError(message)
        return value
    raise AssertionError(f"unknown field kind {k}")


def validate(data: dict[str, Any], spec: dict[str, Field], *, partial: bool = False) -> dict[str, Any]:
    """Check ``data`` against ``spec``; 422 with every field's messages, else the clean values.

    With ``partial`` (PATCH) only the fields present are checked and returned.
    """
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name, f in spec.items():
        if name not in data:
            if partial:
                continue
            if f.required:
                errors[name] = ["This field is required."]
            else:
                out[name] = f.default
            continue
        try:
            out[name] = _coerce(name, f, data[name])
        except ValueError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return out


def query_id(name: str) -> int | None:
    """The id in the query string's ``name`` (None when absent), or 422 validation_error when it is not an id."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return valid_id(raw)
    except ValueError:
        raise ValidationError({name: [f"Must be an integer from 1 to {MAX_ID}."]}) from None


def paginate(query: sa.Select, serialize: Callable[[Any], dict]) -> Any:
    """``{"items", "page", "per_page", "total"}`` for a select, from ?page=&per_page= (max 100)."""
    return jsonify(page_of(query, serialize))


def paginate_many(query: sa.Select, serialize_many: Callable[[list], list[dict]]) -> Any:
    """``paginate`` for items serialised together (what they add from other features read once a page)."""
    page = paginate_query(query, *page_args(request.args), count=True)
    return jsonify({"items": serialize_many(list(page.items)), "page": page.page, "per_page": page.per_page,
                    "total": page.total})


def paginate_rows(query: sa.Select, serialize_many: Callable[[list], list[dict]], *,
                  total: sa.Select | None = None) -> Any:
    """``paginate_many`` for a select of columns: each item is a row (``row.title``), not an entity, so a list
    loads only what its JSON shows. ``total``: a select of the count of ``query``'s rows, when it can be had
    more cheaply than by counting a subquery of ``query`` (without the joins that only add columns)."""
    page, per_page = page_args(request.args)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    if total is None:
        total = sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    return jsonify({"items": serialize_many(rows), "page": page, "per_page": per_page,
                    "total": db.session.scalar(total)})


def page_of(query: sa.Select, serialize: Callable[[Any], dict]) -> dict[str, Any]:
    """The page ``paginate`` answers, as a dict (for a list that carries extra keys beside it)."""
    page = paginate_query(query, *page_args(request.args), count=True)
    return {"items": [serialize(r) for r in page.items], "page": page.page, "per_page": page.per_page,
            "total": page.total}


def created(payload: dict[str, Any]):
    """A 201 JSON response."""
    return jsonify(payload), 201
