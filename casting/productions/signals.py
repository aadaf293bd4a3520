"""What the productions feature tells the features above it."""
from __future__ import annotations

from casting.core.signals import signals

role_changed = signals.signal("role-changed", doc="""A role was edited (sender: the ProductionRole, flushed);
kwarg ``changed``: the names of the fields that changed. Receivers raise a DomainError to refuse the edit
(callbacks re-runs the checklist of scheduled sessions; calls keeps nudity out of open calls).""")

role_readers = signals.signal("role-readers", doc="""May ``user`` (kwarg) read this role's sides (sender: the
ProductionRole) although not a member of its production? Receivers answer True for talent shortlisted
or invited for the role.""")

production_changing = signals.signal("production-changing", doc="""A production is about to be edited, or a member
removed (sender: the Production, before the change); kwargs ``actor`` and ``change`` (what it is, in plain words,
e.g. "Removing Rita Reader"). Receivers answer a function the service calls with the names of the changed fields
once the change is made and flushed; it raises a DomainError to refuse it (callbacks: no scheduled session of the
production may start failing its checklist).""")

venue_changing = signals.signal("venue-changing", doc="""A venue is about to be edited (sender: the Venue, before
the change); kwargs ``actor`` and ``change``. Receivers answer a function called with the names of the changed fields
once the change is flushed; it raises a DomainError to refuse it (callbacks: no scheduled session held there may start
failing its checklist, and a room that stops being virtual holds one scheduled session at a time).""")
