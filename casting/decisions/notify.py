"""The emails of the decisions stage: to producers, the proposer, the talent (and a minor's guardian).

Plain text, addressed by name, with a way to check the sender is real; never who else was cast.
The bodies are templates/email/*.txt.
"""
from __future__ import annotations

from casting.core.mail import render_body, send_mail
from casting.productions.models import MemberRole

NO_MONEY = "This production will never ask you for money. Callback never charges talent anything."


def _members(production, *roles: str) -> list:
    return [m.user for m in production.members if m.role in roles and m.user.active]


def _talent_addresses(talent, with_guardian: bool) -> list[str]:
    to = [talent.email]
    if with_guardian and talent.guardian_email and talent.guardian_email not in to:
        to.append(talent.guardian_email)
    return to


def _body(template: str, proposal, **context) -> str:
    role = proposal.role
    return render_body(template, proposal=proposal, role=role, production=role.production, no_money=NO_MONEY,
                       **context)


def proposal_made(proposal) -> None:
    """Tell the production's producers that a decision awaits them."""
    role, production = proposal.role, proposal.role.production
    to = [u.email for u in _members(production, MemberRole.producer) if u.id != proposal.proposed_by_id]
    if not to:
        return
    send_mail(to, f"{production.title}: approve {proposal.talent.display_name} as {role.name}?",
              _body("proposal_made.txt", proposal))


def decision_made(proposal) -> None:
    """Tell the proposer that a producer approved or rejected their proposal."""
    role, production = proposal.role, proposal.role.production
    send_mail(proposal.proposed_by.email, f"{production.title}: {role.name} proposal {proposal.status}",
              _body("proposal_decided.txt", proposal))


def offer_issued(proposal, document, attachments: list, *, minor: bool) -> None:
    """Send the talent (and a minor's guardian) the offer, with the PDF attached when there is one."""
    role, production, talent = proposal.role, proposal.role.production, proposal.talent
    send_mail(talent.email, f"Offer: {role.name} in {production.title}",
              _body("offer_issued.txt", proposal, talent=talent, document=document, attachments=attachments,
                    minor=minor),
              attachments=attachments)


def offer_declined(proposal, reason: str | None) -> None:
    """Tell the proposer and producers that the talent declined the offer."""
    role, production = proposal.role, proposal.role.production
    to = sorted({proposal.proposed_by.email, *(u.email for u in _members(production, MemberRole.producer))})
    send_mail(to, f"{production.title}: offer for {role.name} declined",
              _body("offer_declined.txt", proposal, reason=reason))


def offer_accepted(proposal, *, minor: bool) -> None:
    """Welcome the talent to the cast and tell the production the role is cast."""
    role, production, talent = proposal.role, proposal.role.production, proposal.talent
    send_mail(_talent_addresses(talent, minor),
              f"Welcome to the cast of {production.title}",
              _body("offer_accepted.txt", proposal, talent=talent))
    to = sorted({proposal.proposed_by.email, *(u.email for u in _members(production, MemberRole.producer))})
    send_mail(to, f"{production.title}: {role.name} is cast", _body("role_cast.txt", proposal, talent=talent))


def released(role, talent, *, reason: str, signer=None) -> None:
    """The courteous note to a talent who was called back and not cast (DESIGN.md)."""
    production = role.production
    send_mail(talent.email, f"{production.title}: thank you for your callback for {role.name}",
              render_body("released.txt", role=role, production=production, talent=talent, reason=reason,
                          signer=signer, no_money=NO_MONEY))


def offer_withdrawn(proposal, reason: str, *, minor: bool) -> None:
    """Tell the talent (and a minor's guardian) that the offer was withdrawn, and why; and the producers who
    approved it and the proposer (but not whoever withdrew it), since the offer went out in their name."""
    role, production, talent = proposal.role, proposal.role.production, proposal.talent
    send_mail(_talent_addresses(talent, minor), f"{production.title}: the offer for {role.name} is withdrawn",
              _body("offer_withdrawn.txt", proposal, talent=talent, reason=reason, minor=minor,
                    withdrawn_by=proposal.withdrawn_by))
    to = sorted({proposal.proposed_by.email, *(u.email for u in _members(production, MemberRole.producer))}
                - {proposal.withdrawn_by.email})
    if to:
        send_mail(to, f"{production.title}: offer to {talent.display_name} for {role.name} withdrawn",
                  _body("offer_withdrawn_production.txt", proposal, reason=reason,
                        withdrawn_by=proposal.withdrawn_by))
