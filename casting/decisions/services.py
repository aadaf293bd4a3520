"""Final casting decisions: propose, approve or reject (four eyes), decline, accept, release.

``offer_signed`` runs when a talent (and, for a minor, the guardian) has signed an offer document:
the documents feature's ``document_signed`` signal (see ``decisions/receivers.py``).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from casting.accounts.models import User
from casting.audit import services as audit
from casting.callbacks.models import NOT_CALLED_BACK_STATUSES, Invitation
from casting.calls.models import ShortlistEntry
from casting.core.database import lock_for_write
from casting.core.db import utcnow
from casting.core.errors import (
    DomainError,
    Duplicate,
    Forbidden,
    FourEyes,
    InvalidState,
    NotShortlisted,
    ValidationError,
)
from casting.decisions import notify
from casting.decisions.access import decides_own
from casting.decisions.models import (
    OPEN_PROPOSAL_STATUSES,
    Proposal,
    ProposalStatus,
    Release,
    ReviewComment,
)
from casting.decisions.terms import (
    check_minor_rules,
    clean_terms,
    is_minor,
    letter_terms,
)
from casting.documents import services as documents
from casting.documents.models import Document, DocumentKind
from casting.extensions import db
from casting.jobs import services as jobs
from casting.jobs.registry import handler
from casting.productions.access import require_manager, require_production_role
from casting.productions.models import MemberRole, ProductionRole, ProductionRoleStatus
from casting.talent.models import TalentProfile

# The job that tells the talent called back and not cast, once a role is cast.
RELEASE_JOB = "decisions.release_not_cast"

# Most characters per field: the forms and the API specs take their limits from here (the terms'
# and the trust account's are in decisions.terms).
DECISION_LIMITS = {"comment": 2000}
OFFER_LIMITS = {"reason": 2000}  # the talent's reason for declining an offer
WITHDRAW_LIMITS = {"reason": 2000}  # the casting director's reason for withdrawing an offer (told to the talent)
COMMENT_LIMITS = {"body": 2000}  # a comment on a candidate in the producers' review
# --- reading the state of a role ------------------------------------------------------------------

def open_proposal(role) -> Proposal | None:
    """The role's proposal that is still proposed or approved (offered), if any."""
    return db.session.scalar(sa.select(Proposal).where(Proposal.role_id == role.id,
                                                       Proposal.status.in_(OPEN_PROPOSAL_STATUSES)))


def is_shortlisted(role, talent_id: int) -> bool:
    """Whether the talent is on the role's shortlist."""
    return db.session.scalar(sa.select(ShortlistEntry.id).where(
        ShortlistEntry.role_id == role.id, ShortlistEntry.talent_id == talent_id)) is not None


def called_back_talent_ids(role) -> set[int]:
    """Talent invited to a callback for the role (not counting declined or cancelled invitations)."""
    return set(db.session.scalars(sa.select(Invitation.talent_id).where(
        Invitation.role_id == role.id, Invitation.status.notin_(NOT_CALLED_BACK_STATUSES))))


def release_of(role, talent_id: int) -> Release | None:
    """The release of this talent from this role, if they were released."""
    return db.session.scalar(sa.select(Release).where(Release.role_id == role.id, Release.talent_id == talent_id))


def minor_for(proposal: Proposal) -> bool:
    """Whether the offer needs a guardian's signature (talent under 18)."""
    return is_minor(proposal.talent, proposal.terms or {})


def _fresh(obj) -> None:
    # Serialise against concurrent deciders, then re-read what another transaction may have changed.
    lock_for_write()
    db.session.refresh(obj)


# --- proposing -------------------------------------------------------------------------------------

def check_can_propose(role, actor) -> None:
    """403 unless ``actor`` is a casting director member of the role's production."""
    require_manager(role.production, actor)


