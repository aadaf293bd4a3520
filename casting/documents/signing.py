"""Opening and signing documents: the recipient in the portal, a guardian from their emailed link.

A document is signed only by whom it is addressed to (or, for guardian_consent and a minor's
offer, the guardian), only after they opened it, by typing their legal name and agreeing.
Once every signature it needs is in, a signed PDF is stored: the issued pages unchanged,
then a signature page with the typed names, the times and the SHA-256 of what was signed.
"""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit import services as audit
from casting.core.auth import hash_token
from casting.core.blobs import load_blob, store_blob
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.core.errors import (
    Forbidden,
    InvalidState,
    NotFound,
    NotViewed,
    ValidationError,
)
from casting.core.mail import render_body, send_mail
from casting.documents import context as ctx
from casting.documents import pades
from casting.documents.access import can_see, is_recipient
from casting.documents.codes import format_code, new_code
from casting.documents.issuing import attachments_for
from casting.documents.models import (
    SIGNABLE_KINDS,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentView,
)
from casting.documents.render import append_pages, render_pdf, with_qr
from casting.documents.signals import document_signed
from casting.extensions import db

# Most characters per field: the sign form takes its limit from here.
SIGNATURE_LIMITS = {"full_name": 200}


def needs_talent_signature(document: Document) -> bool:
    return document.kind in SIGNABLE_KINDS and document.kind != DocumentKind.guardian_consent


def needs_guardian_signature(document: Document) -> bool:
    """guardian_consent always; an offer when it was issued to a minor (it then carries a guardian link)."""
    return document.kind == DocumentKind.guardian_consent or (document.kind == DocumentKind.offer
                                                               and document.guardian_token_hash is not None)


def awaiting(document: Document) -> list[str]:
    """Who still has to sign: "talent" and/or "guardian" (empty once signed or not signable)."""
    if not document.can("sign"):
        return []
    out = []
    if needs_talent_signature(document) and document.signed_at is None:
        out.append("talent")
    if needs_guardian_signature(document) and document.guardian_signed_at is None:
        out.append("guardian")
    return out


def record_view(document: Document, *, actor) -> bool:
    """Record that the recipient opened the PDF (others' reads are not views); True when recorded."""
    if not is_recipient(document, actor):
        return False
    now = utcnow()
    db.session.add(DocumentView(document_id=document.id, viewer_user_id=actor.id, viewed_at=now))
    first = document.first_viewed_at is None
    if first:
        document.first_viewed_at = now
    audit.record("document.viewed", document, actor=actor,
                 data={"serial": document.serial, "kind": document.kind, "first": first})
    return True


def _names_match(typed: str, expected: str | None) -> bool:
    norm = lambda s: " ".join((s or "").split()).casefold()  # noqa: E731
    return bool(expected) and norm(typed) == norm(expected)


def _check_input(document: Document, full_name, agree, expected: str | None, who: str) -> str:
    errors: dict[str, list[str]] = {}
    if agree is not True:
        errors["agree"] = ["Tick the box to say you have read the document and agree to it."]
    if not isinstance(full_name, str) or not full_name.strip():
        errors["full_name"] = ["Type your full legal name."]
    elif len(full_name.strip()) > SIGNATURE_LIMITS["full_name"]:
        errors["full_name"] = [f"At most {SIGNATURE_LIMITS['full_name']} characters."]
    elif not _names_match(full_name, expected):
        errors["full_name"] = [f"Type {who} full legal name exactly as the document gives it."]
    if errors:
        raise ValidationError(errors, entity=document, production_id=document.production_id)
    return " ".join(full_name.split())


def _check_open(document: Document, role: str) -> None:
    if document.signed_from_id is not None:
        raise InvalidState("This is the signed copy; there is nothing left to sign.", entity=document)
    if document.kind not in SIGNABLE_KINDS:
        raise InvalidState("This letter is not signed. Confirm or decline the invitation instead.", entity=document)
    if not document.can("sign"):
        raise InvalidState(f"This document is {document.status}; it can no longer be signed.", entity=document)
    if role not in awaiting(document):
        raise InvalidState("This document has already been signed.", entity=document)


