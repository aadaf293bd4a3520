"""Issuing documents: render once, store the bytes and their SHA-256, supersede, void.

A document's bytes never change once issued. A correction issues a new version that
supersedes the old one; cancelling voids. Every issue records the audit head at that moment.
"""
from __future__ import annotations

import secrets
from datetime import date

import sqlalchemy as sa
from flask import current_app

from casting.audit import services as audit
from casting.core.auth import hash_token
from casting.core.blobs import load_blob, store_blob
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.core.mail import Attachment, render_body, send_mail
from casting.documents import context as ctx
from casting.documents.codes import format_code, new_code, next_serial
from casting.documents.models import (  # noqa: F401  (CONSENT_KINDS, SIGNABLE_KINDS re-exported)
    CONSENT_KINDS,
    CURRENT_DOCUMENT_STATUSES,
    SIGNABLE_KINDS,
    Document,
    DocumentKind,
    DocumentStatus,
)
from casting.documents.render import render_pdf, with_qr
from casting.extensions import db
from casting.talent.age import is_minor_on


def is_minor_for(invitation) -> bool:
    """Whether the talent is under 18 on the session date (in the venue's timezone)."""
    return is_minor_on(invitation.talent.date_of_birth, ctx.session_date(invitation))


def required_kinds(invitation) -> list[str]:
    """The documents an invitation needs: the confirmation and each consent that applies."""
    kinds = [DocumentKind.callback_confirmation]
    if invitation.role.nudity_or_intimacy:
        kinds.append(DocumentKind.consent_rider)
    if invitation.session.recorded:
        kinds.append(DocumentKind.recording_release)
    if is_minor_for(invitation):
        kinds.append(DocumentKind.guardian_consent)
    return kinds


def current_documents(invitation) -> list[Document]:
    """The invitation's issued (not signed-copy, not superseded, not void) documents."""
    return list(db.session.scalars(
        sa.select(Document).where(Document.invitation_id == invitation.id, Document.signed_from_id.is_(None),
                                  Document.status.in_(CURRENT_DOCUMENT_STATUSES)).order_by(Document.id)
    ))


def invitation_documents(invitation) -> list[Document]:
    """Every document of an invitation, in issue order (signed copies, superseded and void ones too)."""
    return list(db.session.scalars(
        sa.select(Document).where(Document.invitation_id == invitation.id).order_by(Document.id)))


def signed_copies(document: Document) -> list[Document]:
    return list(db.session.scalars(sa.select(Document).where(Document.signed_from_id == document.id)))


def issue(kind: str, *, context: dict, blobs: dict, production_id: int, recipient_id: int, actor,
          title: str, subject: str, tz: str, invitation_id: int | None = None, proposal_id: int | None = None,
          supersedes: Document | None = None, reason: str | None = None,
          guardian: bool = False) -> tuple[Document, str | None]:
    """Render and store one document; returns it and, when a guardian signs it, their one-time link token."""
    lock_for_write()
    now = utcnow()
    serial = next_serial(now)
    code = new_code()
    head = audit.head()[1]
    verify_url = ctx.base_link(f"/verify/{code}")
    blobs, qr_url = with_qr(blobs, verify_url)
    version = supersedes.version + 1 if supersedes else 1
    document_ctx = {
        "kind": kind, "kind_title": ctx.KIND_TITLES[kind], "title": title, "subject": subject, "serial": serial,
        "code": format_code(code), "verify_url": verify_url, "qr_url": qr_url, "version": version,
        "issued": ctx.when(now, tz), "issued_iso": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "audit_head": head,
        "supersedes_serial": supersedes.serial if supersedes else "", "reason": reason or "",
    }
    pdf = render_pdf(f"{kind}.html", {**context, "document": document_ctx}, blobs=blobs, identifier=serial)
    blob = store_blob(pdf, "application/pdf")
    doc = Document(kind=kind, serial=serial, verification_code=code, sha256=blob.sha256, blob_sha256=blob.sha256,
                   status=DocumentStatus.issued, version=version, production_id=production_id, recipient_talent_id=recipient_id,
                   invitation_id=invitation_id, proposal_id=proposal_id, supersedes_id=supersedes.id if supersedes else None,
                   title=title, issued_at=now, issued_by_id=getattr(actor, "id", None), audit_head_at_issue=head)
    token = None
    if guardian:
        token = secrets.token_urlsafe(32)
        doc.guardian_token_hash = hash_token(token)
    db.session.add(doc)
    db.session.flush()
    if supersedes is not None:
        _retire(supersedes, DocumentStatus.superseded, actor=actor, reason=reason, by=doc)
    audit.record("document.issued", doc, actor=actor, data={
        "kind": kind, "serial": serial, "sha256": doc.sha256, "version": version, "audit_head_at_issue": head,
        "supersedes": supersedes.serial if supersedes else None,
    })
    return doc, token


