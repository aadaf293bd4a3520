"""Every audit action name, declared in one place.

The audit page's action filter lists these (never a SELECT DISTINCT over the log), and
tests/audit/test_actions.py fails when code records an action not declared here.
An action is ``<subject>.<verb>``; filtering by the subject alone ("session") matches every ``session.*``.
"""
from __future__ import annotations

ACTIONS: frozenset[str] = frozenset({
    # accounts
    "auth.login", "auth.login_failed", "auth.login_throttled", "auth.logout", "auth.mfa_failed", "auth.mfa_passed",
    "auth.password_reset_requested",
    "user.created", "user.disabled", "user.enabled", "user.email_verified", "user.mfa_enabled",
    "user.password_changed", "user.password_link_sent", "user.password_reset", "user.password_set",
    "user.register_existing", "user.verification_sent",
    "token.created", "token.revoked",
    "credential.submitted", "credential.verified",
    # companies
    "company.created", "company.logo_uploaded", "company.member_added", "company.verified",
    # productions
    "production.created", "production.member_added", "production.member_left",
    "production.updated", "production.member_removed", "venue.updated",
    # safety (production.suspended / reinstated: an admin's suspension and another admin's reinstatement)
    "production.suspended", "production.reinstated", "report.created", "report.status_changed",
    "role.created", "role.updated", "role.cast", "role.released", "role.bulk_released",
    "side.uploaded", "side.downloaded", "venue.created",
    # talent
    "talent.created", "talent.claimed", "talent.updated", "talent.date_of_birth_requested",
    "talent.date_of_birth_confirmed", "talent.profile_updated", "talent.headshot_added", "talent.headshot_primary",
    "talent.headshot_deleted", "talent.resume_uploaded", "talent.resume_deleted",
    # calls
    "open_call.created", "open_call.published", "open_call.closed", "submission.created",
    "shortlist.added", "shortlist.bulk_added", "shortlist.noted", "shortlist.removed", "shortlist.reordered",
    # callbacks (invitation.<status> for a talent's answer: confirmed, declined, reschedule_requested)
    "session.created", "session.updated", "session.attested", "session.scheduled", "session.cancelled",
    "session.schedule_blocked", "session.completed", "session.bulk_invited",
    "invitation.created", "invitation.cancelled", "invitation.moved", "invitation.reschedule_declined",
    "invitation.no_show", "invitation.attended", "invitation.confirmed", "invitation.declined",
    "invitation.reschedule_requested", "invitation.access_needs", "invitation.checked_in", "invitation.noted",
    "invitation.reminded", "message.posted",
    "share.started", "share.stopped",
    # documents
    "document.issued", "document.viewed", "document.signature_added", "document.signed", "document.superseded",
    "document.voided", "document.rendered",
    # decisions (proposal.<status> for a producer's decision: approved, rejected)
    "proposal.proposed", "proposal.approved", "proposal.rejected", "proposal.offer_issued", "proposal.accepted",
    "proposal.declined", "proposal.withdrawn", "proposal.commented", "candidate.commented",
})

# Families whose second part is open-ended: a refused request is "blocked.<error code>" (or
# "blocked.http_<status>" for a refusal a view answered itself); the filter offers the family.
FAMILIES: frozenset[str] = frozenset({"blocked"})


def filter_choices() -> list[str]:
    """The action filter's options: each subject (matching all its actions), then every action, sorted."""
    subjects = {action.split(".", 1)[0] for action in ACTIONS} | FAMILIES
    return sorted(subjects | ACTIONS)


def is_declared(action: str) -> bool:
    return action in ACTIONS or action.split(".", 1)[0] in FAMILIES
