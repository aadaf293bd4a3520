"""Issuing documents: render once, store the bytes and their SHA-256, supersede, void.

A document's bytes never change once issued. A correction issues a new version that
supersedes the old one; cancelling voids. Every issue records the audit head at that moment.

Issuing is three steps, so no PDF is ever rendered while the write lock is held: ``reserve`` (in the caller's
short write transaction: serial, code, audit head, the pending row and what it is rendered from), ``render``
(no transaction at all) and ``store`` (a second short write transaction: the bytes, the status, the audit entry,
the mail that waited for it). ``complete`` runs the last two after the caller's commit: right after a request's,
and in a job (``documents.complete``) as well; ``finish_now`` runs them inside the caller's transaction for
scripts and tests that want the PDFs at once.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

import sqlalchemy as sa
from flask import current_app, has_request_context

from casting.accounts.models import User
from casting.audit import services as audit
from casting.core.aftercommit import after_commit
from casting.core.auth import hash_token
from casting.core.blobs import load_blob, store_blob
from casting.core.database import lock_for_write, read_transaction
from casting.core.db import utcnow
from casting.core.mail import (
    Attachment,
    discard_held,
    release_held,
    render_body,
    send_mail,
)
from casting.documents import context as ctx
from casting.documents import pades
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
from casting.jobs import services as jobs
from casting.talent.age import is_minor_on

# The job that completes pending documents (registered in documents/receivers.py).
COMPLETE_JOB = "documents.complete"


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


def current_documents_for(invitations) -> dict[int, list[Document]]:
    """``current_documents`` of many invitations, by invitation id, in one query (a session page, the portal)."""
    ids = [inv.id for inv in invitations]
    out: dict[int, list[Document]] = {i: [] for i in ids}
    if ids:
        for d in db.session.scalars(sa.select(Document).where(
                Document.invitation_id.in_(ids), Document.signed_from_id.is_(None),
                Document.status.in_(CURRENT_DOCUMENT_STATUSES)).order_by(Document.id)):
            out[d.invitation_id].append(d)
    return out


def invitation_documents(invitation) -> list[Document]:
    """Every document of an invitation, in issue order (signed copies, superseded and void ones too)."""
    return list(db.session.scalars(
        sa.select(Document).where(Document.invitation_id == invitation.id).order_by(Document.id)))


def signed_copies(document: Document) -> list[Document]:
    return list(db.session.scalars(sa.select(Document).where(Document.signed_from_id == document.id)))


def _next_version(kind: str, invitation_id: int | None, proposal_id: int | None) -> int:
    """One more than any earlier version of this kind for the invitation (or proposal), void ones included, so
    (invitation, kind, version) names one document even when a kind is dropped and needed again."""
    if invitation_id is None and proposal_id is None:
        return 1
    owner = Document.invitation_id == invitation_id if invitation_id is not None else Document.proposal_id == proposal_id
    latest = db.session.scalar(sa.select(sa.func.max(Document.version)).where(
        owner, Document.kind == kind, Document.signed_from_id.is_(None)))
    return (latest or 0) + 1


def reserve(kind: str, *, context: dict, blobs: dict, production_id: int, recipient_id: int, actor,
            title: str, subject: str, tz: str, invitation_id: int | None = None, proposal_id: int | None = None,
            supersedes: Document | None = None, reason: str | None = None,
            guardian: bool = False) -> tuple[Document, str | None]:
    """Stage one of issuing, in the caller's (short) write transaction: allocate the serial, the verification
    code and the audit head, and add the document as pending with what it will be rendered from. Returns it
    and, when a guardian signs it, their one-time link token. ``render`` and ``store`` finish it."""
    lock_for_write()
    now = utcnow()
    serial = next_serial(now)
    code = new_code()
    head = audit.head()[1]
    verify_url = ctx.base_link(f"/verify/{code}")
    version = _next_version(kind, invitation_id, proposal_id)
    document_ctx = {
        "kind": kind, "kind_title": ctx.KIND_TITLES[kind], "title": title, "subject": subject, "serial": serial,
        "code": format_code(code), "verify_url": verify_url, "version": version,
        "issued": ctx.when(now, tz), "issued_iso": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "audit_head": head,
        "supersedes_serial": supersedes.serial if supersedes else "", "reason": reason or "",
    }
    source = {"template": f"{kind}.html", "context": {**context, "document": document_ctx},
              "blobs": {sha: content_type for sha, (_data, content_type) in blobs.items()}}
    doc = Document(kind=kind, serial=serial, verification_code=code, sha256=None, blob_sha256=None,
                   status=DocumentStatus.pending, version=version, production_id=production_id,
                   recipient_talent_id=recipient_id, invitation_id=invitation_id, proposal_id=proposal_id,
                   supersedes_id=supersedes.id if supersedes else None, title=title, issued_at=now,
                   issued_by_id=getattr(actor, "id", None), audit_head_at_issue=head,
                   render_context=json.dumps(source, default=_json_default))
    token = None
    if guardian:
        token = secrets.token_urlsafe(32)
        doc.guardian_token_hash = hash_token(token)
    db.session.add(doc)
    db.session.flush()
    # The issue is on the record at once, right after the head the letter prints; its bytes' SHA-256 follows
    # in "document.rendered" when stored.
    audit.record("document.issued", doc, actor=actor, data={
        "kind": kind, "serial": serial, "version": version, "audit_head_at_issue": head,
        "supersedes": supersedes.serial if supersedes else None,
    })
    if supersedes is not None:
        _retire(supersedes, DocumentStatus.superseded, actor=actor, reason=reason, by=doc)
    return doc, token


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a document's context")


@dataclass(frozen=True)
class RenderJob:
    """A pending document's render, as plain data: no ORM object, no transaction needed to run it."""
    document_id: int
    serial: str
    source: dict
    blobs: dict


