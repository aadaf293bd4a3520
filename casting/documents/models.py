"""Issued PDFs: letters, consent paperwork, offers; their views and signatures."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, utcnow
from casting.extensions import db

DOCUMENT_KINDS = ("callback_confirmation", "consent_rider", "recording_release", "guardian_consent", "offer")


class Document(db.Model):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    serial: Mapped[str] = mapped_column(sa.String(32), unique=True)
    verification_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    blob_sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"))
    status: Mapped[str] = mapped_column(sa.String(16), default="issued")
    version: Mapped[int] = mapped_column(default=1)
    production_id: Mapped[int] = mapped_column(sa.ForeignKey("productions.id"), index=True)
    recipient_talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id"))
    # The signed copy points at the issued document it signs.
    signed_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id"))
    title: Mapped[str] = mapped_column(sa.String(300))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    audit_head_at_issue: Mapped[str] = mapped_column(sa.String(64))
    first_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_name: Mapped[str | None] = mapped_column(sa.String(200))
    signed_by_guardian: Mapped[bool] = mapped_column(default=False)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(sa.Text)
    # One-time link for a guardian to open and sign guardian_consent / an offer.
    guardian_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    guardian_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guardian_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guardian_signed_name: Mapped[str | None] = mapped_column(sa.String(200))

    production: Mapped["Production"] = relationship()  # noqa: F821
    recipient: Mapped["TalentProfile"] = relationship()  # noqa: F821
    invitation: Mapped["Invitation | None"] = relationship()  # noqa: F821
    proposal: Mapped["Proposal | None"] = relationship(foreign_keys=[proposal_id])  # noqa: F821
    supersedes: Mapped["Document | None"] = relationship(remote_side=[id], foreign_keys=[supersedes_id])
    signed_from: Mapped["Document | None"] = relationship(remote_side=[id], foreign_keys=[signed_from_id])


class DocumentView(db.Model):
    __tablename__ = "document_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    viewer_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    as_guardian: Mapped[bool] = mapped_column(default=False)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