def sign_document(document: Document, *, actor, full_name, agree) -> Document | None:
    """The recipient signs; returns the signed copy once every signature is in (else None: the guardian's is awaited)."""
    if not can_see(document, actor):
        raise NotFound()
    if not is_recipient(document, actor):
        raise Forbidden("Only the person this document is addressed to may sign it.", entity=document,
                        production_id=document.production_id)
    if document.kind == DocumentKind.guardian_consent:
        raise Forbidden("A parent or guardian signs this consent, from the link emailed to them.", entity=document,
                        production_id=document.production_id)
    _check_open(document, "talent")
    if document.first_viewed_at is None:
        raise NotViewed("Open the document and read it before signing.", entity=document,
                        production_id=document.production_id)
    name = _check_input(document, full_name, agree, document.recipient.legal_name, "your")
    document.signed_at = utcnow()
    document.signed_name = name
    audit.record("document.signature_added", document, actor=actor,
                 data={"serial": document.serial, "by": "talent", "name": name, "sha256": document.sha256})
    return _complete(document, actor=actor)


def guardian_document(token: str) -> Document:
    """The document of a guardian's emailed link, or NotFound."""
    document = db.session.scalar(sa.select(Document).where(Document.guardian_token_hash == hash_token(token or "")))
    if document is None:
        raise NotFound("This link is unknown. Use the latest link the casting office emailed you.")
    return document


def record_guardian_view(document: Document) -> None:
    """The guardian opened the PDF from their link."""
    now = utcnow()
    db.session.add(DocumentView(document_id=document.id, viewer_user_id=None, as_guardian=True, viewed_at=now))
    first = document.guardian_viewed_at is None
    if first:
        document.guardian_viewed_at = now
    audit.record("document.viewed", document, actor=None,
                 data={"serial": document.serial, "kind": document.kind, "as_guardian": True, "first": first})


def guardian_sign(document: Document, *, full_name, agree) -> Document | None:
    """The guardian signs from their link; returns the signed copy once every signature is in."""
    _check_open(document, "guardian")
    if document.guardian_viewed_at is None:
        raise NotViewed("Open the document and read it before signing.", entity=document,
                        production_id=document.production_id)
    name = _check_input(document, full_name, agree, document.recipient.guardian_name, "the guardian's")
    document.guardian_signed_at = utcnow()
    document.guardian_signed_name = name
    document.signed_by_guardian = True
    audit.record("document.signature_added", document, actor=None,
                 data={"serial": document.serial, "by": "guardian", "name": name, "sha256": document.sha256})
    return _complete(document, actor=None)


def document_timezone(document: Document) -> str:
    if document.invitation is not None:
        return document.invitation.session.venue.timezone
    if document.proposal is not None:
        return ctx.offer_timezone(document.proposal)
    return "UTC"


def _signature_rows(document: Document, tz: str) -> list[dict]:
    rows = []
    talent = document.recipient
    if document.signed_at is not None:
        rows.append({"capacity": "Signed by the talent", "name": document.signed_name,
                     "at": ctx.when(document.signed_at, tz), "at_utc": document.signed_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                     "viewed": ctx.when(document.first_viewed_at, tz),
                     "method": f"Typed in the Callback portal, signed in as {talent.email}"})
    if document.guardian_signed_at is not None:
        rows.append({"capacity": f"Signed by the parent or guardian of {talent.legal_name}",
                     "name": document.guardian_signed_name, "at": ctx.when(document.guardian_signed_at, tz),
                     "at_utc": document.guardian_signed_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                     "viewed": ctx.when(document.guardian_viewed_at, tz),
                     "method": f"Typed on the page of the one-time link emailed to {talent.guardian_email or 'the guardian'}"})
    return rows


