"""Matrix rows for the API's description: the OpenAPI document and its page, open to anyone."""
from __future__ import annotations

from tests.access.matrix import PUBLIC_PAGE, Row

ROWS = [
    Row("GET", "public_api.openapi_document", lambda w: "/api/v1/openapi.json", PUBLIC_PAGE),
    Row("GET", "api_docs.api_docs", lambda w: "/docs/api", PUBLIC_PAGE),
]