def propose(role, *, actor, talent_id: int, terms: Any, trust_account: str | None = None) -> Proposal:
    """A casting director proposes a shortlisted talent for a role, with terms; producers are told."""
    check_can_propose(role, actor)
    clean = clean_terms(terms)
    lock_for_write()
    db.session.refresh(role)
    where = {"entity": role, "production_id": role.production_id}
    if role.status == ProductionRoleStatus.cast:
        raise InvalidState(f"{role.name} is already cast.", **where)
    current = open_proposal(role)
    if current is not None:
        raise InvalidState(f"{role.name} already has an open proposal (#{current.id}, {current.status}); it must be "
                           "rejected or declined before another.", details={"proposal_id": current.id}, **where)
    talent = db.session.get(TalentProfile, talent_id) if is_shortlisted(role, talent_id) else None
    if talent is None:
        raise NotShortlisted(f"Only talent on the shortlist for {role.name} can be proposed.", **where)
    if release_of(role, talent.id) is not None:
        raise InvalidState(f"{talent.display_name} was released from {role.name}.", **where)
    trust = check_minor_rules(talent, clean, trust_account)
    proposal = Proposal(role_id=role.id, talent_id=talent.id, terms=clean, status=ProposalStatus.proposed,
                        proposed_by_id=actor.id, trust_account=trust)
    db.session.add(proposal)
    db.session.flush()
    audit.record("proposal.proposed", proposal, actor=actor, production_id=role.production_id,
                 data={"role_id": role.id, "talent_id": talent.id, "terms": clean, "minor": minor_for(proposal),
                       "trust_account_recorded": trust is not None})
    notify.proposal_made(proposal)
    return proposal


# --- the producer's decision (four eyes) -----------------------------------------------------------

def check_can_decide(proposal: Proposal, actor) -> None:
    """403 four_eyes for the proposer and whoever created the proposer's account (accounts/access.py),
    403 forbidden for anyone but a producer member."""
    production = proposal.role.production
    if actor is not None and decides_own(proposal, actor):
        raise FourEyes("A producer other than the proposer (and not whoever created the proposer's account) must "
                       "approve or reject a proposal.",
                       entity=proposal, production_id=production.id)
    require_production_role(production, actor, MemberRole.producer)


def _decide(proposal: Proposal, actor, action: str, status: ProposalStatus, comment: str | None) -> None:
    check_can_decide(proposal, actor)
    comment = (comment or "").strip() or None
    if comment and len(comment) > DECISION_LIMITS["comment"]:
        raise ValidationError({"comment": [f"At most {DECISION_LIMITS['comment']} characters."]})
    _fresh(proposal)
    if not proposal.can(action):
        raise InvalidState(f"This proposal is already {proposal.status}.", entity=proposal,
                           production_id=proposal.production_id)
    proposal.status = status
    proposal.decided_by_id = actor.id
    proposal.decided_at = utcnow()
    proposal.decision_comment = comment
    db.session.flush()
    audit.record(f"proposal.{status}", proposal, actor=actor, production_id=proposal.production_id,
                 data={"role_id": proposal.role_id, "talent_id": proposal.talent_id,
                       "comment": proposal.decision_comment})


def approve(proposal: Proposal, *, actor, comment: str | None = None) -> Proposal:
    """A producer (not the proposer) approves: the offer is issued and sent to the talent."""
    _decide(proposal, actor, "approve", ProposalStatus.approved, comment)
    document = documents.issue_offer(proposal, actor=actor, terms=letter_terms(proposal.terms), defer=True)
    if document is not None:
        proposal.offer_document_id = document.id
        db.session.flush()
        audit.record("proposal.offer_issued", proposal, actor=actor, production_id=proposal.production_id,
                     data={"document_id": document.id, "serial": document.serial,
                           "talent_id": proposal.talent_id})
    attachments = documents.attachments_for([document]) if document is not None else []
    notify.offer_issued(proposal, document, attachments, minor=minor_for(proposal))
    notify.decision_made(proposal)
    return proposal


def reject(proposal: Proposal, *, actor, comment: str | None = None) -> Proposal:
    """A producer (not the proposer) rejects; the casting director may propose again."""
    _decide(proposal, actor, "reject", ProposalStatus.rejected, comment)
    notify.decision_made(proposal)
    return proposal


# --- withdrawing an offer --------------------------------------------------------------------------

def check_can_withdraw(proposal: Proposal, actor) -> None:
    """403 unless ``actor`` is a casting director member of the proposal's production."""
    require_manager(proposal.role.production, actor)


