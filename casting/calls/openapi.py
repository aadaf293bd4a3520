"""The open calls API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.calls.api import (
    BULK_SHORTLIST_FIELDS,
    ENTRY_FIELDS,
    OPEN_CALL_FIELDS,
    SHORTLIST_FIELDS,
    SUBMISSION_FIELDS,
)
from casting.core import openapi as oa

OPEN_CALL = oa.schema("OpenCall", oa.obj({
    "id": oa.ident(), "production_id": oa.ident(), "production_title": oa.string(),
    "company": oa.obj({"id": oa.ident(), "legal_name": oa.string(), "verified": oa.boolean()}),
    "title": oa.string(), "instructions": oa.string(), "status": oa.string(), "open": oa.boolean(),
    "suspended": oa.boolean(), "closes_at": oa.datetime_(), "published_at": oa.nullable(oa.datetime_()), "role_ids": oa.array(oa.ident()),
    "roles": oa.array(oa.obj({"id": oa.ident(), "name": oa.string(), "description": oa.string(),
                              "age_min": oa.nullable(oa.integer()), "age_max": oa.nullable(oa.integer()),
                              "compensation": oa.nullable(oa.string())})),
    "created_at": oa.datetime_(),
}))
SUBMISSION = oa.schema("Submission", oa.obj({
    "id": oa.ident(), "open_call_id": oa.ident(), "role_id": oa.ident(), "talent_id": oa.ident(),
    "talent_name": oa.string(), "note": oa.string(), "self_tape_url": oa.nullable(oa.string()),
    "headshot_url": oa.nullable(oa.string()), "resume_url": oa.nullable(oa.string()), "created_at": oa.datetime_(),
}))
SHORTLIST_ENTRY = oa.schema("ShortlistEntry", oa.obj({
    "id": oa.ident(), "role_id": oa.ident(), "talent_id": oa.ident(), "talent_name": oa.string(),
    "submission_id": oa.nullable(oa.ident()), "rank": oa.integer(), "note": oa.string(),
    "added_by_id": oa.nullable(oa.ident()), "created_at": oa.datetime_(),
}))
SHORTLIST = {**oa.page(SHORTLIST_ENTRY)}
SHORTLIST = {**SHORTLIST, "properties": {"role_id": oa.ident(), **SHORTLIST["properties"]},
             "required": ["role_id", *SHORTLIST["required"]]}

oa.declare("calls_api", "Open calls", {
    "create_open_call": oa.Operation(
        "Create an open call (draft)",
        "A casting director member opens a call for some of the production's roles, closing at `closes_at`. "
        "It starts as a draft.",
        {201: OPEN_CALL}, body=OPEN_CALL_FIELDS, errors={409: ("invalid_state", "suspended")}),
    "list_open_calls": oa.Operation(
        "A production's open calls",
        "The open calls of a production the caller may see, paginated.",
        {200: oa.page(OPEN_CALL)}, paginated=True),
    "get_open_call": oa.Operation(
        "One open call",
        "A published open call is public (no token needed); a draft only for the production's members.",
        {200: OPEN_CALL}),
    "publish": oa.Operation(
        "Publish an open call",
        "A casting director member publishes a draft; the production's company must be verified "
        "(409 company_unverified); a call whose closing time has passed, or whose roles no longer qualify, is a 422.",
        {200: OPEN_CALL}, errors={409: ("company_unverified", "invalid_state", "suspended"),
                                  422: ("validation_error",)}),
    "close": oa.Operation(
        "Close an open call",
        "A casting director member closes a published call early.",
        {200: OPEN_CALL}, errors={409: ("invalid_state", "suspended")}),
    "submit": oa.Operation(
        "Apply to an open call (talent)",
        "A talent applies for one role of a published, open call: JSON, or multipart/form-data with the same "
        "fields and optional `headshot` (JPEG/PNG) and `resume` (PDF) files. Once per role: again is 409 "
        "duplicate. The profile's media are used when no file is sent. A suspended production's call takes no "
        "applications (409 suspended).",
        {201: SUBMISSION}, body=SUBMISSION_FIELDS,
        upload=oa.Upload({"headshot": "image/jpeg, image/png", "resume": "application/pdf"},
                         fields=SUBMISSION_FIELDS, required=("role_id",)),
        errors={409: ("duplicate", "invalid_state", "suspended")}),
    "list_submissions": oa.Operation(
        "An open call's submissions",
        "Production members read the submissions, optionally of one role (`role_id`), paginated.",
        {200: oa.page(SUBMISSION)}, paginated=True, query={"role_id": oa.integer(minimum=0)}),
    "my_submissions": oa.Operation(
        "The calling talent's submissions",
        "The calling talent's own submissions, paginated; 404 for an account without a talent profile.",
        {200: oa.page(SUBMISSION)}, paginated=True, not_found=True),
    "get_submission": oa.Operation(
        "One submission",
        "A submission: the talent who made it, or the production's members.",
        {200: SUBMISSION}),
    "submission_file": oa.Operation(
        "A submission's headshot or resume",
        "The file's bytes (an image or a PDF); 404 when the submission has none.",
        {200: oa.Binary(("image/jpeg", "image/png", "application/pdf"), "The headshot or the resume.")}),
    "add_to_shortlist": oa.Operation(
        "Shortlist a talent for a role",
        "A casting director member adds a talent (who applied, or whom the office added) to the end of the "
        "role's shortlist; again is 409 duplicate.",
        {201: SHORTLIST_ENTRY}, body=SHORTLIST_FIELDS, errors={409: ("duplicate", "invalid_state", "suspended")}),
    "add_many_to_shortlist": oa.Operation(
        "Shortlist many talent for a role",
        "A casting director member adds each talent by the rule of adding one (in the order given, each at the "
        "end of the shortlist). A talent that cannot be added is skipped with the code its single add would "
        "answer (`duplicate`, `not_found`, ...); the others are added. `added` lists the new entries' ids.",
        {200: oa.obj({"added": oa.array(oa.ident()),
                      "skipped": oa.array(oa.obj({"talent_id": oa.ident(), "code": oa.string()}))})},
        body=BULK_SHORTLIST_FIELDS, errors={409: ("invalid_state", "suspended")}),
    "get_shortlist": oa.Operation(
        "A role's shortlist",
        "The entries in rank order, paginated.",
        {200: SHORTLIST}, paginated=True),
    "update_entry": oa.Operation(
        "Re-rank or annotate a shortlist entry",
        "A casting director member moves an entry to `rank` and/or changes its note.",
        {200: SHORTLIST_ENTRY}, body=ENTRY_FIELDS, partial=True, errors={409: ("invalid_state", "suspended")}),
    "delete_entry": oa.Operation(
        "Remove a shortlist entry",
        "A casting director member removes a talent from the shortlist.",
        {204: None}, errors={409: ("invalid_state", "suspended")}),
}, description="Open calls, submissions and shortlists.")
