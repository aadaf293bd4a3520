"""Issued PDFs: letters, consent paperwork, offers; their views and signatures."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db


class DocumentKind(enum.StrEnum):
    callback_confirmation = "callback_confirmation"   # a letter: not signed
    consent_rider = "consent_rider"
    recording_release = "recording_release"
    guardian_consent = "guardian_consent"               # signed by the parent or guardian
    offer = "offer"


# Consents that must be signed before check-in.
CONSENT_KINDS = frozenset({DocumentKind.consent_rider, DocumentKind.recording_release, DocumentKind.guardian_consent})
SIGNABLE_KINDS = CONSENT_KINDS | {DocumentKind.offer}


class DocumentStatus(enum.StrEnum):
    pending = "pending"         # serial, code and audit head allocated; the PDF is being rendered
    issued = "issued"           # valid (awaiting signatures when signable)
    signed = "signed"           # every signature is in (the signed copy is signed too)
    superseded = "superseded"   # a newer version replaced it
    void = "void"               # cancelled


# Documents still in force: not superseded or void (a pending one is in force; its PDF is on the way).
CURRENT_DOCUMENT_STATUSES = frozenset({DocumentStatus.pending, DocumentStatus.issued, DocumentStatus.signed})


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (enum_check("kind", DocumentKind), enum_check("status", DocumentStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    serial: Mapped[str] = mapped_column(sa.String(32), unique=True)
    verification_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    # Both None while the document is pending (its PDF not rendered yet).
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    blob_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))
    status: Mapped[str] = mapped_column(sa.String(16), default=DocumentStatus.issued)
    # What a pending document is rendered from (JSON: template context and the blobs it may use); cleared
    # once rendered.
    render_context: Mapped[str | None] = mapped_column(sa.Text)
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

    def can(self, action: str) -> bool:
        """Whether ``action`` is allowed now: sign (an issued, signable document, not a signed copy),
        void or supersede (a document still in force)."""
        if action == "sign":
            return (self.status == DocumentStatus.issued and self.signed_from_id is None
                    and self.kind in SIGNABLE_KINDS)
        if action in ("void", "supersede"):
            return self.status in CURRENT_DOCUMENT_STATUSES
        raise KeyError(action)


class DocumentView(db.Model):
    __tablename__ = "document_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    viewer_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    as_guardian: Mapped[bool] = mapped_column(default=False)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