def _retire(document: Document, status: DocumentStatus, *, actor, reason: str | None,
            by: Document | None = None) -> None:
    """Mark a document (and its signed copy) superseded or void."""
    for doc in [document, *signed_copies(document)]:
        doc.status = status
        if status == DocumentStatus.void:
            doc.voided_at = utcnow()
            doc.void_reason = reason
    data = {"serial": document.serial, "kind": document.kind, "reason": reason}
    if by is not None:
        data["superseded_by"] = by.serial
    audit.record("document.voided" if status == DocumentStatus.void else "document.superseded", document, actor=actor, data=data)


# --- invitations -------------------------------------------------------------------------------

def _invitation_meta(kind: str, invitation, context: dict) -> dict:
    role, production, talent = context["role"], context["production"], context["talent"]
    title = f"{ctx.KIND_TITLES[kind]}: {role['name']}, {production['title']}"
    start = context["session"]["start"]
    subject = (f"{ctx.KIND_TITLES[kind]} for {talent['legal_name']}: callback for {role['name']} in "
               f"{production['title']} on {start['date']} at {start['time']} {start['tz']}")
    return {"title": title[:300], "subject": subject, "tz": context["venue"]["timezone"],
            "production_id": invitation.session.production_id, "recipient_id": invitation.talent_id,
            "invitation_id": invitation.id}


def _issue_set(invitation, kinds: list[str], *, actor, existing: dict[str, Document], reason: str | None) -> list[Document]:
    context, blobs = ctx.invitation_context(invitation)
    issued: dict[str, Document] = {}
    tokens: dict[str, str] = {}
    # Consents first, so the confirmation can list them (with their serials) as enclosures.
    confirmation = DocumentKind.callback_confirmation
    for kind in [k for k in kinds if k != confirmation] + [confirmation]:
        kind_ctx = dict(context)
        if kind == confirmation:
            kind_ctx["enclosures"] = [{"title": ctx.KIND_TITLES[k], "serial": d.serial, "to_sign": True,
                                       "by_guardian": k == DocumentKind.guardian_consent} for k, d in issued.items()]
        doc, token = issue(kind, context=kind_ctx, blobs=blobs, actor=actor, supersedes=existing.get(kind),
                           reason=reason, guardian=kind == DocumentKind.guardian_consent,
                           **_invitation_meta(kind, invitation, context))
        issued[kind] = doc
        if token:
            tokens[kind] = token
    if DocumentKind.guardian_consent in tokens:
        _email_guardian(issued[DocumentKind.guardian_consent], tokens[DocumentKind.guardian_consent], context)
    return [issued[k] for k in kinds]


def issue_invitation_documents(invitation, *, actor) -> list[Document]:
    """Issue the callback_confirmation and every consent document this invitation needs; return them.

    The confirmation comes first. The guardian of a talent under 18 is emailed their own
    signing link; the caller emails the talent (with attachments_for(documents)).
    """
    return _issue_set(invitation, required_kinds(invitation), actor=actor, existing={}, reason=None)


