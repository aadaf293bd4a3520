"""JSON API: proposals, the producers' decision, the talent's answer, releases and the board."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify
from sqlalchemy.orm import joinedload

from casting.core.api import (
    Field,
    api_blueprint,
    created,
    iso,
    json_body,
    optional_json_body,
    paginate,
    validate,
)
from casting.core.auth import current_actor
from casting.decisions import access, queries, services
from casting.decisions.models import OFFER_STATUSES, Proposal, ReviewComment
from casting.decisions.terms import PROPOSAL_LIMITS
from casting.productions.access import (
    can_see_production,
    visible_production,
    visible_role,
)
from casting.talent.services import profile_of

bp = api_blueprint("decisions_api", __name__)

PROPOSAL_FIELDS = {"talent_id": Field("int"), "terms": Field("dict"),
                   "trust_account": Field(required=False, nullable=True, max_length=PROPOSAL_LIMITS["trust_account"])}
COMMENT = {"comment": Field("text", required=False, nullable=True, max_length=services.DECISION_LIMITS["comment"])}
WITHDRAW_FIELDS = {"reason": Field("text", max_length=services.WITHDRAW_LIMITS["reason"])}
COMMENT_FIELDS = {"talent_id": Field("int"), "body": Field("text", max_length=services.COMMENT_LIMITS["body"])}
DECLINE_FIELDS = {"reason": Field("text", required=False, nullable=True, max_length=services.OFFER_LIMITS["reason"])}


def proposal_json(p: Proposal, *, staff: bool = True) -> dict:
    """A proposal; the production's internal fields (who decided, their comment) only for staff."""
    out = {
        "id": p.id, "role_id": p.role_id, "talent_id": p.talent_id, "terms": p.terms or {}, "status": p.status,
        "offer_document_id": p.offer_document_id, "production_id": p.production_id, "role_name": p.role.name,
        "trust_account": p.trust_account, "guardian_signature_required": services.minor_for(p),
        "created_at": iso(p.created_at), "responded_at": iso(p.responded_at),
    }
    if staff:
        out.update({"proposed_by": p.proposed_by_id, "decided_by": p.decided_by_id, "decided_at": iso(p.decided_at),
                    "decision_comment": p.decision_comment, "withdrawn_by": p.withdrawn_by_id,
                    "withdrawn_at": iso(p.withdrawn_at), "withdrawal_reason": p.withdrawal_reason})
    return out


def comment_json(c) -> dict:
    """A comment of the producers' review."""
    return {"id": c.id, "role_id": c.role_id, "talent_id": c.talent_id, "proposal_id": c.proposal_id,
            "author_id": c.author_id, "author_name": c.author.name, "body": c.body, "created_at": iso(c.created_at)}


def _json_for(p: Proposal, user) -> dict:
    return proposal_json(p, staff=can_see_production(p.role.production, user))


@bp.post("/roles/<int:role_id>/proposals")
def propose(role_id: int):
    actor = current_actor()
    role = visible_role(role_id, actor)
    services.check_can_propose(role, actor)
    data = validate(json_body(), PROPOSAL_FIELDS)
    proposal = services.propose(role, actor=actor, **data)
    return created(proposal_json(proposal))


@bp.get("/roles/<int:role_id>/proposals")
def role_proposals(role_id: int):
    role = visible_role(role_id, current_actor())
    return paginate(sa.select(Proposal).where(Proposal.role_id == role.id).options(*queries.proposal_options())
                    .order_by(Proposal.id.desc()), proposal_json)


@bp.get("/proposals/<int:proposal_id>")
def get(proposal_id: int):
    actor = current_actor()
    return jsonify(_json_for(access.visible_proposal(proposal_id, actor), actor))


def _decide(proposal_id: int, action):
    actor = current_actor()
    proposal = access.visible_proposal(proposal_id, actor)
    services.check_can_decide(proposal, actor)
    data = validate(optional_json_body(), COMMENT)
    action(proposal, actor=actor, comment=data["comment"])
    return jsonify(_json_for(proposal, actor))


@bp.post("/proposals/<int:proposal_id>/approve")
def approve(proposal_id: int):
    return _decide(proposal_id, services.approve)


@bp.post("/proposals/<int:proposal_id>/reject")
def reject(proposal_id: int):
    return _decide(proposal_id, services.reject)


@bp.post("/proposals/<int:proposal_id>/withdraw")
def withdraw(proposal_id: int):
    actor = current_actor()
    proposal = access.visible_proposal(proposal_id, actor)
    services.check_can_withdraw(proposal, actor)
    data = validate(json_body(), WITHDRAW_FIELDS)
    services.withdraw(proposal, actor=actor, reason=data["reason"])
    return jsonify(_json_for(proposal, actor))


@bp.post("/roles/<int:role_id>/comments")
def comment(role_id: int):
    actor = current_actor()
    role = visible_role(role_id, actor)
    services.check_can_comment(role, actor)
    data = validate(json_body(), COMMENT_FIELDS)
    return created(comment_json(services.comment(role, actor=actor, talent_id=data["talent_id"], body=data["body"])))


@bp.get("/roles/<int:role_id>/comments")
def role_comments(role_id: int):
    role = visible_role(role_id, current_actor())
    return paginate(sa.select(ReviewComment).where(ReviewComment.role_id == role.id)
                    .options(joinedload(ReviewComment.author)).order_by(ReviewComment.id.desc()), comment_json)


@bp.post("/proposals/<int:proposal_id>/decline")
def decline(proposal_id: int):
    actor = current_actor()
    proposal = access.visible_proposal(proposal_id, actor)
    data = validate(optional_json_body(), DECLINE_FIELDS)
    services.decline(proposal, actor=actor, reason=data["reason"])
    return jsonify(_json_for(proposal, actor))


@bp.get("/me/offers")
def my_offers():
    talent = profile_of(current_actor())
    return paginate(sa.select(Proposal).where(Proposal.talent_id == talent.id, Proposal.status.in_(OFFER_STATUSES))
                    .options(*queries.proposal_options()).order_by(Proposal.id.desc()),
                    lambda p: proposal_json(p, staff=False))


@bp.post("/roles/<int:role_id>/releases")
def release(role_id: int):
    actor = current_actor()
    role = visible_role(role_id, actor)
    services.check_can_propose(role, actor)
    data = validate(json_body(), {"talent_id": Field("int")})
    rel = services.release_talent(role, actor=actor, talent_id=data["talent_id"])
    return created({"id": rel.id, "role_id": rel.role_id, "talent_id": rel.talent_id, "reason": rel.reason,
                    "released_at": iso(rel.created_at)})


@bp.get("/productions/<int:production_id>/board")
def board(production_id: int):
    production = visible_production(production_id, current_actor())
    rows = queries.board(production)
    return jsonify({
        "production_id": production.id,
        "roles": [{"id": r.role.id, "name": r.role.name, "status": r.role.status, "stage": r.stage,
                   "submissions": r.submissions, "shortlisted": r.shortlisted, "called_back": r.called_back,
                   "attended": r.attended,
                   "proposal": {"id": r.proposal.id, "status": r.proposal.status, "talent_id": r.proposal.talent_id}
                   if r.proposal is not None else None} for r in rows],
        "totals": queries.totals(rows),
    })
