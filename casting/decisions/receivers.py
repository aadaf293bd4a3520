"""The decisions feature reacts to documents: a signed offer is an accepted one."""
from __future__ import annotations

from casting.decisions import services
from casting.documents.signals import document_signed


@document_signed.connect
def accept_signed_offer(document, *, actor, **_) -> None:
    """Signing the offer accepts it and casts the role (refused, e.g. a withdrawn offer: nothing is signed)."""
    if document.kind == "offer":
        services.offer_signed(document, actor=actor)
