"""The final casting decisions API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.core import openapi as oa
from casting.core.api import Field
from casting.decisions.api import COMMENT, COMMENT_FIELDS, DECLINE_FIELDS, PROPOSAL_FIELDS, WITHDRAW_FIELDS

PROPOSAL = oa.schema("Proposal", oa.obj({
    "id": oa.ident(), "role_id": oa.ident(), "talent_id": oa.ident(), "terms": oa.any_object(),
    "status": oa.string(), "offer_document_id": oa.nullable(oa.ident()), "production_id": oa.ident(),
    "role_name": oa.string(), "trust_account": oa.nullable(oa.string()),
    "guardian_signature_required": oa.boolean(), "created_at": oa.datetime_(),
    "responded_at": oa.nullable(oa.datetime_()),
    # The production's internal fields, for its members only.
    "proposed_by": oa.nullable(oa.ident()), "decided_by": oa.nullable(oa.ident()),
    "decided_at": oa.nullable(oa.datetime_()), "decision_comment": oa.nullable(oa.string()),
    "withdrawn_by": oa.nullable(oa.ident()), "withdrawn_at": oa.nullable(oa.datetime_()),
    "withdrawal_reason": oa.nullable(oa.string()),
}, optional=("proposed_by", "decided_by", "decided_at", "decision_comment", "withdrawn_by", "withdrawn_at",
             "withdrawal_reason")))
REVIEW_COMMENT = oa.schema("ReviewComment", oa.obj({
    "id": oa.ident(), "role_id": oa.ident(), "talent_id": oa.ident(), "proposal_id": oa.nullable(oa.ident()),
    "author_id": oa.ident(), "author_name": oa.string(), "body": oa.string(), "created_at": oa.datetime_(),
}))
RELEASE = oa.obj({"id": oa.ident(), "role_id": oa.ident(), "talent_id": oa.ident(),
                  "reason": oa.nullable(oa.string()), "released_at": oa.datetime_()})
BOARD = oa.schema("Board", oa.obj({
    "production_id": oa.ident(),
    "roles": oa.array(oa.obj({
        "id": oa.ident(), "name": oa.string(), "status": oa.string(), "stage": oa.string(),
        "submissions": oa.integer(minimum=0), "shortlisted": oa.integer(minimum=0),
        "called_back": oa.integer(minimum=0), "attended": oa.integer(minimum=0),
        "proposal": oa.nullable(oa.obj({"id": oa.ident(), "status": oa.string(), "talent_id": oa.ident()})),
    })),
    "totals": {"type": "object", "additionalProperties": oa.integer(minimum=0)},
}))
DECISION_CONFLICTS = ("invalid_state", "suspended")

oa.declare("decisions_api", "Casting decisions", {
    "propose": oa.Operation(
        "Propose a talent for a role",
        "A casting director member proposes a talent with the terms; a producer who is not the proposer decides.",
        {201: PROPOSAL}, body=PROPOSAL_FIELDS,
        errors={409: ("invalid_state", "duplicate", "not_shortlisted", "suspended")}),
    "role_proposals": oa.Operation(
        "A role's proposals",
        "The proposals for a role, newest first, paginated (production members).",
        {200: oa.page(PROPOSAL)}, paginated=True),
    "get": oa.Operation(
        "One proposal",
        "A proposal: production members see who proposed and decided; the talent sees their offer.",
        {200: PROPOSAL}),
    "approve": oa.Operation(
        "Approve a proposal (producer, four eyes)",
        "A producer member who did not propose it approves, with an optional comment (the body may be empty); "
        "approval issues the offer document to the talent. The proposer gets 403 four_eyes.",
        {200: PROPOSAL}, body=COMMENT, body_optional=True,
        errors={403: ("four_eyes",), 409: DECISION_CONFLICTS}),
    "reject": oa.Operation(
        "Reject a proposal (producer, four eyes)",
        "A producer member who did not propose it rejects, with an optional comment (the body may be empty).",
        {200: PROPOSAL}, body=COMMENT, body_optional=True,
        errors={403: ("four_eyes",), 409: DECISION_CONFLICTS}),
    "withdraw": oa.Operation(
        "Withdraw an offer (casting director)",
        "A casting director member withdraws an approved offer the talent has not answered, with a reason the "
        "talent is told by email; the offer document is voided. Any other status is 409 invalid_state.",
        {200: PROPOSAL}, body=WITHDRAW_FIELDS, errors={409: DECISION_CONFLICTS}),
    "comment": oa.Operation(
        "Comment on a candidate (producer or casting director)",
        "A producer or casting director member comments on a talent shortlisted, called back or proposed for the "
        "role (else 409 not_shortlisted) without approving or rejecting; tied to the talent's open proposal "
        "when there is one. Never shown to talent.",
        {201: REVIEW_COMMENT}, body=COMMENT_FIELDS, errors={409: ("not_shortlisted", "suspended")}),
    "role_comments": oa.Operation(
        "A role's review comments",
        "The comments on a role's candidates, newest first, paginated (production members).",
        {200: oa.page(REVIEW_COMMENT)}, paginated=True),
    "decline": oa.Operation(
        "Decline an offer (that talent)",
        "The talent declines an approved offer, with an optional reason (the body may be empty).",
        {200: PROPOSAL}, body=DECLINE_FIELDS, body_optional=True, errors={409: ("invalid_state",)}),
    "my_offers": oa.Operation(
        "The calling talent's offers",
        "Offers made to the calling talent, newest first, paginated; 404 for an account without a talent "
        "profile.",
        {200: oa.page(PROPOSAL)}, paginated=True, not_found=True),
    "release": oa.Operation(
        "Release a talent from a role",
        "A casting director member tells a talent shortlisted or called back for the role (else 409 "
        "not_shortlisted) that they were not chosen.",
        {201: RELEASE}, body={"talent_id": Field("int")},
        errors={409: ("invalid_state", "duplicate", "not_shortlisted", "suspended")}),
    "board": oa.Operation(
        "A production's casting board",
        "Per role: its stage and how many submissions, shortlisted, called back and attended, and its current "
        "proposal; with production-wide totals.",
        {200: BOARD}),
}, description="Proposals, the producers' four-eyes decision, offers and releases.")