def reissue_invitation_documents(invitation, *, actor, reason: str, notify: bool = False) -> list[Document]:
    """The session moved or changed: issue new versions that supersede the current ones; return them.

    Kinds no longer needed (e.g. the session is no longer recorded) are voided; kinds newly
    needed are issued at version 1. The caller tells the talent (callbacks' "changed" email
    attaches the new versions); with ``notify`` this sends its own email instead.
    """
    existing = {d.kind: d for d in current_documents(invitation)}
    kinds = required_kinds(invitation)
    for kind, doc in existing.items():
        if kind not in kinds:
            _retire(doc, DocumentStatus.void, actor=actor, reason=reason)
    documents = _issue_set(invitation, kinds, actor=actor, existing=existing, reason=reason)
    if notify:
        talent = invitation.talent
        send_mail(talent.email, f"Updated documents: {invitation.session.production.title}",
                  render_body("documents_updated.txt", talent=talent, reason=reason, documents=documents),
                  attachments=attachments_for(documents))
    return documents


def void_invitation_documents(invitation, *, actor, reason: str) -> None:
    """The invitation or session was cancelled: void its documents."""
    for doc in current_documents(invitation):
        _retire(doc, DocumentStatus.void, actor=actor, reason=reason)


def void_document(document: Document, *, actor, reason: str) -> None:
    """Void an issued document (and its signed copy): it can no longer be signed, and /verify says so."""
    _retire(document, DocumentStatus.void, actor=actor, reason=reason)


def missing_for_check_in(invitation) -> list[str]:
    """Document kinds that must still be signed before check-in (consent_rider, recording_release, guardian_consent)."""
    signed = {d.kind for d in current_documents(invitation) if d.status == DocumentStatus.signed}
    return [k for k in required_kinds(invitation) if k in CONSENT_KINDS and k not in signed]


def attachments_for(documents) -> list[Attachment]:
    """casting.core.mail.Attachment objects for these documents' PDFs."""
    return [Attachment(f"{d.serial}-{d.kind.replace('_', '-')}.pdf", "application/pdf", load_blob(d.blob_sha256).data)
            for d in documents]


def _email_guardian(document: Document, token: str, context: dict) -> None:
    talent = context["talent"]
    if not talent["guardian_email"]:
        current_app.logger.warning("no guardian email for %s: %s cannot be signed", talent["initials"], document.serial)
        return
    send_mail(talent["guardian_email"], f"Please read and sign: {document.title}",
              render_body("guardian_sign.txt", talent=talent, company=context["company"], token=token,
                          code=format_code(document.verification_code)),
              attachments=attachments_for([document]))


# --- offers ------------------------------------------------------------------------------------

def issue_offer(proposal, *, actor, terms: dict | None = None) -> Document:
    """Issue the offer document of an approved proposal (``terms`` worded for the letter, else the
    proposal's own); return it.

    For a performer under 18 the guardian signs too: they are emailed their own link.
    """
    today = date.today()
    context, blobs = ctx.offer_context(proposal, today, terms)
    talent, role, production = context["talent"], context["role"], context["production"]
    existing = db.session.scalar(
        sa.select(Document).where(Document.proposal_id == proposal.id, Document.kind == DocumentKind.offer,
                                  Document.signed_from_id.is_(None), Document.status.in_(CURRENT_DOCUMENT_STATUSES))
    )
    doc, token = issue(
        DocumentKind.offer, context=context, blobs=blobs, actor=actor, tz=ctx.offer_timezone(proposal),
        title=f"Offer of engagement: {role['name']}, {production['title']}"[:300],
        subject=f"Offer to {talent['legal_name']} for the role of {role['name']} in {production['title']}",
        production_id=proposal.role.production_id, recipient_id=proposal.talent_id, proposal_id=proposal.id,
        supersedes=existing, reason="terms revised" if existing else None, guardian=talent["minor"],
    )
    if token:
        _email_guardian(doc, token, context)
    return doc
