"""The API's description as a page: the same OpenAPI document, rendered on the server."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from markupsafe import Markup, escape

from casting.core import openapi
from casting.core.auth import public

bp = Blueprint("api_docs", __name__)


def type_label(schema: Any) -> str:
    """A short human reading of a JSON Schema: ``string ≤ 200``, ``integer 1–5``, ``list of Role``, ``… or null``."""
    if not isinstance(schema, dict) or not schema:
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_label(s) for s in schema["anyOf"])
    if "const" in schema:
        return f"= {str(schema['const']).lower()}"
    kinds = schema.get("type", "any")
    kinds = [k for k in (kinds if isinstance(kinds, list) else [kinds]) if k != "null"]
    kind = kinds[0] if kinds else "null"
    if "enum" in schema:
        text = "one of " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    elif kind == "array":
        text = "list of " + type_label(schema.get("items", {}))
    elif kind == "string" and schema.get("format"):
        text = schema["format"]
    elif kind == "string" and schema.get("contentMediaType"):
        text = f"file ({schema['contentMediaType']})"
    else:
        text = kind
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None and high < 10**9:
        text += f" {low}–{high}"
    elif low is not None and low > 0:
        text += f" ≥ {low}"
    if schema.get("maxLength"):
        text += f" ≤ {schema['maxLength']} chars"
    if isinstance(schema.get("type"), list) and "null" in schema["type"]:
        text += " or null"
    return text


def inline_code(text: str) -> Markup:
    """A description's `code` spans (CommonMark backticks, as OpenAPI reads them) as <code>; the rest escaped."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: leave the text as it is
        return Markup(escape(text))
    return Markup("").join(escape(p) if i % 2 == 0 else Markup("<code>%s</code>") % p for i, p in enumerate(parts))


def _properties(schema: dict | None) -> list[dict]:
    """The rows of an object schema's table: name, type, required."""
    if not schema or "properties" not in schema:
        return []
    required = set(schema.get("required", []))
    return [{"name": name, "type": type_label(sub), "required": name in required,
             "description": sub.get("description", "") if isinstance(sub, dict) else ""}
            for name, sub in schema["properties"].items()]


def _response(status: str, body: dict) -> dict:
    out = {"status": status, "description": body.get("description", ""), "media": [], "codes": [], "schema": ""}
    for media, content in body.get("content", {}).items():
        out["media"].append(media)
        sch = content.get("schema", {})
        if media == "application/json" and int(status) >= 400:
            out["codes"] = sch["properties"]["error"]["properties"]["code"]["enum"]
        elif media == "application/json":
            out["schema"] = type_label(sch)
            out["fields"] = _properties(sch) if "$ref" not in sch else []
    return out


def operations_by_tag(doc: dict) -> list[dict]:
    """The description's operations grouped by tag, in the order the tags are listed."""
    groups: dict[str, dict] = {t["name"]: {"name": t["name"], "description": t.get("description", ""),
                                           "operations": []} for t in doc.get("tags", [])}
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody")
            bodies = [{"media": media, "fields": _properties(content["schema"]),
                       "required": body.get("required", False)}
                      for media, content in (body or {}).get("content", {}).items()]
            groups[op["tags"][0]]["operations"].append({
                "id": op["operationId"], "method": method.upper(), "path": path, "summary": op["summary"],
                "description": op["description"], "public": {} in op.get("security", [{"bearer": []}]),
                "parameters": [{"name": p["name"], "in": p["in"], "type": type_label(p["schema"]),
                                "required": p.get("required", False), "description": p.get("description", "")}
                               for p in op.get("parameters", [])],
                "bodies": bodies,
                "responses": [_response(s, r) for s, r in op["responses"].items()],
            })
    return [g for g in groups.values() if g["operations"]]


@bp.get("/docs/api")
@public
def api_docs():
    doc = openapi.document(current_app._get_current_object())
    schemas = [{"name": name, "fields": _properties(sch)}
               for name, sch in doc["components"]["schemas"].items() if name != "Error"]
    return render_template("public/api_docs.html", doc=doc, groups=operations_by_tag(doc), schemas=schemas,
                           schema_names={s["name"] for s in schemas}, inline_code=inline_code)
