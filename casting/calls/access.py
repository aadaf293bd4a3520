"""Who may see an open call, a submission and a shortlist entry.

Published calls are public; drafts, submissions and shortlists belong to the production's
members (and a submission to its talent too). Not visible is a 404.
"""
from __future__ import annotations

from casting.calls.models import OpenCall, OpenCallStatus, ShortlistEntry, Submission
from casting.core.errors import NotFound
from casting.core.permissions import get_or_404
from casting.productions.access import can_see_production, visible_production


def can_see_call(call: OpenCall, user) -> bool:
    """Published calls are public (even once closed, over the API); drafts only to the production's members."""
    return call.status == OpenCallStatus.published or can_see_production(call.production, user)


def visible_call(call_id, user) -> OpenCall:
    """The open call if ``user`` may see it, else NotFound."""
    call = get_or_404(OpenCall, call_id)
    if not can_see_call(call, user):
        raise NotFound()
    return call


def visible_submission(submission_id, user) -> Submission:
    """A submission seen by its talent, the production's members, or an admin; else NotFound."""
    sub = get_or_404(Submission, submission_id)
    own = user is not None and sub.talent.user_id == user.id
    if not own and not can_see_production(sub.open_call.production, user):
        raise NotFound()
    return sub


def visible_entry(entry_id, user) -> ShortlistEntry:
    """The shortlist entry if ``user`` sees its production, else NotFound."""
    entry = get_or_404(ShortlistEntry, entry_id)
    visible_production(entry.role.production_id, user)
    return entry