def withdraw(proposal: Proposal, *, actor, reason: str | None) -> Proposal:
    """A casting director withdraws an offer the talent has not answered: its document is void (it can no
    longer be signed, and /verify says so), the talent is told why, and the role is open for another proposal."""
    check_can_withdraw(proposal, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the offer is withdrawn: the talent is told."]})
    if len(reason) > WITHDRAW_LIMITS["reason"]:
        raise ValidationError({"reason": [f"At most {WITHDRAW_LIMITS['reason']} characters."]})
    _fresh(proposal)
    if not proposal.can("withdraw"):
        raise InvalidState(f"This proposal is {proposal.status}; only an offer the talent has not answered can be "
                           "withdrawn.", entity=proposal, production_id=proposal.production_id)
    proposal.status = ProposalStatus.withdrawn
    proposal.withdrawn_by_id = actor.id
    proposal.withdrawn_at = utcnow()
    proposal.withdrawal_reason = reason
    document = _offer_document(proposal)
    if document is not None and document.can("void"):
        documents.void_document(document, actor=actor, reason="The production withdrew the offer.")
    db.session.flush()
    audit.record("proposal.withdrawn", proposal, actor=actor, production_id=proposal.production_id,
                 data={"role_id": proposal.role_id, "talent_id": proposal.talent_id,
                       "document_id": proposal.offer_document_id, "reason": reason})
    notify.offer_withdrawn(proposal, reason, minor=minor_for(proposal))
    return proposal


# --- comments without deciding ----------------------------------------------------------------------

def check_can_comment(role, actor) -> None:
    """403 unless ``actor`` is a producer or casting director member of the role's production."""
    require_production_role(role.production, actor, MemberRole.producer, MemberRole.casting_director)


def is_candidate(role, talent_id: int) -> bool:
    """Whether the talent is on the role's shortlist, was called back for it, or was proposed for it."""
    if is_shortlisted(role, talent_id) or talent_id in called_back_talent_ids(role):
        return True
    return db.session.scalar(sa.select(Proposal.id).where(Proposal.role_id == role.id,
                                                          Proposal.talent_id == talent_id).limit(1)) is not None


def comment(role, *, actor, talent_id: int, body: str | None) -> ReviewComment:
    """A producer or casting director comments on a candidate without approving or rejecting anything; the
    comment is tied to the talent's open proposal for the role, if there is one. Never shown to talent."""
    check_can_comment(role, actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write a comment."]})
    if len(body) > COMMENT_LIMITS["body"]:
        raise ValidationError({"body": [f"At most {COMMENT_LIMITS['body']} characters."]})
    if not is_candidate(role, talent_id):
        raise NotShortlisted(f"Only talent shortlisted, called back or proposed for {role.name} can be commented on.",
                             entity=role, production_id=role.production_id)
    current = open_proposal(role)
    proposal_id = current.id if current is not None and current.talent_id == talent_id else None
    entry = ReviewComment(role_id=role.id, talent_id=talent_id, proposal_id=proposal_id, author_id=actor.id,
                          body=body)
    db.session.add(entry)
    db.session.flush()
    audit.record("proposal.commented" if proposal_id else "candidate.commented", entry, actor=actor,
                 production_id=role.production_id,
                 data={"role_id": role.id, "talent_id": talent_id, "proposal_id": proposal_id})
    return entry


# --- the talent's answer ---------------------------------------------------------------------------

def _offer_document(proposal: Proposal) -> Document | None:
    return db.session.get(Document, proposal.offer_document_id) if proposal.offer_document_id else None


def decline(proposal: Proposal, *, actor, reason: str | None = None) -> Proposal:
    """The talent declines the offer: its document is void and the role is open for another proposal."""
    if actor is None or not actor.is_talent or proposal.talent.user_id != actor.id:
        raise Forbidden("Only the talent the offer is addressed to may decline it.", entity=proposal,
                        production_id=proposal.production_id)
    reason = (reason or "").strip() or None
    if reason and len(reason) > OFFER_LIMITS["reason"]:
        raise ValidationError({"reason": [f"At most {OFFER_LIMITS['reason']} characters."]})
    _fresh(proposal)
    if not proposal.can("decline"):
        raise InvalidState(f"This offer is {proposal.status}; only an open offer can be declined.",
                           entity=proposal, production_id=proposal.production_id)
    proposal.status = ProposalStatus.declined
    proposal.responded_at = utcnow()
    document = _offer_document(proposal)
    if document is not None and document.can("sign"):
        # A declined offer must never be signed later, and the verify page should say so.
        documents.void_document(document, actor=actor, reason="The talent declined the offer.")
    db.session.flush()
    audit.record("proposal.declined", proposal, actor=actor, production_id=proposal.production_id,
                 data={"role_id": proposal.role_id, "document_id": proposal.offer_document_id, "reason": reason})
    notify.offer_declined(proposal, reason)
    return proposal


def offer_signed(document, *, actor) -> Proposal:
    """The offer is signed: accept the proposal, cast the role, tell the others."""
    issued = document.signed_from if getattr(document, "signed_from_id", None) else document
    proposal = None
    if issued is not None and issued.kind == DocumentKind.offer:
        proposal = (db.session.get(Proposal, issued.proposal_id) if issued.proposal_id else
                    db.session.scalar(sa.select(Proposal).where(Proposal.offer_document_id == issued.id)))
    if proposal is None:
        raise InvalidState("This document is not the offer of a casting proposal.")
    _fresh(proposal)
    role = proposal.role
    if not proposal.can("accept"):
        raise InvalidState(f"This offer is {proposal.status}; it can no longer be accepted.", entity=proposal,
                           production_id=role.production_id)
    proposal.status = ProposalStatus.accepted
    proposal.responded_at = utcnow()
    role.status = ProductionRoleStatus.cast
    db.session.flush()
    audit.record("proposal.accepted", proposal, actor=actor, production_id=role.production_id,
                 data={"role_id": role.id, "talent_id": proposal.talent_id, "document_id": issued.id,
                       "signed_document_id": document.id if document is not issued else None})
    audit.record("role.cast", role, actor=actor, production_id=role.production_id,
                 data={"talent_id": proposal.talent_id, "proposal_id": proposal.id})
    notify.offer_accepted(proposal, minor=minor_for(proposal))
    start_release_job(role, actor=actor, cast_talent_id=proposal.talent_id, signer=proposal.proposed_by)
    return proposal


# --- releasing the others --------------------------------------------------------------------------

def _release(role, talent, *, actor, reason: str, signer) -> Release:
    release = Release(role_id=role.id, talent_id=talent.id, reason=reason,
                      released_by_id=getattr(actor, "id", None))
    db.session.add(release)
    db.session.flush()
    audit.record("role.released", role, actor=actor, production_id=role.production_id,
                 data={"talent_id": talent.id, "reason": reason})
    notify.released(role, talent, reason="cast" if role.status == ProductionRoleStatus.cast else reason, signer=signer)
    return release


def _not_cast_ids(role, cast_talent_id: int) -> list[int]:
    already = set(db.session.scalars(sa.select(Release.talent_id).where(Release.role_id == role.id)))
    return sorted(called_back_talent_ids(role) - already - {cast_talent_id})


def release_called_back(role, *, actor, cast_talent_id: int, signer=None) -> list[Release]:
    """Tell every talent called back for the role and not cast, once each, courteously (now, in this
    transaction; casting a role does it in a job: ``start_release_job``)."""
    return [_release(role, db.session.get(TalentProfile, tid), actor=actor, reason="cast", signer=signer)
            for tid in _not_cast_ids(role, cast_talent_id)]


def start_release_job(role, *, actor, cast_talent_id: int, signer=None):
    """The "not cast" notices of a role just cast, as a job after this commit (one talent per step); returns it,
    or None when nobody is to be told."""
    ids = _not_cast_ids(role, cast_talent_id)
    if not ids:
        return None
    return jobs.start(RELEASE_JOB, {"role_id": role.id, "talent_ids": ids,
                                    "signer_id": getattr(signer, "id", None)}, actor)


@handler(RELEASE_JOB)
def release_not_cast(run) -> None:
    """The job's steps: one courteous notice per talent, never two (a Release row is kept per talent)."""
    p = run.payload
    run.result.setdefault("released", [])
    for talent_id in run.each(p["talent_ids"]):
        role = db.session.get(ProductionRole, p["role_id"])
        if release_of(role, talent_id) is not None:
            continue
        signer = db.session.get(User, p["signer_id"]) if p["signer_id"] else None
        actor = db.session.get(User, run.created_by_id) if run.created_by_id else None
        _release(role, db.session.get(TalentProfile, talent_id), actor=actor, reason="cast", signer=signer)
        run.result["released"].append(talent_id)


def release_talent(role, *, actor, talent_id: int) -> Release:
    """A casting director releases one shortlisted or called-back talent from a role, with a courteous email."""
    require_manager(role.production, actor)
    lock_for_write()
    where = {"entity": role, "production_id": role.production_id}
    if not (is_shortlisted(role, talent_id) or talent_id in called_back_talent_ids(role)):
        raise NotShortlisted(f"Only talent shortlisted or called back for {role.name} can be released.", **where)
    talent = db.session.get(TalentProfile, talent_id)
    if release_of(role, talent_id) is not None:
        raise Duplicate(f"{talent.display_name} was already released from {role.name}.", **where)
    mine = db.session.scalar(sa.select(Proposal).where(
        Proposal.role_id == role.id, Proposal.talent_id == talent_id,
        Proposal.status.in_(OPEN_PROPOSAL_STATUSES | {ProposalStatus.accepted})))
    if mine is not None:
        raise InvalidState(f"{talent.display_name} has a {mine.status} proposal for {role.name}.", **where)
    return _release(role, talent, actor=actor, reason="manual", signer=actor)


# --- releasing many at once -------------------------------------------------------------------------

BULK_RELEASE_JOB = "decisions.bulk_release"
MAX_BULK_RELEASE = 500


def start_bulk_release(role, *, actor, talent_ids: list[int], labels: dict[int, str] | None = None,
                       back: tuple[str, str] | None = None):
    """Release many talent of a role, each by the rule of ``release_talent`` (and its courteous email), as a
    job after this commit (one talent per step, so emails go out off the request). Returns the job. ``labels``
    (talent id -> name) let the job's page name who was skipped; ``back`` is the (path, label) it links back to."""
    require_manager(role.production, actor)
    ids = list(dict.fromkeys(talent_ids))
    if not ids:
        raise ValidationError({"talent_ids": ["Choose at least one talent."]})
    if len(ids) > MAX_BULK_RELEASE:
        raise ValidationError({"talent_ids": [f"At most {MAX_BULK_RELEASE} talent at once."]})
    payload = {"role_id": role.id, "talent_ids": ids}
    if labels:
        payload["labels"] = {str(k): v for k, v in labels.items()}
        payload["reasons"] = RELEASE_SKIP_REASONS
    if back:
        payload["back"] = list(back)
    return jobs.start(BULK_RELEASE_JOB, payload, actor)


# Each skip code in plain words, for the job's page.
RELEASE_SKIP_REASONS = {
    "not_shortlisted": "not shortlisted or called back for this role",
    "duplicate": "already released from this role",
    "invalid_state": "has an open or accepted proposal for this role",
}


@handler(BULK_RELEASE_JOB)
def bulk_release(run) -> None:
    """The job's steps: ``release_talent`` per talent; a refusal skips that talent with its code."""
    p = run.payload
    run.result.setdefault("released", [])
    run.result.setdefault("skipped", [])
    for talent_id in run.each(p["talent_ids"]):
        role = db.session.get(ProductionRole, p["role_id"])
        actor = db.session.get(User, run.created_by_id) if run.created_by_id else None
        try:
            with db.session.begin_nested():  # a refusal undoes this talent's part only
                release_talent(role, actor=actor, talent_id=talent_id)
        except DomainError as exc:
            run.result["skipped"].append({"talent_id": talent_id, "code": exc.code})
        else:
            run.result["released"].append(talent_id)
    role = db.session.get(ProductionRole, p["role_id"])
    audit.record("role.bulk_released", role, actor=db.session.get(User, run.created_by_id) if run.created_by_id else None,
                 production_id=role.production_id,
                 data={"job_id": run.job_id, "released": run.result["released"], "skipped": run.result["skipped"]})
