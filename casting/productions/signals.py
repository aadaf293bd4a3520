"""What the productions feature tells the features above it."""
from __future__ import annotations

from casting.core.signals import signals

role_changed = signals.signal("role-changed", doc="""A role was edited (sender: the ProductionRole, flushed);
kwarg ``changed``: the names of the fields that changed. Receivers raise a DomainError to refuse the edit
(callbacks re-runs the checklist of scheduled sessions; calls keeps nudity out of open calls).""")

role_readers = signals.signal("role-readers", doc="""May ``user`` (kwarg) read this role's sides (sender: the
ProductionRole) although not a member of its production? Receivers answer True for talent shortlisted
or invited for the role.""")
