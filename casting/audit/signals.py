"""What the audit feature asks of the features above it."""
from __future__ import annotations

from casting.core.signals import signals

readable_productions = signals.signal("audit-readable-productions", doc="""Which productions' entries may
``user`` (sender) read? Receivers answer a select of production ids; the productions feature answers
those the user is a member of.""")
