"""Issuing, viewing, signing and verifying documents.

INTERFACE (used by callbacks/ and decisions/); the documents feature fills these in.
Until then they are no-ops so the rest of the pipeline runs.
"""
from __future__ import annotations


def issue_invitation_documents(invitation, *, actor) -> list:
    """Issue the callback_confirmation and every consent document this invitation needs; return them."""
    return []


def reissue_invitation_documents(invitation, *, actor, reason: str) -> list:
    """The session moved or changed: issue new versions that supersede the current ones; return them."""
    return []


def void_invitation_documents(invitation, *, actor, reason: str) -> None:
    """The invitation or session was cancelled: void its documents."""


def missing_for_check_in(invitation) -> list[str]:
    """Document kinds that must still be signed before check-in (consent_rider, recording_release, guardian_consent)."""
    return []


def attachments_for(documents) -> list:
    """casting.core.mail.Attachment objects for these documents' PDFs."""
    return []


def issue_offer(proposal, *, actor):
    """Issue the offer document of an approved proposal; return it."""
    return None
