"""Factories and helpers for productions, roles, sides and venues (import them from here)."""
from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from casting.core.blobs import store_blob
from casting.core.uploads import pdf_pages
from casting.extensions import db
from casting.productions.models import ProductionRole, Side
from tests.factories import pdf_bytes

MB = 1024 * 1024


def multipart(fields: dict) -> dict:
    """``client.post(url, **multipart({"file": (bytes, "name.pdf"), "x": "y"}))`` keyword arguments.

    The body is encoded in memory: the test client would otherwise spool bodies over 500 KB to a
    temporary file that it never closes (a ResourceWarning, an error under filterwarnings=error).
    """
    values = {}
    for name, value in fields.items():
        if isinstance(value, tuple):
            data, filename = value
            value = FileStorage(stream=io.BytesIO(data), filename=filename, name=name)
        values[name] = value
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def oversize_pdf(limit_mb: int = 10) -> bytes:
    """A real PDF padded past ``limit_mb`` megabytes (the cap must reject it by size, not type)."""
    data = pdf_bytes()
    return data + b"%" + b"0" * (limit_mb * MB + 1 - len(data)) + b"\n"


def make_side(role: ProductionRole, *, data: bytes | None = None, filename: str = "sides.pdf",
              by=None) -> Side:
    """Sides attached to ``role`` directly (no HTTP)."""
    data = data or pdf_bytes(f"Scene for {role.name}")
    blob = store_blob(data, "application/pdf")
    side = Side(role_id=role.id, filename=filename, blob_sha256=blob.sha256, size=len(data),
                page_count=pdf_pages(data), uploaded_by_id=by.id if by else role.production.created_by_id)
    db.session.add(side)
    db.session.flush()
    return side
