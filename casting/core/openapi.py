"""The OpenAPI 3.1 description of /api/v1, from one source: what each feature declares.

Each feature declares its operations in ``casting/<feature>/openapi.py`` (``declare(blueprint, tag, {endpoint:
Operation})``): a summary and a description, the request body as the very ``Field`` spec the API validates with,
query parameters, and the responses by status with a JSON Schema built by the small builders below. ``document``
walks ``app.url_map`` and writes the description; ``missing_operations`` names any /api/v1 endpoint without one.
With ``CASTING_CHECK_API_SCHEMAS`` (the tests) core/openapi_check.py checks every /api/v1 response against it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from casting.core.api import API_PREFIX, EMAIL_RE, Field
from casting.core.permissions import MAX_ID

# Every error code of API.md, by status. An operation names the ones it can answer beyond the defaults.
ERROR_CODES: dict[int, tuple[str, ...]] = {
    400: ("bad_request",),
    401: ("unauthenticated",),
    403: ("forbidden", "four_eyes", "email_unverified", "mfa_required"),
    404: ("not_found",),
    405: ("method_not_allowed",),
    409: ("checklist_failed", "double_booked", "invalid_state", "not_shortlisted", "company_unverified",
          "not_viewed", "missing_consent", "duplicate", "venue_conflict", "outside_window", "suspended"),
    413: ("too_large",),
    415: ("unsupported_media_type",),
    422: ("validation_error",),
    429: ("rate_limited",),
}
STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted as a background job", 204: "Done; no body",
               400: "Bad request", 401: "Unauthenticated", 403: "Forbidden", 404: "Not found", 409: "Conflict",
               413: "Too large", 415: "Unsupported media type", 422: "Validation error", 429: "Rate limited"}


# ---- JSON Schema builders ---------------------------------------------------------------------------------

def string(**kw: Any) -> dict:
    """A string schema (``maxLength``, ``enum``, ``format``... as keywords)."""
    return {"type": "string", **kw}


def integer(**kw: Any) -> dict:
    """An integer schema."""
    return {"type": "integer", **kw}


def boolean() -> dict:
    """true or false."""
    return {"type": "boolean"}


def number() -> dict:
    """Any JSON number."""
    return {"type": "number"}


def datetime_() -> dict:
    """An ISO 8601 datetime (responses carry UTC with ``Z``)."""
    return {"type": "string", "format": "date-time"}


def date_() -> dict:
    """A calendar date, YYYY-MM-DD."""
    return {"type": "string", "format": "date"}


def ident() -> dict:
    """A row's id."""
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def any_object() -> dict:
    """Any JSON object."""
    return {"type": "object"}


def array(items: dict) -> dict:
    """A list of ``items``."""
    return {"type": "array", "items": items}


def nullable(schema: dict) -> dict:
    """``schema`` or null."""
    if "type" in schema and "enum" not in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*kinds, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, dict], *, optional: tuple[str, ...] = ()) -> dict:
    """An object with these properties, each required unless named in ``optional``. More keys may follow
    (API.md: fields are added freely), so clients must ignore what they do not know."""
    return {"type": "object", "properties": properties,
            "required": [name for name in properties if name not in optional]}


def ref(name: str) -> dict:
    """A reference to a named schema (``schema(name, ...)``)."""
    return {"$ref": f"#/components/schemas/{name}"}


def page(items: dict) -> dict:
    """API.md's list: ``{items, page, per_page, total}``."""
    return obj({"items": array(items), "page": integer(minimum=1), "per_page": integer(minimum=1, maximum=100),
                "total": integer(minimum=0)})


def error_schema(codes: tuple[str, ...] | list[str] | None = None) -> dict:
    """API.md's error body, its code one of ``codes`` (any code when None)."""
    every = sorted({c for cs in ERROR_CODES.values() for c in cs})
    return obj({"error": obj({"code": string(enum=list(codes or every)), "message": string(),
                              "details": any_object()})})


SCHEMAS: dict[str, dict] = {}


def schema(name: str, body: dict) -> dict:
    """Name a response schema once (beside its serializer) and return a reference to it."""
    if name in SCHEMAS and SCHEMAS[name] != body:
        raise ValueError(f"schema {name} is declared twice, differently")
    SCHEMAS[name] = body
    return ref(name)


# ---- Field specs as JSON Schema -----------------------------------------------------------------------------

NOT_BLANK = r"\S"  # the API strips strings; a required one must keep a character