def render_job(doc: Document) -> RenderJob:
    """Read what ``doc`` is rendered from (in a transaction: the logo's bytes come from the blobs table)."""
    source = json.loads(doc.render_context)
    blobs = {}
    for sha, content_type in source["blobs"].items():
        blob = load_blob(sha)
        if blob is not None:
            blobs[sha] = (blob.data, content_type)
    return RenderJob(doc.id, doc.serial, source, blobs)


def render(job: RenderJob) -> bytes:
    """Stage two: the PDF, signed with the installation's key (PAdES B-B). Touches no database, so it runs with
    no transaction and no lock held."""
    context = dict(job.source["context"])
    document_ctx = dict(context["document"])
    blobs, document_ctx["qr_url"] = with_qr(job.blobs, document_ctx["verify_url"])
    context["document"] = document_ctx
    pdf = render_pdf(job.source["template"], context, blobs=blobs, identifier=job.serial)
    return pades.sign(pdf, reason=f"{document_ctx.get('title') or 'Document'} {job.serial}, issued by Callback")


def store(document_id: int, pdf: bytes) -> Document | None:
    """Stage three, in a short write transaction: keep the bytes, mark the document issued, record it and send
    the mail that waited for it. Idempotent: a document already stored is left as it is (None is returned),
    so a render retried or run twice never issues twice."""
    lock_for_write()
    doc = db.session.get(Document, document_id)
    if doc is None or doc.blob_sha256 is not None:
        return None
    blob = store_blob(pdf, "application/pdf")
    doc.sha256 = doc.blob_sha256 = blob.sha256
    doc.render_context = None
    current = doc.status == DocumentStatus.pending
    if current:
        doc.status = DocumentStatus.issued
    db.session.flush()
    actor = db.session.get(User, doc.issued_by_id) if doc.issued_by_id else None
    audit.record("document.rendered", doc, actor=actor, production_id=doc.production_id,
                 data={"kind": doc.kind, "serial": doc.serial, "sha256": doc.sha256, "version": doc.version})
    if current:
        release_held([attachment_ref(doc)])
    else:  # superseded or void while it rendered: it keeps that status and its bytes, and its news is not sent
        discard_held([attachment_ref(doc)], reason=f"{doc.serial} was {doc.status} before its PDF existed")
    return doc


def finish_now(documents: list[Document]) -> list[Document]:
    """Render and store pending documents inside the caller's transaction (scripts and tests that want the
    PDFs at once; requests and jobs use ``complete`` after their commit instead)."""
    for doc in documents:
        if doc.blob_sha256 is None:
            store(doc.id, render(render_job(doc)))
    return documents


def finish_all_pending_now() -> list[Document]:
    """Render and store every pending document in the caller's transaction (a script that goes on to use the
    PDFs at once, e.g. the demo seed signing an offer)."""
    return finish_now(list(db.session.scalars(
        sa.select(Document).where(Document.status == DocumentStatus.pending, Document.blob_sha256.is_(None),
                                  Document.render_context.is_not(None)).order_by(Document.id))))


def complete(document_ids) -> list[int]:
    """Finish pending documents off the write lock: read what to render (a read-only transaction), render with no
    transaction open, then store them all in one short write transaction. Returns the ids it stored."""
    with read_transaction():  # also ends whatever the caller had open: nothing below runs inside it
        jobs = [render_job(doc) for doc in db.session.scalars(
            sa.select(Document).where(Document.id.in_(list(document_ids)), Document.blob_sha256.is_(None),
                                      Document.render_context.is_not(None)).order_by(Document.id))]
    if not jobs:
        return []
    rendered = []
    for job in jobs:
        with read_transaction():  # were anything while rendering to read the database, it never takes the write lock
            rendered.append((job.document_id, render(job)))
        hook = current_app.config.get("CASTING_TEST_RENDER_HOOK") if current_app.testing else None
        if hook is not None:  # tests: hold the render here and prove no lock is held meanwhile
            hook(job)
    stored = [document_id for document_id, pdf in rendered if store(document_id, pdf) is not None]
    db.session.commit()
    return stored


def pending_ids(documents) -> list[int]:
    return [d.id for d in documents if d.blob_sha256 is None]


