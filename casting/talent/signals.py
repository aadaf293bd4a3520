"""What the talent feature asks of the features above it."""
from __future__ import annotations

from casting.core.signals import signals

talent_links = signals.signal("talent-links", doc="""Which productions are talent linked to? Receivers answer
a list of selects of ``(talent_id, production_id)`` rows, labelled so: calls for submissions and shortlist entries, callbacks
for invitations. Members of a linked production may see the talent's profile.""")

talent_applications = signals.signal("talent-applications", doc="""Which productions did talent apply to? Receivers
answer a list of selects of ``(talent_id, production_id)`` rows, labelled so (calls: submissions). The talent's
résumé and reel are shown to these productions (talent/access.py).""")

talent_invitations = signals.signal("talent-invitations", doc="""Which productions invited talent to a callback?
Receivers answer a list of selects of ``(talent_id, production_id)`` rows, labelled so (callbacks: invitations).
Only these productions read the talent's access needs (talent/access.py).""")