def field_schema(f: Field) -> dict:
    """The JSON Schema of what ``casting.core.api.validate`` accepts for one field."""
    k = f.kind
    if k in ("str", "text", "email", "url"):
        out: dict[str, Any] = {"type": "string"}
        if f.choices is not None:
            out["enum"] = list(f.choices)
        if f.max_length:
            out["maxLength"] = f.max_length
        if f.min_length:
            out["minLength"] = f.min_length
        if k == "email":
            out.update(format="email", pattern=EMAIL_RE.pattern)
        elif k == "url":
            out.update(format="uri", pattern=r"^https?://\S+$")
        elif f.required and f.choices is None:
            out.update(minLength=max(1, f.min_length or 0), pattern=NOT_BLANK)
    elif k == "int":
        out = {"type": "integer", "minimum": -MAX_ID if f.min_value is None else f.min_value,
               "maximum": MAX_ID if f.max_value is None else f.max_value}
    elif k == "bool":
        out = {"type": "boolean"}
    elif k == "datetime":
        out = {"type": "string", "format": "date-time",
               "description": "ISO 8601 with an offset (+01:00 or Z); a naive datetime is a 422."}
    elif k == "date":
        out = {"type": "string", "format": "date"}
    elif k == "int_list":
        out = {"type": "array", "items": ident()}
    elif k == "dict":
        out = {"type": "object"}
    else:  # pragma: no cover - core.api would refuse the kind too
        raise AssertionError(f"unknown field kind {k}")
    if f.nullable or not f.required:
        out = nullable(out)
    if not f.required and f.default is not None:
        out["default"] = f.default
    return out


def body_schema(spec: dict[str, Field], *, partial: bool = False) -> dict:
    """The JSON object a ``validate(data, spec)`` accepts (``partial``: PATCH, every field optional)."""
    required = [] if partial else [name for name, f in spec.items() if f.required]
    out: dict[str, Any] = {"type": "object", "properties": {name: field_schema(f) for name, f in spec.items()}}
    if required:
        out["required"] = required
    return out


# ---- Operations -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Binary:
    """A response body that is not JSON (a PDF, an image), of one of ``media_types``."""

    media_types: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Upload:
    """A multipart/form-data request: files by field name (with their accepted types) and text fields."""

    files: dict[str, str]
    fields: dict[str, Field] = field(default_factory=dict)
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    """One /api/v1 operation as a client sees it."""

    summary: str
    description: str
    responses: dict[int, Any]  # status -> a schema, Binary, or None (no body)
    body: dict[str, Field] | None = None
    body_schema: dict | None = None  # a JSON body the view reads without a Field spec
    partial: bool = False  # PATCH: every field of ``body`` is optional
    body_optional: bool = False  # an empty body is accepted (every field optional)
    upload: Upload | None = None
    upload_also: bool = False  # ``upload`` is an alternative to the JSON body
    query: dict[str, dict] = field(default_factory=dict)  # name -> schema
    paginated: bool = False
    errors: dict[int, tuple[str, ...]] = field(default_factory=dict)  # status -> codes, beyond the defaults
    not_found: bool | None = None  # None: when the path has parameters


@dataclass
class _Declared:
    tag: str
    operation: Operation


_OPERATIONS: dict[str, _Declared] = {}
_TAGS: dict[str, str] = {}
_LAST_TAGS: set[str] = set()


def declare(blueprint: str, tag: str, operations: dict[str, Operation], *, description: str = "",
            last: bool = False) -> None:
    """Declare a blueprint's operations, keyed by view name (the endpoint is ``blueprint.view``). Tags are
    listed in the order features load (the domain's), except those declared ``last`` (helpers such as jobs)."""
    _TAGS.setdefault(tag, description)
    if last:
        _LAST_TAGS.add(tag)
    for name, op in operations.items():
        _OPERATIONS[f"{blueprint}.{name}"] = _Declared(tag, op)


def declared(endpoint: str) -> Operation | None:
    """The operation declared for ``endpoint``, if any."""
    d = _OPERATIONS.get(endpoint)
    return d.operation if d else None


def api_rules(app: Flask) -> list:
    """Every url_map rule under /api/v1."""
    return [r for r in app.url_map.iter_rules() if r.rule.startswith(API_PREFIX + "/")]


def missing_operations(app: Flask) -> list[str]:
    """Endpoints under /api/v1 with no declared operation, or one without a summary or description."""
    out = []
    for rule in api_rules(app):
        op = declared(rule.endpoint)
        if op is None or not op.summary.strip() or not op.description.strip():
            out.append(rule.endpoint)
    return sorted(set(out))


_CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")


def _path_and_parameters(rule) -> tuple[str, list[dict]]:
    params = []

    def sub(m: re.Match) -> str:
        conv, name = m.group("conv") or "default", m.group("name")
        if conv == "int":
            sch = integer(minimum=0)
        elif conv == "any":
            sch = string(enum=[a.strip().strip("'\"") for a in m.group("args").split(",")])
        else:
            sch = string(pattern="^[^/]+$")
        params.append({"name": name, "in": "path", "required": True, "schema": sch})
        return "{" + name + "}"

    return _CONVERTER.sub(sub, rule.rule), params


def is_public(app: Flask, endpoint: str) -> bool:
    return bool(getattr(app.view_functions.get(endpoint), "_public", False))