def finish_after_commit(documents, *, actor) -> None:
    """Have the pending ``documents`` rendered once the caller's transaction commits: right after it in a
    request (before the response is sent, so a client that reads them next finds them ready), and in any case
    by a job (a worker process: on every core, and the safety net when the request's process dies first; it
    finds nothing left to do when the request finished them)."""
    ids = pending_ids(documents)
    if not ids:
        return
    if has_request_context():
        after_commit(partial(complete, ids))
    jobs.start(COMPLETE_JOB, {"document_ids": ids}, actor)


def attachment_ref(doc: Document) -> str:
    return f"document:{doc.id}"


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
        doc, token = reserve(kind, context=kind_ctx, blobs=blobs, actor=actor, supersedes=existing.get(kind),
                           reason=reason, guardian=kind == DocumentKind.guardian_consent,
                           **_invitation_meta(kind, invitation, context))
        issued[kind] = doc
        if token:
            tokens[kind] = token
    if DocumentKind.guardian_consent in tokens:
        _email_guardian(issued[DocumentKind.guardian_consent], tokens[DocumentKind.guardian_consent], context)
    return [issued[k] for k in kinds]


def _finish(documents: list[Document], *, actor, defer: bool) -> list[Document]:
    if defer:
        finish_after_commit(documents, actor=actor)
        return documents
    return finish_now(documents)


def issue_invitation_documents(invitation, *, actor, defer: bool = False) -> list[Document]:
    """Issue the callback_confirmation and every consent document this invitation needs; return them.

    The confirmation comes first. The guardian of a talent under 18 is emailed their own
    signing link; the caller emails the talent (with attachments_for(documents)). With ``defer`` the
    documents are only reserved here (pending) and rendered after the caller's transaction commits; mail
    attaching them waits for them.
    """
    documents = _issue_set(invitation, required_kinds(invitation), actor=actor, existing={}, reason=None)
    return _finish(documents, actor=actor, defer=defer)


def reissue_invitation_documents(invitation, *, actor, reason: str, notify: bool = False,
                                 defer: bool = False) -> list[Document]:
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
    documents = _finish(_issue_set(invitation, kinds, actor=actor, existing=existing, reason=reason),
                        actor=actor, defer=defer)
    if notify:
        talent = invitation.talent
        send_mail(talent.email, f"Updated documents: {invitation.session.production.title}",
                  render_body("documents_updated.txt", talent=talent, reason=reason, documents=documents),
                  attachments=attachments_for(documents))
    return documents


def replace_invitation_documents(invitation, *, actor, reason: str, defer: bool = False) -> list[Document]:
    """The invitation moved to another slot: its current documents are void (a letter for the old time must
    not pass as valid) and a new set is issued for the new time; return the new set."""
    for doc in current_documents(invitation):
        void_document(doc, actor=actor, reason=reason)
    return issue_invitation_documents(invitation, actor=actor, defer=defer)


def void_invitation_documents(invitation, *, actor, reason: str) -> None:
    """The invitation or session was cancelled: void its documents in force (superseded versions stay so)."""
    for doc in current_documents(invitation):
        void_document(doc, actor=actor, reason=reason)


def void_document(document: Document, *, actor, reason: str) -> None:
    """Void an issued document (and its signed copy): it can no longer be signed, and /verify says so."""
    _retire(document, DocumentStatus.void, actor=actor, reason=reason)


def missing_for_check_in(invitation) -> list[str]:
    """Document kinds that must still be signed before check-in (consent_rider, recording_release, guardian_consent)."""
    signed = {d.kind for d in current_documents(invitation) if d.status == DocumentStatus.signed}
    return [k for k in required_kinds(invitation) if k in CONSENT_KINDS and k not in signed]


def attachment_for(document: Document) -> Attachment:
    """A casting.core.mail.Attachment of the document's PDF; while it is pending, a ref the mail waits for."""
    filename = f"{document.serial}-{document.kind.replace('_', '-')}.pdf"
    if document.blob_sha256 is None:
        return Attachment(filename, "application/pdf", None, ref=attachment_ref(document))
    return Attachment(filename, "application/pdf", load_blob(document.blob_sha256).data)


def attachments_for(documents) -> list[Attachment]:
    """casting.core.mail.Attachment objects for these documents' PDFs (refs for pending ones)."""
    return [attachment_for(d) for d in documents]


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

def issue_offer(proposal, *, actor, terms: dict | None = None, defer: bool = False) -> Document:
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
    doc, token = reserve(
        DocumentKind.offer, context=context, blobs=blobs, actor=actor, tz=ctx.offer_timezone(proposal),
        title=f"Offer of engagement: {role['name']}, {production['title']}"[:300],
        subject=f"Offer to {talent['legal_name']} for the role of {role['name']} in {production['title']}",
        production_id=proposal.role.production_id, recipient_id=proposal.talent_id, proposal_id=proposal.id,
        supersedes=existing, reason="terms revised" if existing else None, guardian=talent["minor"],
    )
    if token:
        _email_guardian(doc, token, context)
    return _finish([doc], actor=actor, defer=defer)[0]
