"""Serving a submission's headshot or resume: bytes from the blob store, behind an access check."""
from __future__ import annotations

from flask import Response

from casting.core.blobs import load_blob
from casting.core.errors import NotFound

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "application/pdf": "pdf"}


def blob_response(submission, kind: str) -> Response:
    """The ``headshot`` or ``resume`` of a submission the caller was allowed to load, or NotFound."""
    digest = submission.headshot_sha256 if kind == "headshot" else submission.resume_sha256
    blob = load_blob(digest) if digest else None
    if blob is None:
        raise NotFound()
    resp = Response(blob.data, mimetype=blob.content_type)
    # The type was sniffed at upload; never let the browser guess another, and keep it out of shared caches.
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Content-Disposition"] = (
        f'inline; filename="{kind}-{submission.id}.{EXTENSIONS.get(blob.content_type, "bin")}"')
    return resp