def responses_of(op: Operation, *, public: bool, has_path_params: bool, write: bool) -> dict[int, Any]:
    """Every status an operation may answer: its own, and the error statuses any such request can get."""
    out: dict[int, Any] = dict(op.responses)
    # Any request: a body that is not JSON (400), a NUL or control character in the query string (API.md: 422,
    # refused with 400 by older releases).
    codes: dict[int, list[str]] = {400: ["bad_request"], 422: ["validation_error"]}
    if write:  # two requests racing past a uniqueness check: the loser gets 409 duplicate
        codes[409] = ["duplicate"]
    if not public:
        codes[401] = ["unauthenticated"]
        codes[403] = ["forbidden", "email_unverified"]
    if op.not_found or (op.not_found is None and has_path_params):
        codes[404] = ["not_found"]
    if op.body or op.body_schema or op.upload:
        codes[413] = ["too_large"]
    if op.upload:
        codes[415] = ["unsupported_media_type"]
    for status, extra in op.errors.items():
        codes.setdefault(status, [])
        codes[status] += [c for c in extra if c not in codes[status]]
    for status, cs in codes.items():
        out.setdefault(status, error_schema(cs))
    return out


def _response(status: int, body: Any) -> dict:
    out: dict[str, Any] = {"description": STATUS_TEXT.get(status, str(status))}
    if body is not None:
        out["content"] = _media(body)
    return out


def _media(body: Any) -> dict:
    if isinstance(body, Binary):
        return {t: {"schema": string(contentMediaType=t)} for t in body.media_types}
    return {"application/json": {"schema": body}}


def _request_body(op: Operation) -> dict | None:
    content: dict[str, Any] = {}
    if op.body is not None:
        content["application/json"] = {"schema": body_schema(op.body, partial=op.partial or op.body_optional)}
    elif op.body_schema is not None:
        content["application/json"] = {"schema": op.body_schema}
    if op.upload is not None:
        props: dict[str, Any] = {name: {"type": "string", "contentMediaType": types}
                                 for name, types in op.upload.files.items()}
        props.update({name: field_schema(f) for name, f in op.upload.fields.items()})
        sch: dict[str, Any] = {"type": "object", "properties": props}
        if op.upload.required:
            sch["required"] = list(op.upload.required)
        content["multipart/form-data"] = {"schema": sch}
    if not content:
        return None
    return {"required": not op.body_optional, "content": content}


def _parameters(op: Operation) -> list[dict]:
    params = [{"name": name, "in": "query", "required": False, "schema": sch} for name, sch in op.query.items()]
    if op.paginated:
        params += [
            {"name": "page", "in": "query", "required": False, "schema": integer(minimum=1, maximum=1_000_000),
             "description": "Page number, from 1."},
            {"name": "per_page", "in": "query", "required": False, "schema": integer(minimum=1, maximum=100),
             "description": "Items per page, 1 to 100 (default 50)."},
        ]
    return params


def document(app: Flask) -> dict:
    """The OpenAPI 3.1 description of every declared /api/v1 operation of ``app`` (built once per app)."""
    cached = app.extensions.get("casting_openapi")
    if cached is not None:
        return cached
    paths: dict[str, dict] = {}
    used_tags: set[str] = set()
    for rule in sorted(api_rules(app), key=lambda r: r.rule):
        decl = _OPERATIONS.get(rule.endpoint)
        if decl is None:
            continue
        op = decl.operation
        path, path_params = _path_and_parameters(rule)
        public = is_public(app, rule.endpoint)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for method in methods:
            used_tags.add(decl.tag)
            operation_id = rule.endpoint.replace(".", "__") + (f"__{method.lower()}" if len(methods) > 1 else "")
            entry: dict[str, Any] = {
                "operationId": operation_id,
                "summary": op.summary, "description": op.description, "tags": [decl.tag],
                "parameters": path_params + _parameters(op),
                "responses": {
                    str(status): _response(status, body)
                    for status, body in sorted(responses_of(op, public=public, has_path_params=bool(path_params),
                                                            write=method not in ("GET", "HEAD")).items())
                },
            }
            if (body := _request_body(op)) is not None:
                entry["requestBody"] = body
            if public:
                entry["security"] = [{}, {"bearer": []}]
            paths.setdefault(path, {})[method.lower()] = entry
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Callback API", "version": "1",
                 "description": "The JSON API of Callback (see docs/api.md). Send `Authorization: Bearer <token>`; "
                                "tokens are made on the settings page or with `flask --app casting users token "
                                "EMAIL`. Errors are `{\"error\": {\"code\", \"message\", \"details\"}}`."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "tags": [{"name": t, "description": _TAGS[t]}
                 for t in sorted(_TAGS, key=lambda t: t in _LAST_TAGS) if t in used_tags],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "An API token of the account (stored hashed; revocable)."}},
            "schemas": {"Error": error_schema(), **dict(sorted(SCHEMAS.items()))},
        },
    }
    app.extensions["casting_openapi"] = doc
    return doc
