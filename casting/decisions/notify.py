"""The emails of the decisions stage: to producers, the proposer, the talent (and a minor's guardian).

Plain text, addressed by name, with a way to check the sender is real; never who else was cast.
"""
from __future__ import annotations

from flask import current_app

from casting.core.mail import send_mail

NO_MONEY = "This production will never ask you for money. Callback never charges talent anything."


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def _members(production, *roles: str) -> list:
    return [m.user for m in production.members if m.role in roles and m.user.active]


def _sign_off(proposal) -> str:
    production = proposal.role.production
    return f"{proposal.proposed_by.name}, casting, for {production.title} ({production.company.legal_name})"


def _talent_addresses(talent, with_guardian: bool) -> list[str]:
    to = [talent.email]
    if with_guardian and talent.guardian_email and talent.guardian_email not in to:
        to.append(talent.guardian_email)
    return to


def proposal_made(proposal) -> None:
    """Tell the production's producers that a decision awaits them."""
    role, production = proposal.role, proposal.role.production
    to = [u.email for u in _members(production, "producer") if u.id != proposal.proposed_by_id]
    if not to:
        return
    send_mail(to, f"{production.title}: approve {proposal.talent.display_name} as {role.name}?",
              f"{proposal.proposed_by.name} proposes {proposal.talent.display_name} for the role of {role.name} "
              f"in {production.title}.\n\nCompensation: {proposal.terms.get('compensation')}\n\n"
              f"Review the shortlist, callback notes and ratings, then approve or reject:\n"
              f"{_base()}/productions/{production.id}/review#role-{role.id}\n\n"
              "A producer other than the proposer must decide (four eyes).\n")


def decision_made(proposal) -> None:
    """Tell the proposer that a producer approved or rejected their proposal."""
    role, production = proposal.role, proposal.role.production
    verb = "approved" if proposal.status == "approved" else "did not approve"
    comment = f"\n\nTheir comment: {proposal.decision_comment}" if proposal.decision_comment else ""
    next_step = ("The offer has been issued to the talent to review and sign." if proposal.status == "approved"
                 else "You may propose someone else for the role.")
    send_mail(proposal.proposed_by.email, f"{production.title}: {role.name} proposal {proposal.status}",
              f"{proposal.decided_by.name} {verb} your proposal of {proposal.talent.display_name} as {role.name}."
              f"{comment}\n\n{next_step}\n{_base()}/productions/{production.id}/review#role-{role.id}\n")


def offer_issued(proposal, document, attachments: list, *, minor: bool) -> None:
    """Send the talent (and a minor's guardian) the offer, with the PDF attached when there is one."""
    role, production, talent = proposal.role, proposal.role.production, proposal.talent
    guardian = ""
    if minor:
        # The guardian gets their own email with a one-time signing link from the documents feature.
        guardian = (f"\n\nBecause {talent.legal_name} is under 18, the offer also needs the signature of their "
                    f"parent or guardian, {talent.guardian_name}, who is emailed separately with their own link.")
        if proposal.trust_account:
            guardian += (" As the law requires, part of the earnings will be paid into the blocked trust account "
                         "named in the offer.")
    verify = f"\nCheck that this offer is genuine: {_base()}/verify/{document.verification_code}" if document else ""
    send_mail(talent.email, f"Offer: {role.name} in {production.title}",
              f"Dear {talent.display_name},\n\n{production.company.legal_name} would like to offer you the role of "
              f"{role.name} in {production.title}.\n\nCompensation: {proposal.terms.get('compensation')}\n"
              f"The offer{' is attached and' if attachments else ''} sets out the parties, the dates, the use of "
              f"recordings and the other terms.{guardian}\n\nRead it, then sign it or decline it in your portal:\n"
              f"{_base()}/me/offers\n{verify}\n\nTake your time and ask your agent or anyone you trust to read it "
              f"with you. You are never asked to pay anything to accept a role.\n\n{_sign_off(proposal)}\n\n{NO_MONEY}\n",
              attachments=attachments)


def offer_declined(proposal, reason: str | None) -> None:
    """Tell the proposer and producers that the talent declined the offer."""
    role, production = proposal.role, proposal.role.production
    said = f"\nTheir note: {reason}\n" if reason else ""
    to = sorted({proposal.proposed_by.email, *(u.email for u in _members(production, "producer"))})
    send_mail(to, f"{production.title}: offer for {role.name} declined",
              f"{proposal.talent.display_name} declined the offer for the role of {role.name}.\n{said}\n"
              f"The role is open for another proposal:\n{_base()}/productions/{production.id}/review#role-{role.id}\n")


def offer_accepted(proposal, *, minor: bool) -> None:
    """Welcome the talent to the cast and tell the production the role is cast."""
    role, production, talent = proposal.role, proposal.role.production, proposal.talent
    send_mail(_talent_addresses(talent, minor),
              f"Welcome to the cast of {production.title}",
              f"Dear {talent.display_name},\n\nThank you for signing: you are cast as {role.name} in "
              f"{production.title}. The signed offer is in your portal:\n{_base()}/me/offers\n\n"
              f"The production will be in touch about what happens next. If anything worries you, contact "
              f"{production.safeguarding_contact}.\n\n{_sign_off(proposal)}\n\n{NO_MONEY}\n")
    to = sorted({proposal.proposed_by.email, *(u.email for u in _members(production, "producer"))})
    send_mail(to, f"{production.title}: {role.name} is cast",
              f"{talent.display_name} signed the offer: {role.name} is cast.\n"
              f"{_base()}/productions/{production.id}/board\n")


def released(role, talent, *, reason: str, signer=None) -> None:
    """The courteous note to a talent who was called back and not cast (DESIGN.md)."""
    production = role.production
    if reason == "cast":
        news = (f"We have now cast the role, and so we will not be taking your audition for {role.name} any "
                "further.")
    else:
        news = (f"After careful thought we will not be taking your audition for {role.name} any further, and "
                "we did not want to keep you waiting.")
    who = f"{signer.name}, casting, for " if signer is not None else "The casting team of "
    send_mail(talent.email, f"{production.title}: thank you for your callback for {role.name}",
              f"Dear {talent.display_name},\n\nThank you for auditioning for {role.name} in {production.title}, "
              f"and for the time and care you gave to the callback. {news}\n\n"
              "This is no judgement of the work you brought into the room: casting turns on many things beyond "
              "any one audition. You are free to accept other work for the production's dates, and we would be "
              "glad to see you again for future projects.\n\n"
              f"With our thanks and best wishes,\n{who}{production.title} ({production.company.legal_name})\n\n"
              f"{NO_MONEY} If anyone asks you for money in its name, tell {production.safeguarding_contact}.\n")
