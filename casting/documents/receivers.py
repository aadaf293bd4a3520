"""The documents feature answers the callbacks feature: letters for invitations, consents for check-in."""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit.signals import recorded_heads
from casting.callbacks.signals import (
    check_in_missing,
    invitation_cancelled,
    invitation_changed,
    invitation_created,
    invitation_details,
    invitation_moved,
)
from casting.core.mail import attachment_wanted
from casting.documents import issuing
from casting.documents.models import Document
from casting.documents.services import document_summary
from casting.extensions import db
from casting.jobs.registry import handler


@invitation_created.connect
def issue_letters(invitation, *, actor, **_) -> list:
    """Issue the confirmation and the consents that apply; answer them as mail attachments (pending: rendered
    after the commit, off the write lock; the mail waits for them)."""
    return issuing.attachments_for(issuing.issue_invitation_documents(invitation, actor=actor, defer=True))


@invitation_changed.connect
def reissue_letters(invitation, *, actor, reason, **_) -> list:
    """Reissue the letters of a changed callback; answer the new versions as mail attachments."""
    return issuing.attachments_for(issuing.reissue_invitation_documents(invitation, actor=actor, reason=reason,
                                                                        defer=True))


@invitation_moved.connect
def replace_letters(invitation, *, actor, reason, **_) -> list:
    """A moved callback: the letters of the old time are void, new ones are issued for the new time; answer
    them as mail attachments."""
    return issuing.attachments_for(issuing.replace_invitation_documents(invitation, actor=actor, reason=reason,
                                                                        defer=True))


@invitation_cancelled.connect
def void_letters(invitation, *, actor, reason, **_) -> None:
    """A cancelled callback's letters are void."""
    issuing.void_invitation_documents(invitation, actor=actor, reason=reason)


@check_in_missing.connect
def unsigned_consents(invitation, **_) -> list[str]:
    """The consent documents the talent (or their guardian) has still to sign."""
    return issuing.missing_for_check_in(invitation)


@invitation_details.connect
def invitation_documents(invitations, **_) -> dict:
    """The documents of each invitation (one query for them all), for their JSON."""
    ids = [inv.id for inv in invitations]
    by_invitation: dict[int, list] = {i: [] for i in ids}
    if ids:
        for d in db.session.scalars(sa.select(Document).where(Document.invitation_id.in_(ids)).order_by(Document.id)):
            by_invitation[d.invitation_id].append(document_summary(d, brief=True))
    return {i: {"documents": docs} for i, docs in by_invitation.items()}


@attachment_wanted.connect
def document_attachment(ref, **_):
    """A held mail's document, once rendered (None while pending)."""
    kind, _sep, ident = str(ref).partition(":")
    if kind != "document" or not ident.isdigit():
        return None
    document = db.session.get(Document, int(ident))
    if document is None or document.blob_sha256 is None:
        return None
    return issuing.attachment_for(document)


@handler(issuing.COMPLETE_JOB)
def complete_documents(run) -> dict:
    """Render and store the job's documents that are still pending (none, when the request already did)."""
    ids = run.payload["document_ids"]
    run.result = {"documents": ids, "rendered": issuing.complete(ids)}
    return run.result


@recorded_heads.connect
def heads_at_issue(_sender, **_) -> sa.Select:
    """Every document names the audit head it was issued at; `audit verify` checks each is in the chain."""
    return sa.select(Document.serial, Document.audit_head_at_issue)
