"""Issuing, viewing, signing and verifying documents.

INTERFACE used by callbacks/ and decisions/ (the functions are implemented in issuing.py,
signing.py and verify.py; this module is the one to import):

- issue_invitation_documents(invitation, actor=) -> [confirmation, *consents]
- reissue_invitation_documents(invitation, actor=, reason=, notify=False) -> new versions
- void_invitation_documents(invitation, actor=, reason=)
- void_document(document, actor=, reason=): the one way another feature voids a document
- missing_for_check_in(invitation) -> kinds still unsigned
- check_in_items(invitation) -> rows for the "what is missing" partial (templates/documents/_missing.html)
- attachments_for(documents) -> mail attachments
- issue_offer(proposal, actor=) -> the offer document
"""
from __future__ import annotations

from casting.core.blobs import sha256_hex
from casting.documents.access import can_see, is_recipient, visible_document
from casting.documents.context import KIND_TITLES
from casting.documents.issuing import (
    CONSENT_KINDS,
    SIGNABLE_KINDS,
    attachments_for,
    current_documents,
    current_documents_for,
    issue_invitation_documents,
    issue_offer,
    missing_for_check_in,
    reissue_invitation_documents,
    required_kinds,
    signed_copies,
    void_document,
    void_invitation_documents,
)
from casting.documents.models import DocumentKind, DocumentStatus
from casting.documents.signing import (
    awaiting,
    guardian_document,
    guardian_sign,
    record_guardian_view,
    record_view,
    sign_document,
)
from casting.documents.verify import (
    certificate,
    find_by_bytes,
    find_by_code,
    public_facts,
    read_pdf_upload,
    signature_of,
)

__all__ = [
    "CONSENT_KINDS", "KIND_TITLES", "SIGNABLE_KINDS", "attachments_for", "awaiting", "can_see", "certificate",
    "check_in_items", "check_in_items_for", "current_documents", "current_documents_for", "document_summary",
    "find_by_bytes", "find_by_code", "guardian_document", "guardian_sign", "signature_of",
    "is_recipient", "issue_invitation_documents", "issue_offer", "missing_for_check_in", "public_facts",
    "read_pdf_upload", "record_guardian_view", "record_view", "sha256_hex", "reissue_invitation_documents", "required_kinds", "sign_document", "signed_copies",
    "visible_document", "void_document", "void_invitation_documents",
]


def document_summary(document, *, brief: bool = False) -> dict:
    """``{id, kind, serial, verification_code, status, version}``: how other features list a document in
    JSON (``brief``: ``{id, kind, verification_code, status}``, as an invitation lists its documents)."""
    if brief:
        return {"id": document.id, "kind": document.kind, "verification_code": document.verification_code,
                "status": document.status}
    return {"id": document.id, "kind": document.kind, "serial": document.serial,
            "verification_code": document.verification_code, "status": document.status, "version": document.version}


def check_in_items(invitation) -> list[dict]:
    """Per required document, what check-in still waits for: ``{kind, title, state, document_id, ok}``.

    state: "not_needed" (the confirmation, a letter), "not_issued", "not_opened", "opened",
    "awaiting_guardian" or "signed".
    """
    return check_in_items_for([invitation])[invitation.id]


def check_in_items_for(invitations) -> dict[int, list[dict]]:
    """``check_in_items`` for many invitations (a session page), by invitation id, reading their current
    documents in one query."""
    current = current_documents_for(invitations)
    return {inv.id: _check_in_rows(inv, {d.kind: d for d in current[inv.id]}) for inv in invitations}


def _check_in_rows(invitation, docs: dict[str, Document]) -> list[dict]:
    rows = []
    for kind in required_kinds(invitation):
        doc = docs.get(kind)
        if kind == DocumentKind.callback_confirmation:
            state = "not_needed" if doc else "not_issued"
        elif doc is None:
            state = "not_issued"
        elif doc.status == DocumentStatus.signed:
            state = "signed"
        elif kind == DocumentKind.guardian_consent:
            state = "awaiting_guardian" if doc.guardian_viewed_at else "not_opened"
        else:
            state = "opened" if doc.first_viewed_at else "not_opened"
        rows.append({"kind": kind, "title": KIND_TITLES[kind], "state": state, "document_id": doc.id if doc else None,
                     "ok": state in ("signed", "not_needed"), "by_guardian": kind == DocumentKind.guardian_consent})
    return rows