def _complete(document: Document, *, actor) -> Document | None:
    """Store the signed copy once nobody else has to sign; tell decisions when an offer is accepted."""
    if awaiting(document):
        return None
    lock_for_write()
    now = utcnow()
    tz = document_timezone(document)
    head = audit.head()[1]
    code = new_code()
    serial = f"{document.serial}-S"
    verify_url = ctx.base_link(f"/verify/{code}")
    company, blobs = ctx.letterhead(document.production.company)
    blobs, qr_url = with_qr(blobs, verify_url)
    page_ctx = {
        "company": company, "production": ctx.production_dict(document.production),
        "talent": ctx.talent_dict(document.recipient),
        "signed": {"title": document.title, "serial": document.serial, "version": document.version,
                   "issued": ctx.when(document.issued_at, tz), "sha256": document.sha256,
                   "code": format_code(document.verification_code)},
        "signatures": _signature_rows(document, tz),
        "document": {"kind": document.kind, "kind_title": "Signature record", "title": f"{document.title} (signed)",
                     "subject": f"Signature record of {document.serial}", "serial": serial, "code": format_code(code),
                     "verify_url": verify_url, "qr_url": qr_url, "version": document.version,
                     "issued": ctx.when(now, tz), "issued_iso": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "audit_head": head,
                     "supersedes_serial": "", "reason": ""},
    }
    page = render_pdf("signature.html", page_ctx, blobs=blobs, identifier=serial)
    original = load_blob(document.blob_sha256).data
    pdf = pades.sign(append_pages(pades.without_signatures(original), page, {
        "/Title": f"{document.title} (signed)", "/Author": document.production.company.legal_name,
        "/Subject": f"{document.title}, signed; SHA-256 of the issued document {document.sha256}",
        "/Creator": "Callback", "/Producer": "Callback (WeasyPrint, pypdf, pyHanko)",
    }), reason=f"Signature record {serial}, issued by Callback")
    blob = store_blob(pdf, "application/pdf")
    signed = Document(kind=document.kind, serial=serial, verification_code=code, sha256=blob.sha256,
                      blob_sha256=blob.sha256, status=DocumentStatus.signed, version=document.version,
                      production_id=document.production_id, recipient_talent_id=document.recipient_talent_id,
                      invitation_id=document.invitation_id, proposal_id=document.proposal_id,
                      signed_from_id=document.id, title=f"{document.title} (signed)"[:300], issued_at=now,
                      issued_by_id=getattr(actor, "id", None), audit_head_at_issue=head,
                      signed_at=document.signed_at or document.guardian_signed_at,
                      signed_name=document.signed_name or document.guardian_signed_name,
                      signed_by_guardian=document.guardian_signed_at is not None,
                      guardian_signed_at=document.guardian_signed_at, guardian_signed_name=document.guardian_signed_name)
    db.session.add(signed)
    document.status = DocumentStatus.signed
    db.session.flush()
    audit.record("document.signed", document, actor=actor, data={
        "serial": document.serial, "kind": document.kind, "signed_sha256": document.sha256,
        "signed_document_id": signed.id, "signed_copy_sha256": signed.sha256, "signed_copy_serial": serial,
        "talent_name": document.signed_name, "guardian_name": document.guardian_signed_name,
    })
    _email_signed_copy(document, signed)
    # Decisions accepts a signed offer (and casts the role); a refusal there rolls the signing back.
    document_signed.send(document, actor=actor)
    return signed


def _email_signed_copy(document: Document, signed: Document) -> None:
    """Everyone who signed gets the signed copy."""
    talent = document.recipient
    to = [talent.email]
    if document.guardian_signed_at is not None and talent.guardian_email:
        to.append(talent.guardian_email)
    send_mail(to, f"Signed: {document.title}",
              render_body("document_signed.txt", document=document, signed=signed,
                          code=format_code(signed.verification_code)),
              attachments=attachments_for([signed]))
