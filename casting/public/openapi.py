"""The description's own operation, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.core import openapi as oa

oa.declare("public_api", "API description", {
    "openapi_document": oa.Operation(
        "This OpenAPI 3.1 description",
        "Every /api/v1 operation: parameters, request bodies, responses with their schemas, error codes and "
        "bearer auth. Public. The same description is rendered as a page at /docs/api.",
        {200: oa.obj({"openapi": oa.string(), "info": oa.any_object(), "paths": oa.any_object(),
                      "components": oa.any_object()})}),
}, description="The description of this API.")
