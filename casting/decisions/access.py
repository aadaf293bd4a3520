"""Who may see a casting proposal (and the offer it becomes)."""
from __future__ import annotations

from casting.accounts.access import same_hands
from casting.core.errors import NotFound
from casting.core.permissions import get_or_404
from casting.decisions.models import OFFER_STATUSES, Proposal
from casting.productions.access import can_see_production


def can_see_proposal(proposal: Proposal, user) -> bool:
    """Members of the production and admins see every proposal; the talent sees their own once it
    is an offer (proposed and rejected ones are the production's internal deliberation)."""
    if user is None:
        return False
    if can_see_production(proposal.role.production, user):
        return True
    return bool(user.is_talent and proposal.talent.user_id == user.id and proposal.status in OFFER_STATUSES)


def visible_proposal(proposal_id, user) -> Proposal:
    """The proposal if ``user`` may see it, else NotFound."""
    proposal = get_or_404(Proposal, proposal_id)
    if not can_see_proposal(proposal, user):
        raise NotFound()
    return proposal


def decides_own(proposal: Proposal, user) -> bool:
    """Four eyes: whether ``user`` made the proposal or created its proposer's account."""
    return same_hands(user, proposal.proposed_by)
