"""The talent API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.core import openapi as oa
from casting.talent.api import DETAILS_FIELDS, LIST_FIELDS, PROFILE_FIELDS
from casting.talent.profile import LIST_LIMITS, PLAYING_AGE_RANGE
from casting.talent.search import MAX_TERMS, Q_LIMIT, SORTS

HEADSHOT = oa.obj({"id": oa.ident(), "primary": oa.boolean(), "content_type": oa.string(), "url": oa.string()})
TALENT = oa.schema("Talent", oa.obj({
    "id": oa.ident(), "user_id": oa.nullable(oa.ident()), "legal_name": oa.string(),
    "professional_name": oa.nullable(oa.string()), "email": oa.nullable(oa.string()),
    "date_of_birth": oa.nullable(oa.date_()), "guardian_name": oa.nullable(oa.string()),
    "guardian_email": oa.nullable(oa.string()), "agent": oa.nullable(oa.string()), "claimed": oa.boolean(),
    "created_at": oa.datetime_(), "guardian_phone": oa.nullable(oa.string()),
    "date_of_birth_pending": oa.boolean(), "pending_date_of_birth": oa.nullable(oa.date_()),
    "pending_date_of_birth_at": oa.nullable(oa.datetime_()), "locked_fields": oa.array(oa.string()),
    "location": oa.nullable(oa.string()), "pronouns": oa.nullable(oa.string()),
    "playing_age_min": oa.nullable(oa.integer()), "playing_age_max": oa.nullable(oa.integer()),
    "bio": oa.nullable(oa.string()), "skills": oa.array(oa.string()), "unions": oa.array(oa.string()),
    "headshots": oa.array(HEADSHOT), "reel_url": oa.nullable(oa.string()), "self_tape_urls": oa.array(oa.string()),
    "resume_url": oa.nullable(oa.string()), "access_needs": oa.nullable(oa.string()),
    "resume_visibility": oa.string(enum=["applied", "linked"]), "reel_visibility": oa.string(enum=["applied", "linked"]),
    "hidden": oa.array(oa.string(enum=["access_needs", "reel", "resume"])),
}))
TALENT_RESULT = oa.schema("TalentSearchResult", oa.obj({
    "id": oa.ident(), "legal_name": oa.string(), "professional_name": oa.nullable(oa.string()),
    "display_name": oa.string(), "email": oa.string(), "location": oa.nullable(oa.string()),
    "pronouns": oa.nullable(oa.string()), "playing_age_min": oa.nullable(oa.integer()),
    "playing_age_max": oa.nullable(oa.integer()), "skills": oa.array(oa.string()), "unions": oa.array(oa.string()),
    "headshot_url": oa.nullable(oa.string()), "created_at": oa.datetime_(),
}))
_details = oa.body_schema(DETAILS_FIELDS, partial=True)
_details["properties"].update({name: oa.nullable({"type": "array", "items": oa.string(maxLength=limit),
                                                   "maxItems": LIST_LIMITS[name]})
                               for name, limit in LIST_FIELDS.items()})
IMAGE = oa.Binary(("image/jpeg", "image/png"), "The headshot.")

oa.declare("talent_api", "Talent", {
    "create": oa.Operation(
        "Add a talent profile (casting director)",
        "A casting office adds talent who may not have an account yet; they are emailed a link to claim it. "
        "A minor needs a guardian's name and email.",
        {201: TALENT}, body=PROFILE_FIELDS, errors={409: ("duplicate", "invalid_state")}),
    "get": oa.Operation(
        "One talent profile",
        "A profile the caller may see: their own, one their productions may see, or any for admins.",
        {200: TALENT}),
    "me": oa.Operation(
        "The calling talent's own profile",
        "The profile of the calling talent account; 404 for an account without one.",
        {200: TALENT}, not_found=True),
    "search_talent": oa.Operation(
        "Search talent (casting director or producer)",
        "The talent the caller's productions may see (applied to, shortlisted or invited in one of them, or added "
        "by the caller; admins: all), filtered by free text `q` (name or email), `location` (the town or city, "
        "any case), `playing_age` (within the talent's playing range), `union` and `skill` (repeatable: each must "
        "match), sorted by `name` or `date` (newest first), paginated. Talent accounts get 403.",
        {200: oa.page(TALENT_RESULT)}, paginated=True,
        query={"q": oa.string(maxLength=Q_LIMIT), "location": oa.string(maxLength=200),
               "playing_age": oa.integer(minimum=PLAYING_AGE_RANGE[0], maximum=PLAYING_AGE_RANGE[1]),
               "union": oa.string(maxLength=60, description=f"Repeatable, at most {MAX_TERMS}."),
               "skill": oa.string(maxLength=60, description=f"Repeatable, at most {MAX_TERMS}."),
               "sort": oa.string(enum=list(SORTS))}),
    "headshot": oa.Operation(
        "One of a talent's headshots",
        "The image's bytes, for whoever may see the profile; `size=small`: a JPEG of at most 320 x 400 pixels.",
        {200: IMAGE}, query={"size": oa.string(enum=["full", "small"])}),
    "resume": oa.Operation(
        "A talent's résumé",
        "The PDF, for the talent, admins, and productions the talent applied to or was invited by (or every "
        "production that may see the profile, when the talent chose `resume_visibility: linked`); 404 otherwise "
        "or when there is none.",
        {200: oa.Binary(("application/pdf",), "The résumé.")}),
    "update_me": oa.Operation(
        "Edit the calling talent's casting profile",
        "Only the fields given change. Links must be http(s); skills and unions are short texts (repeats in any "
        "case are dropped); `playing_age_min` may not exceed `playing_age_max`. `access_needs` are read only by "
        "productions that invited the talent; `resume_visibility` and `reel_visibility` say which productions "
        "read the résumé and the reel with the self-tape links: `applied` (applied to or invited by) or `linked` "
        "(every production that may see the profile).",
        {200: TALENT}, body_schema=_details, not_found=True),
    "add_headshot": oa.Operation(
        "Add a headshot (talent)",
        "multipart/form-data with a JPEG or PNG `file` (5 MB and 50 million pixels at most, checked by content). "
        "The first headshot becomes the primary one; at most 10 (409 invalid_state).",
        {201: oa.obj({"id": oa.ident(), "primary": oa.boolean(), "url": oa.string()})},
        upload=oa.Upload({"file": "image/jpeg, image/png"}, required=("file",)), not_found=True,
        errors={409: ("invalid_state",)}),
    "primary_headshot": oa.Operation(
        "Choose the primary headshot (talent)",
        "The primary headshot goes with applications and shows in searches.",
        {200: TALENT}),
    "delete_headshot": oa.Operation(
        "Delete a headshot (talent)",
        "When it was the primary, the oldest left becomes primary. Applications already sent keep their copy.",
        {204: None}),
    "upload_resume": oa.Operation(
        "Upload the résumé (talent)",
        "multipart/form-data with a PDF `file` (10 MB at most, checked by content); replaces any earlier one.",
        {201: oa.obj({"resume_url": oa.string(), "filename": oa.nullable(oa.string())})},
        upload=oa.Upload({"file": "application/pdf"}, required=("file",)), not_found=True),
    "delete_resume": oa.Operation(
        "Remove the résumé (talent)",
        "Applications already sent keep their copy; 409 invalid_state when there is none.",
        {204: None}, not_found=True, errors={409: ("invalid_state",)}),
    "confirm_date_of_birth": oa.Operation(
        "Confirm a talent's changed date of birth",
        "A casting office (or an admin) confirms a date of birth the talent changed that would make a minor an "
        "adult; until then the safeguarding fields stay.",
        {200: TALENT}, errors={409: ("invalid_state",)}),
}, description="Talent profiles.")
