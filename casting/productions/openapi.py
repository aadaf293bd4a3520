"""The productions API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.core import openapi as oa
from casting.core.api import Field
from casting.productions import services
from casting.productions.api import PRODUCTION_SPEC, ROLE_SPEC, VENUE_SPEC

SIDE = oa.schema("Side", oa.obj({
    "id": oa.ident(), "role_id": oa.ident(), "filename": oa.string(), "sha256": oa.string(),
    "size": oa.integer(minimum=0), "pages": oa.nullable(oa.integer(minimum=0)), "uploaded_at": oa.datetime_(),
}))
ROLE = oa.schema("Role", oa.obj({
    "id": oa.ident(), "production_id": oa.ident(), "name": oa.string(), "description": oa.string(),
    "age_min": oa.nullable(oa.integer()), "age_max": oa.nullable(oa.integer()),
    "nudity_or_intimacy": oa.boolean(), "nudity_or_intimacy_details": oa.nullable(oa.string()),
    "compensation": oa.nullable(oa.string()), "status": oa.string(enum=["open", "cast"]),
    "created_at": oa.datetime_(), "sides": oa.array(SIDE),
}))
MEMBER = oa.obj({"user_id": oa.ident(), "name": oa.string(), "role": oa.string(enum=list(services.MEMBER_ROLES)),
                 "added_at": oa.datetime_()})
PRODUCTION = oa.schema("Production", oa.obj({
    "id": oa.ident(), "title": oa.string(), "kind": oa.string(), "description": oa.string(),
    "safeguarding_contact": oa.string(), "company_id": oa.ident(),
    "company": oa.obj({"id": oa.ident(), "legal_name": oa.string(), "verified": oa.boolean()}),
    "created_by": oa.nullable(oa.ident()), "created_at": oa.datetime_(), "members": oa.array(MEMBER),
    "roles": oa.array(oa.obj({"id": oa.ident(), "name": oa.string(), "status": oa.string(),
                              "sides": oa.integer(minimum=0)})),
}))
VENUE = oa.schema("Venue", oa.obj({
    "id": oa.ident(), "name": oa.string(), "kind": oa.string(), "address": oa.string(), "timezone": oa.string(),
    "meeting_url": oa.nullable(oa.string()), "created_by": oa.nullable(oa.ident()), "created_at": oa.datetime_(),
}))
PDF = oa.Binary(("application/pdf",), "The PDF bytes.")

oa.declare("productions_api", "Productions", {
    "create": oa.Operation(
        "Create a production",
        "A casting director who is a member of the company creates a production under it and becomes its "
        "casting_director member (403 for a company they are not a member of).",
        {201: PRODUCTION}, body=PRODUCTION_SPEC, errors={409: ("invalid_state",)}),
    "index": oa.Operation(
        "Productions the caller may see",
        "The productions the caller is a member of (admins: all), paginated. Talent get 403.",
        {200: oa.page(PRODUCTION)}, paginated=True),
    "get": oa.Operation(
        "One production",
        "A production the caller is a member of (admins: any); 404 otherwise.",
        {200: PRODUCTION}),
    "add_member": oa.Operation(
        "Add a member to a production",
        "A casting director member adds a user with a production role (casting_director, producer, director, "
        "intimacy_coordinator, reader). The user is told by email.",
        {201: oa.obj({"production_id": oa.ident(), "user_id": oa.ident(), "role": oa.string(),
                      "name": oa.string()})},
        body={"user_id": Field("int", min_value=1), "role": Field(choices=services.MEMBER_ROLES)},
        errors={409: ("duplicate", "invalid_state", "suspended")}),
    "create_role": oa.Operation(
        "Add a role (a part being cast)",
        "A casting director member adds a role. A role with nudity or intimacy needs "
        "`nudity_or_intimacy_details` before a callback for it can be scheduled.",
        {201: ROLE}, body=ROLE_SPEC, errors={409: ("invalid_state", "suspended")}),
    "list_roles": oa.Operation(
        "A production's roles",
        "The roles of a production the caller may see, paginated.",
        {200: oa.page(ROLE)}, paginated=True),
    "get_role": oa.Operation(
        "One role",
        "A role with its sides and its status (`open`, or `cast` once an offer is accepted).",
        {200: ROLE}),
    "update_role": oa.Operation(
        "Change a role",
        "A casting director member changes some of the role's fields; unknown or read-only fields are a 422.",
        {200: ROLE}, body=ROLE_SPEC, partial=True, errors={409: ("checklist_failed", "invalid_state", "suspended")}),
    "upload_side": oa.Operation(
        "Upload sides for a role",
        "multipart/form-data with a PDF `file` (10 MB at most, checked by content).",
        {201: SIDE}, upload=oa.Upload({"file": "application/pdf"}, required=("file",)),
        errors={409: ("invalid_state", "suspended")}),
    "side_pdf": oa.Operation(
        "Download sides",
        "The sides' PDF. A talent invited for the role gets a copy stamped with their name, email and the time "
        "of the download; members get the stored original.",
        {200: PDF}),
    "create_venue": oa.Operation(
        "Add a venue",
        "A casting director or admin adds a venue: name, kind, full address and IANA timezone.",
        {201: VENUE}, body=VENUE_SPEC),
    "venues": oa.Operation(
        "Venues",
        "Every venue, for casting directors, producers and admins, paginated.",
        {200: oa.page(VENUE)}, paginated=True),
    "venue": oa.Operation(
        "One venue",
        "A venue, for those who may see venues.",
        {200: VENUE}),
}, description="Productions, their members, roles, sides and venues.")
