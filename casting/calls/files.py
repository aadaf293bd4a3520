"""Serving a submission's headshot or resume: bytes from the blob store, behind an access check."""
from __future__ import annotations

from casting.core.blobs import load_blob
from casting.core.downloads import download
from casting.core.errors import NotFound

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "application/pdf": "pdf"}


def blob_response(submission, kind: str):
    """The ``headshot`` or ``resume`` of a submission the caller was allowed to load, or NotFound."""
    digest = submission.headshot_sha256 if kind == "headshot" else submission.resume_sha256
    blob = load_blob(digest) if digest else None
    if blob is None:
        raise NotFound()
    # The type was sniffed at upload; never let the browser guess another, and keep it out of shared caches.
    return download(blob.data, blob.content_type, f"{kind}-{submission.id}.{EXTENSIONS.get(blob.content_type, 'bin')}",
                    inline=True)
