"""Downloading sides: members get the stored original; a talent gets a copy stamped with their name, email and
the time (``watermark.stamp``), built for that download, and the download is audited."""
from __future__ import annotations

from flask import Response

from casting.audit import services as audit
from casting.core.blobs import load_blob, sha256_hex
from casting.core.database import begin_writing
from casting.core.db import utcnow
from casting.core.downloads import download
from casting.core.errors import InvalidState, NotFound
from casting.extensions import db
from casting.productions.access import can_see_production
from casting.productions.models import Side
from casting.productions.serializers import side_response
from casting.productions.watermark import StampFailed, stamp

STAMP_TIME_FORMAT = "%Y-%m-%d %H:%M UTC"


def is_stamped_for(side: Side, reader) -> bool:
    """Whether ``reader`` gets a stamped copy: anyone reading the sides as talent (not a member of the
    production, nor an admin)."""
    return not can_see_production(side.role.production, reader)


def download_side(side: Side, reader, *, inline: bool = False) -> Response:
    """The sides for ``reader`` (who may see them: the caller checked). A talent's copy is stamped on every page
    and the download recorded; the stored bytes never change."""
    if not is_stamped_for(side, reader):
        return side_response(side, inline=inline)
    blob = load_blob(side.blob_sha256)
    if blob is None:
        raise NotFound()
    original, filename = blob.data, side.filename or "sides.pdf"
    facts = {"side_id": side.id, "role_id": side.role_id, "production_id": side.role.production_id,
             "sha256": side.blob_sha256}
    name, email = reader.name, reader.email
    # The stamp is built with no transaction open, so a long PDF holds no lock; the audit entry is then written
    # in a short write transaction the request commits.
    db.session.rollback()
    now = utcnow()
    try:
        stamped = stamp(original, name=name, email=email, when=now.strftime(STAMP_TIME_FORMAT))
    except StampFailed:
        raise InvalidState("These sides cannot be stamped with your name, so they cannot be downloaded. Ask the "
                           "casting director for another copy.", production_id=facts["production_id"]) from None
    begin_writing()
    audit.record("side.downloaded", entity_type="sides", entity_id=facts["side_id"], actor=reader,
                 production_id=facts["production_id"],
                 data={"role_id": facts["role_id"], "sha256": facts["sha256"], "stamped_sha256": sha256_hex(stamped),
                       "stamped_at": now.isoformat(), "name": name, "email": email})
    return download(stamped, "application/pdf", filename, inline=inline)
