"""What the audit feature asks of the features above it."""
from __future__ import annotations

from casting.core.signals import signals

readable_productions = signals.signal("audit-readable-productions", doc="""Which productions' entries may
``user`` (sender) read? Receivers answer a select of production ids; the productions feature answers
those the user is a member of.""")

recorded_heads = signals.signal("audit-recorded-heads", doc="""Which audit heads have the features above written
down (e.g. a document's ``audit_head_at_issue``)? Receivers answer a select of (label, head) rows; ``audit verify``
reports every label whose head is not an entry of the chain.""")

production_titles = signals.signal("audit-production-titles", doc="""The titles of the productions whose ids
``ids`` (sender, a collection) names: receivers answer ``{id: title}`` (the audit page prints names, not ids).""")

productions_titled = signals.signal("audit-productions-titled", doc="""Which productions have ``text`` (sender) in
their title? Receivers answer a select of production ids (the audit page filters by a production's name).""")
