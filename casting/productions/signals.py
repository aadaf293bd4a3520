"""What the productions feature tells the features above it."""
from __future__ import annotations

from casting.core.signals import signals

role_changed = signals.signal("role-changed", doc="""A role was edited (sender: the ProductionRole, flushed);
kwarg ``changed``: the names of the fields that changed. Receivers raise a DomainError to refuse the edit
(callbacks re-runs the checklist of scheduled sessions; calls keeps nudity out of open calls).""")

role_readers = signals.signal("role-readers", doc="""May ``user`` (kwarg) read this role's sides (sender: the
ProductionRole) although not a member of its production? Receivers answer True for talent shortlisted
or invited for the role.""")

production_changed = signals.signal("production-changed", doc="""A production was edited, or a member removed
(sender: the Production, flushed); kwargs ``changed`` (the names of the fields that changed, or ``["members"]``) and
``actor``. Receivers raise a DomainError to refuse the change (callbacks re-runs the checklist of the production's
scheduled sessions).""")

venue_changed = signals.signal("venue-changed", doc="""A venue was edited (sender: the Venue, flushed); kwargs
``changed`` and ``actor``. Receivers raise a DomainError to refuse the edit (callbacks re-runs the checklist of every
scheduled session held there, and keeps a room to one scheduled session at a time).""")
