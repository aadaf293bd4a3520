"""Who may see and sign a document. A document someone may not see is a 404."""
from __future__ import annotations

from casting.core.errors import NotFound
from casting.core.permissions import get_or_404
from casting.documents.models import Document
from casting.productions.access import can_see_production


def is_recipient(document, user) -> bool:
    """The talent the document is addressed to (through their account)."""
    return (user is not None and getattr(user, "is_authenticated", False)
            and document.recipient.user_id is not None and document.recipient.user_id == user.id)


def can_see(document, user) -> bool:
    """Its recipient, members of its production, and admins."""
    return is_recipient(document, user) or can_see_production(document.production, user)


def visible_document(document_id, user):
    """The document if ``user`` may see it, else NotFound."""
    document = get_or_404(Document, document_id)
    if not can_see(document, user):
        raise NotFound()
    return document
