"""JSON API: the OpenAPI 3.1 description of /api/v1 (public)."""
from __future__ import annotations

from flask import current_app, jsonify

from casting.core import openapi
from casting.core.api import api_blueprint
from casting.core.auth import public

bp = api_blueprint("public_api", __name__)


@bp.get("/openapi.json")
@public
def openapi_document():
    return jsonify(openapi.document(current_app._get_current_object()))
