"""The public verify answers: by code or by the exact bytes of a PDF, showing only the recipient's initials."""
from __future__ import annotations

import sqlalchemy as sa

from casting.core.blobs import sha256_hex
from casting.core.errors import TooLarge, UnsupportedMediaType, ValidationError
from casting.core.uploads import MB, PDF_LIMIT
from casting.documents import pades
from casting.documents.codes import normalise_code
from casting.documents.context import KIND_TITLES
from casting.documents.models import Document, DocumentKind, DocumentStatus
from casting.extensions import db

# What a document's status means to someone holding it.
# A pending document (its PDF still rendering: no one holds it yet) answers "pending".
PUBLIC_STATUS = {DocumentStatus.pending: "pending", DocumentStatus.issued: "valid", DocumentStatus.signed: "signed",
                 DocumentStatus.superseded: "superseded", DocumentStatus.void: "void"}


def find_by_code(text: str | None) -> Document | None:
    """The document with this verification code (typed any way), or None."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(sa.select(Document).where(Document.verification_code == code))


def find_by_bytes(data: bytes) -> Document | None:
    """The document whose stored bytes are exactly ``data``, or None."""
    return db.session.scalar(sa.select(Document).where(Document.sha256 == sha256_hex(data)).order_by(Document.id).limit(1))


def signature_of(data: bytes) -> pades.SignatureCheck:
    """Whether the PDF's digital signature is this installation's and intact (checked offline, whatever the
    bytes: an altered letter is caught even where its hash matches nothing)."""
    return pades.check(data)


def certificate() -> pades.Installation:
    """The installation's signing certificate (PEM, fingerprint, subject), as the verify pages publish it."""
    return pades.installation()


def read_pdf_upload(file_storage, *, field: str = "file") -> bytes:
    """The uploaded file's bytes, if it is a PDF by content (an altered PDF still counts: it is compared, not parsed)."""
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise ValidationError({field: ["Choose the PDF file to check."]})
    data = file_storage.stream.read(PDF_LIMIT + 1)
    if len(data) > PDF_LIMIT:
        raise TooLarge(f"The file is over the {PDF_LIMIT // MB} MB limit.", details={"limit_bytes": PDF_LIMIT})
    if not data:
        raise ValidationError({field: ["The file is empty."]})
    if b"%PDF-" not in data[:1024]:
        raise UnsupportedMediaType("The file is not a PDF.")
    return data


def newer_version(document: Document) -> Document | None:
    """The version that replaced a superseded document."""
    original = document.signed_from or document
    return db.session.scalar(sa.select(Document).where(Document.supersedes_id == original.id))


def callback_facts(document: Document) -> dict:
    """For a callback confirmation, where and when the callback is (the talent's own slot, in the venue's
    timezone) and for which role, so a real code copied onto a letter with another place or time is caught."""
    invitation = document.invitation
    if document.kind != DocumentKind.callback_confirmation or invitation is None:
        return {}
    venue = invitation.session.venue
    return {"session": {"starts_at": invitation.starts_at, "ends_at": invitation.ends_at, "venue_name": venue.name,
                        "venue_address": venue.address or "", "timezone": venue.timezone},
            "role": invitation.role.name}


def public_facts(document: Document) -> dict:
    """What anyone may learn from a code or a PDF: no names beyond the recipient's initials."""
    original = document.signed_from or document
    newer = newer_version(document) if document.status == DocumentStatus.superseded else None
    return {
        **callback_facts(document),
        "status": PUBLIC_STATUS.get(document.status, document.status),
        "kind": document.kind,
        "kind_title": KIND_TITLES.get(document.kind, document.kind),
        "issuer": document.production.company.legal_name,
        "issuer_registration_number": document.production.company.registration_number,
        "issuer_verified": document.production.company.verified_at is not None,
        "production": document.production.title,
        "issued_at": document.issued_at,
        "recipient_initials": document.recipient.initials,
        "sha256": document.sha256,
        "serial": document.serial,
        "version": document.version,
        "signed_copy": document.signed_from_id is not None,
        "signed_at": (original.signed_at or original.guardian_signed_at) if document.status == DocumentStatus.signed else None,
        "voided_at": document.voided_at,
        "superseded_by_version": newer.version if newer else None,
    }
