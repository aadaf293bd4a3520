"""The safety API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.core import openapi as oa
from casting.safety.api import REPORT_FIELDS, STATUS_FIELDS, SUSPEND_FIELDS
from casting.safety.models import ReportStatus

STATUS = oa.string(enum=[s.value for s in ReportStatus])
ABOUT = {"type": "object", "minProperties": 1, "maxProperties": 1,
         "description": "Exactly one of production_id, session_id, verification_code, company_name.",
         "properties": {"production_id": oa.ident(), "session_id": oa.ident(), "verification_code": oa.string(),
                        "company_name": oa.string()}}
REPORT = oa.schema("Report", oa.obj({
    "id": oa.ident(), "reference": oa.string(), "about": ABOUT, "status": STATUS, "created_at": oa.datetime_(),
    "updated_at": oa.datetime_(), "details": oa.string(), "contact_email": oa.nullable(oa.string()),
    "production_id": oa.nullable(oa.ident()), "reporter_id": oa.nullable(oa.ident()),
}, optional=("details", "contact_email", "production_id", "reporter_id")))
NOTE = oa.obj({"id": oa.ident(), "status": STATUS, "note": oa.string(), "author_id": oa.ident(),
               "author": oa.string(), "created_at": oa.datetime_()})
REPORT_DETAIL = oa.schema("ReportDetail", {"allOf": [REPORT, oa.obj({"notes": oa.array(NOTE)}, optional=("notes",))]})
PRODUCTION_STATE = oa.schema("ProductionSuspension", oa.obj({
    "id": oa.ident(), "suspended": oa.boolean(), "suspended_at": oa.nullable(oa.datetime_()),
    "suspended_by": oa.nullable(oa.ident()), "suspension_reason": oa.nullable(oa.string()),
}))

oa.declare("safety_api", "Safety", {
    "create_report": oa.Operation(
        "Report a concern (public)",
        "Anyone, with or without an account, reports a concern about one thing: `about` is `{production_id}`, "
        "`{session_id}`, `{verification_code}` (a letter's code, known or not) or `{company_name}` (a company "
        "not on Callback). The production's safeguarding contact and every admin are told by email. The answer "
        "carries the `reference` the reporter keeps; a signed-in reporter follows its status.",
        {201: oa.obj({"id": oa.ident(), "reference": oa.string()})}, body=REPORT_FIELDS,
        errors={429: ("rate_limited",)}),
    "queue": oa.Operation(
        "The safeguarding queue (admin)",
        "Every report, open first, then investigating, then closed; newest first within each; paginated.",
        {200: oa.page(REPORT)}, paginated=True),
    "get_report": oa.Operation(
        "One report",
        "Admins see the whole report with its notes; the signed-in reporter sees its reference, what it is about "
        "and its status; anyone else gets 404.",
        {200: REPORT_DETAIL}),
    "set_status": oa.Operation(
        "Move a report along the queue (admin)",
        "`status` is open, investigating or closed; the `note` says what was done or found. Closing a closed "
        "report is 409 invalid_state.",
        {200: REPORT_DETAIL}, body=STATUS_FIELDS, errors={409: ("invalid_state",)}),
    "suspend": oa.Operation(
        "Suspend a production (admin)",
        "With a `reason`: its scheduled sessions and open calls are frozen, talent invited to a coming callback "
        "are told, and every member's write on it answers 409 suspended until another admin reinstates it.",
        {200: PRODUCTION_STATE}, body=SUSPEND_FIELDS, errors={409: ("invalid_state",)}),
    "reinstate": oa.Operation(
        "Reinstate a suspended production (another admin)",
        "An admin other than the one who suspended it (403 four_eyes) lifts the suspension; invited talent are "
        "told. Not suspended: 409 invalid_state.",
        {200: PRODUCTION_STATE}, body_schema={"type": "object"}, body_optional=True,
        errors={403: ("four_eyes",), 409: ("invalid_state",)}),
}, description="Reporting a concern, the admins' safeguarding queue, and suspending a production.")
