"""Serving a talent's headshots and résumé: bytes from the blob store, behind talent/access.py's rules."""
from __future__ import annotations

from casting.core.blobs import load_blob
from casting.core.downloads import download
from casting.core.errors import NotFound
from casting.core.permissions import get_or_404
from casting.talent import access
from casting.talent.models import TalentHeadshot, TalentProfile

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "application/pdf": "pdf"}


def _send(digest: str | None, filename: str):
    blob = load_blob(digest) if digest else None
    if blob is None:
        raise NotFound()
    # The type was sniffed at upload; never let the browser guess another, and keep it out of shared caches.
    return download(blob.data, blob.content_type, filename, inline=True)


def headshot_response(talent_id, headshot_id, user, *, thumb: bool = False):
    """A headshot of a talent ``user`` may see (the headshots go with the profile), else NotFound; ``thumb``:
    its small JPEG (the full image when it has none)."""
    talent = access.visible_talent(talent_id, user)
    headshot = get_or_404(TalentHeadshot, headshot_id)  # an id out of range is a 404, never a database error
    if headshot.talent_id != talent.id:
        raise NotFound()
    if thumb and headshot.thumb_sha256:
        return _send(headshot.thumb_sha256, f"headshot-{talent.id}-{headshot.id}-small.jpg")
    return _send(headshot.sha256, f"headshot-{talent.id}-{headshot.id}.{EXTENSIONS.get(headshot.content_type, 'bin')}")


def resume_response(talent: TalentProfile, user):
    """The résumé, if ``user`` may read it (talent/access.py ``private_parts``), else NotFound."""
    access.require_part(talent, user, access.RESUME)
    return _send(talent.resume_sha256, talent.resume_filename or f"resume-{talent.id}.pdf")
