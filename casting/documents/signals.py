"""What the documents feature tells the features above it."""
from __future__ import annotations

from casting.core.signals import signals

document_signed = signals.signal("document-signed", doc="""Everyone who must sign a document has signed (sender:
the issued Document, whose signed copy is stored and flushed); kwarg ``actor``. The decisions feature
accepts a signed offer and casts the role; a refusal raises and the signing rolls back.""")
