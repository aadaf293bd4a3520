"""What the talent feature asks of the features above it."""
from __future__ import annotations

from casting.core.signals import signals

talent_links = signals.signal("talent-links", doc="""Which productions are talent linked to? Receivers answer
a list of selects of ``(talent_id, production_id)`` rows, labelled so: calls for submissions and shortlist entries, callbacks
for invitations. Members of a linked production may see the talent's profile.""")
