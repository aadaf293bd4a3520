"""What the callbacks feature tells, and asks of, the features above it (documents, decisions).

Receivers run inside the sender's transaction; one that raises refuses the action.
"""
from __future__ import annotations

from casting.core.signals import signals

invitation_created = signals.signal("invitation-created", doc="""A talent was invited (sender: the Invitation,
flushed); kwarg ``actor``. Receivers answer a list of mail attachments for the invitation email (the
documents feature issues the confirmation letter and consent forms).""")

invitation_changed = signals.signal("invitation-changed", doc="""A scheduled session changed under an invitation
(sender: the Invitation); kwargs ``actor``, ``reason``. Receivers answer a list of mail attachments (the
documents feature reissues the letters).""")

invitation_cancelled = signals.signal("invitation-cancelled", doc="""An invitation was cancelled (sender: the
Invitation); kwargs ``actor``, ``reason``. The documents feature voids its letters.""")

check_in_missing = signals.signal("check-in-missing", doc="""What does this invitation (sender) still lack
before check-in? Receivers answer a list of document kinds still unsigned. Check-in requires an answer:
with no receiver connected it fails rather than let talent in unchecked.""")

invitation_details = signals.signal("invitation-details", doc="""Extra keys for invitations' JSON (sender: a
list of Invitations, a page of a list or just one). Receivers answer ``{invitation id: dict}``, e.g. the documents
feature's ``documents`` list, read for the whole list at once (a fixed number of queries per page).""")

invitation_moved = signals.signal("invitation-moved", doc="""The casting director moved one invitation to another
slot (sender: the Invitation, at its new time, flushed); kwargs ``actor``, ``reason``, ``old_starts_at``. Receivers
answer a list of mail attachments (the documents feature voids the letters of the old time and issues new ones);
trusted people the talent shares the callback with are told the new time.""")
talent_asked = signals.signal("talent-asked", doc="""A talent asked the production something through an invitation
action (sender: the Invitation); kwargs ``actor``, ``kind`` ("reschedule_request" or "access_needs") and
``text``. The invitation's message thread (callbacks/receivers.py) keeps it.""")

invitation_checked_in = signals.signal("invitation-checked-in", doc="""A talent was checked in (sender: the
Invitation, flushed); kwarg ``actor``. The trusted people the talent shares the callback with are told.""")

session_ended = signals.signal("session-ended", doc="""A callback session is over (sender: the CallbackSession):
completed, or its end time passed (``flask --app casting shares ended``). Trusted people are told.""")
