"""Reading documents back in tests."""
from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader

from casting.audit.models import AuditEntry
from casting.core.blobs import load_blob
from casting.extensions import db


def pdf_of(document) -> bytes:
    return load_blob(document.blob_sha256).data


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes) -> str:
    """All pages' text with whitespace collapsed (so line breaks do not split phrases)."""
    return " ".join(" ".join(page.extract_text() or "" for page in reader(data).pages).split())


def page_texts(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in reader(data).pages]


def by_kind(documents) -> dict:
    return {d.kind: d for d in documents}


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))
