"""The callback sessions API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.callbacks.api import (
    ACCESS_NEEDS_FIELDS,
    ATTEST_FIELDS,
    BULK_INVITE_FIELDS,
    CANCEL_FIELDS,
    CANCEL_INVITATION_FIELDS,
    DECLINE_FIELDS,
    MOVE_FIELDS,
    MESSAGE_FIELDS,
    NOTE_FIELDS,
    RESCHEDULE_ANSWER_FIELDS,
    RESCHEDULE_FIELDS,
    SESSION_FIELDS,
    SHARE_FIELDS,
)
from casting.core import openapi as oa
from casting.core.api import Field

ATTESTATION = oa.schema("Attestation", oa.obj({
    "id": oa.ident(), "session_id": oa.ident(), "code": oa.string(), "statement": oa.nullable(oa.string()),
    "attested_by": oa.nullable(oa.ident()), "attested_by_name": oa.string(), "attested_at": oa.datetime_(),
}))
SESSION = oa.schema("CallbackSession", oa.obj({
    "id": oa.ident(), "production_id": oa.ident(), "title": oa.string(),
    "status": oa.string(enum=["draft", "scheduled", "completed", "cancelled"]),
    "role_ids": oa.array(oa.ident()), "venue_id": oa.ident(), "timezone": oa.string(),
    "starts_at": oa.datetime_(), "ends_at": oa.datetime_(), "slot_minutes": oa.integer(minimum=1),
    "panel_user_ids": oa.array(oa.ident()), "recorded": oa.boolean(), "recording_use": oa.nullable(oa.string()),
    "lead_casting_director_id": oa.nullable(oa.ident()), "created_at": oa.datetime_(),
    "scheduled_at": oa.nullable(oa.datetime_()), "cancelled_at": oa.nullable(oa.datetime_()),
    "cancel_reason": oa.nullable(oa.string()), "attestations": oa.array(ATTESTATION),
}))
SESSION_CHANGED = oa.schema("CallbackSessionChanged", {
    "allOf": [SESSION, oa.obj({"reissue_job_id": oa.nullable(oa.ident())})],
})
JOB_STARTED = oa.schema("JobStarted", oa.obj({"job_id": oa.ident()}))
CHECKLIST = oa.schema("Checklist", oa.obj({
    "ready": oa.boolean(),
    "items": oa.array(oa.obj({"code": oa.string(), "title": oa.string(), "applicable": oa.boolean(),
                              "passed": oa.boolean(), "detail": oa.string()})),
}))
NOTE = oa.schema("PanelNote", oa.obj({
    "id": oa.ident(), "invitation_id": oa.ident(), "author_id": oa.nullable(oa.ident()),
    "rating": oa.integer(minimum=1, maximum=5), "note": oa.string(), "created_at": oa.datetime_(),
}))
INVITATION = oa.schema("Invitation", oa.obj({
    "id": oa.ident(), "session_id": oa.ident(), "production_id": oa.ident(), "role_id": oa.ident(),
    "talent_id": oa.ident(), "status": oa.string(), "starts_at": oa.datetime_(), "ends_at": oa.datetime_(),
    "timezone": oa.string(), "talent_note": oa.nullable(oa.string()), "access_needs": oa.nullable(oa.string()),
    "responded_at": oa.nullable(oa.datetime_()), "checked_in_at": oa.nullable(oa.datetime_()),
    "history": oa.array(oa.obj({"kind": oa.string(), "from_starts_at": oa.nullable(oa.datetime_()),
                                "to_starts_at": oa.nullable(oa.datetime_()), "note": oa.nullable(oa.string()),
                                "at": oa.datetime_()})),
    "documents": oa.array(oa.obj({"id": oa.ident(), "kind": oa.string(), "verification_code": oa.string(),
                                  "status": oa.string()})),
    "notes": oa.array(NOTE),  # production members only (never shown to talent)
}, optional=("notes",)))
MESSAGE = oa.schema("InvitationMessage", oa.obj({
    "id": oa.ident(), "invitation_id": oa.ident(), "side": oa.string(enum=["production", "talent"]),
    "kind": oa.string(enum=["message", "reschedule_request", "access_needs"]), "author_id": oa.nullable(oa.ident()),
    "author_name": oa.string(), "body": oa.string(), "created_at": oa.datetime_(),
}))
SHARE = oa.schema("Share", oa.obj({
    "id": oa.ident(), "invitation_id": oa.ident(), "name": oa.string(), "email": oa.string(),
    "guardian": oa.boolean(), "status": oa.string(enum=["active", "stopped"]), "created_at": oa.datetime_(),
    "stopped_at": oa.nullable(oa.datetime_()),
}))
INVITE_FIELDS = {"talent_id": Field("int"), "role_id": Field("int"), "starts_at": Field("datetime")}
SCHEDULE_CONFLICTS = ("checklist_failed", "invalid_state", "venue_conflict", "suspended")

oa.declare("callbacks_api", "Callback sessions", {
    "create_session": oa.Operation(
        "Create a callback session (draft)",
        "A casting director member builds a session: roles, venue, start and end (with an offset), slot length, "
        "panel (production members, else 422), whether it is recorded and why. It starts as a draft.",
        {201: SESSION}, body=SESSION_FIELDS, errors={409: ("invalid_state", "suspended")}),
    "list_sessions": oa.Operation(
        "A production's callback sessions",
        "The sessions of a production the caller may see, by start time, paginated.",
        {200: oa.page(SESSION)}, paginated=True),
    "get_session": oa.Operation(
        "One callback session",
        "A session of a production the caller is a member of.",
        {200: SESSION}),
    "update_session": oa.Operation(
        "Change a callback session",
        "The same fields as creating, each optional. On a scheduled session the checklist is evaluated again: a "
        "change that fails it is 409 checklist_failed and nothing changes. A change of venue or time that puts the "
        "session in a venue another scheduled session holds at an overlapping time is 409 venue_conflict "
        "(`details.session_id`: that session; virtual venues excepted).",
        {200: SESSION_CHANGED}, body=SESSION_FIELDS, partial=True, errors={409: SCHEDULE_CONFLICTS}),
    "checklist": oa.Operation(
        "The legitimate-callback checklist",
        "Every item of DESIGN.md, in its order, with whether it applies, whether it passed and what to fix; "
        "`ready` when every applicable item passed.",
        {200: CHECKLIST}),
    "attest": oa.Operation(
        "Attest a checklist item",
        "A casting director member attests an item that needs a statement (e.g. `no_fees`).",
        {201: ATTESTATION}, body=ATTEST_FIELDS, errors={409: ("invalid_state", "duplicate", "suspended")}),
    "schedule": oa.Operation(
        "Schedule a session",
        "Only when the checklist passes (409 checklist_failed with `details.failed`), and no other scheduled "
        "session holds the venue at an overlapping time (409 venue_conflict).",
        {200: SESSION}, errors={409: SCHEDULE_CONFLICTS}),
    "cancel": oa.Operation(
        "Cancel a session",
        "A casting director member cancels with a reason; the invitations are cancelled and the talent told.",
        {200: SESSION}, body=CANCEL_FIELDS, errors={409: ("invalid_state", "suspended")}),
    "complete": oa.Operation(
        "Complete a session",
        "A casting director member completes a scheduled session after its end (before it, 409 invalid_state): "
        "each talent who was checked in is marked attended.",
        {200: SESSION}, errors={409: ("invalid_state", "suspended")}),
    "invite_many": oa.Operation(
        "Invite many shortlisted talent (a background job)",
        "Each talent goes into the next free slot from `starts_at` (default: the session's start), by the rules "
        "of inviting one; those who cannot be invited are skipped with their error code (e.g. not_shortlisted, "
        "double_booked, duplicate, no_free_slot). Answers 202 with the job to follow at GET /jobs/{id}.",
        {202: JOB_STARTED}, body=BULK_INVITE_FIELDS, errors={409: ("invalid_state", "suspended")}),
    "invite": oa.Operation(
        "Invite a shortlisted talent into a slot",
        "The session must be scheduled (409 invalid_state), the talent shortlisted for the role "
        "(409 not_shortlisted), the slot on the session's grid (422), and neither the slot nor the talent "
        "taken at an overlapping time (409 double_booked). Issues and emails the confirmation and consents.",
        {201: INVITATION}, body=INVITE_FIELDS,
        errors={409: ("invalid_state", "not_shortlisted", "double_booked", "checklist_failed", "suspended")}),
    "list_invitations": oa.Operation(
        "A session's invitations",
        "The invitations of a session, by slot, paginated (production members).",
        {200: oa.page(INVITATION)}, paginated=True),
    "get_invitation": oa.Operation(
        "One invitation",
        "The invited talent, or the production's members (who also see the panel's notes).",
        {200: INVITATION}),
    "my_invitations": oa.Operation(
        "The calling talent's invitations",
        "The calling talent's own invitations, paginated; 404 for an account without a talent profile.",
        {200: oa.page(INVITATION)}, paginated=True, not_found=True),
    "confirm": oa.Operation(
        "Confirm an invitation (that talent)",
        "The invited talent confirms. No body is needed.",
        {200: INVITATION}, body_schema={"type": "object"}, body_optional=True, errors={409: ("invalid_state",)}),
    "decline": oa.Operation(
        "Decline an invitation (that talent)",
        "The invited talent declines, with an optional note. The body may be empty.",
        {200: INVITATION}, body=DECLINE_FIELDS, body_optional=True, errors={409: ("invalid_state",)}),
    "reschedule_request": oa.Operation(
        "Ask for another time (that talent)",
        "The invited talent asks the casting office for another slot, saying why.",
        {200: INVITATION}, body=RESCHEDULE_FIELDS, errors={409: ("invalid_state",)}),
    "access_needs": oa.Operation(
        "Tell the office of access needs (that talent)",
        "The invited talent says what they need to take part (step-free access, a reader...).",
        {200: INVITATION}, body=ACCESS_NEEDS_FIELDS, errors={409: ("invalid_state",)}),
    "check_in": oa.Operation(
        "Check a talent in",
        "A production member checks the talent in: every consent must be signed (409 missing_consent with "
        "`details.missing`, checked first), and it must be the check-in window: from CASTING_CHECKIN_OPENS_HOURS "
        "(default 2) before the talent's slot to the session's end (409 outside_window, with `details.opens_at` "
        "and `details.closes_at`).",
        {200: INVITATION},
        errors={409: ("missing_consent", "checklist_failed", "invalid_state", "outside_window", "suspended")}),
    "no_show": oa.Operation(
        "Record a no-show",
        "A casting director member records that the invited talent did not come: only once their slot has "
        "started, and only for a talent not checked in (409 invalid_state otherwise). No body is needed.",
        {200: INVITATION}, errors={409: ("invalid_state", "suspended")}),
    "cancel_invitation": oa.Operation(
        "Cancel one invitation",
        "A casting director member cancels an invitation before its slot starts, with a reason: the talent is "
        "told by email (with a calendar cancellation) and every document of the invitation is voided.",
        {200: INVITATION}, body=CANCEL_INVITATION_FIELDS, errors={409: ("invalid_state", "suspended")}),
    "move": oa.Operation(
        "Move one invitation to another slot",
        "A casting director member moves an invitation (e.g. answering a reschedule request) by the rules of "
        "inviting: a later slot on the session's grid (422), the session scheduled (409 invalid_state), neither "
        "the slot nor the talent taken at an overlapping time (409 double_booked). The old letters are voided "
        "(the old confirmation's status is `void`), new ones issued, and the talent emailed them with an "
        "updated .ics; the invitation is `invited` again until the talent confirms the new time.",
        {200: INVITATION}, body=MOVE_FIELDS, errors={409: ("invalid_state", "double_booked", "suspended")}),
    "decline_reschedule": oa.Operation(
        "Decline a talent's reschedule request",
        "A casting director member answers a reschedule request without moving it: the invitation keeps its slot "
        "and is `invited` again (the talent is emailed, and asked to confirm that time or decline), with an "
        "optional note. The body may be empty.",
        {200: INVITATION}, body=RESCHEDULE_ANSWER_FIELDS, body_optional=True,
        errors={409: ("invalid_state", "suspended")}),
    "add_note": oa.Operation(
        "Add a panel note",
        "A panel member records a 1 to 5 rating and a note (never shown to talent).",
        {201: NOTE}, body=NOTE_FIELDS, errors={409: ("invalid_state", "suspended")}),
    "list_messages": oa.Operation(
        "An invitation's message thread",
        "The messages between the production's members and the invited talent, oldest first, paginated: "
        "typed messages, and the talent's reschedule requests and access needs. The invited talent, the "
        "production's members and admins read it.",
        {200: oa.page(MESSAGE)}, paginated=True),
    "post_message": oa.Operation(
        "Write in an invitation's thread",
        "The invited talent or a member of the production writes (admins read only: 403). The other side is "
        "emailed, and a minor's guardian is copied. Control characters other than line breaks and tabs are "
        "refused (422). While the production is suspended its members' messages are refused (409 suspended); "
        "the talent may still write. An account writes at most RATELIMIT_MESSAGES (60 an hour by default, "
        "the page and the API together; then 429 rate_limited).",
        {201: MESSAGE}, body=MESSAGE_FIELDS, errors={409: ("suspended",), 429: ("rate_limited",)}),
    "share": oa.Operation(
        "Share a callback with a trusted person (that talent)",
        "The invited talent names someone who should know where they are (`name`, `email`); for a minor, an "
        "empty body shares with the guardian. The person is emailed the time, address, panel, safeguarding "
        "contact and the letter's verification code, then told at check-in, at the end, and if the callback is "
        "cancelled or moved. The same email twice is 409 duplicate; a callback that is over, cancelled or "
        "declined is 409 invalid_state. An account starts at most RATELIMIT_SHARES shares (10 an hour by "
        "default; then 429 rate_limited).",
        {201: SHARE}, body=SHARE_FIELDS, body_optional=True,
        errors={409: ("invalid_state", "duplicate"), 429: ("rate_limited",)}),
    "stop_share": oa.Operation(
        "Stop sharing a callback (that talent)",
        "The trusted person is told once that sharing stopped and hears nothing more. Stopping again changes "
        "nothing.",
        {204: None}),
}, description="Callback sessions, their checklist and scheduling, invitations and check-in.")
