"""Matrix rows for production, role, sides and venue pages and their API."""
from __future__ import annotations

import io

from tests.access.matrix import Row, expect
from casting.extensions import db
from casting.productions.models import ProductionMember
from tests.factories import make_role, make_user, pdf_bytes

STAFF_PAGE = expect(200, anonymous=302, talent_a=403, talent_b=403)
CD_PAGE = expect(403, anonymous=302, cd_other=200, cd_own=200)
# world.production: cd_own is its casting director, the producer a member, admins see it.
SEEN_PAGE = expect(404, anonymous=302, producer=200, admin=200, cd_own=200)
SEEN_API = expect(404, anonymous=401, producer=200, admin=200, cd_own=200)
MANAGE_PAGE = expect(404, anonymous=302, producer=403, admin=403)
MANAGE_API = expect(404, anonymous=401, producer=403, admin=403)

ROLE_BODY = {"name": "Ferry captain", "description": "Gruff, kind, sixties; steers the last ferry of the night and "
             "knows every family on the island.", "age_min": 55, "age_max": 70, "nudity_or_intimacy": False}


def extend(world) -> None:
    # Rows that change a role use their own, so other features' sessions on world.role do not interfere.
    world.extra["spare_role"] = make_role(world.production, name="Harbour master")
    world.extra["spare_producer"] = make_user("producer", name="Sam Spare")
    # A reader on no panel: removing them breaks no session's checklist.
    reader = ProductionMember(user_id=make_user("producer", name="Rory Reader").id, role="reader",
                              added_by_id=world.users["cd_own"].id)
    world.production.members.append(reader)
    db.session.flush()
    world.extra["spare_member"] = reader


ROWS = [
    Row("GET", "productions.index", lambda w: "/productions", STAFF_PAGE),
    Row("GET", "productions.new", lambda w: "/productions/new", CD_PAGE),
    Row("POST", "productions.new", lambda w: "/productions/new", {**CD_PAGE, "cd_other": 422, "cd_own": 422},
        data=lambda w: {"title": ""}),
    Row("GET", "productions.detail", lambda w: f"/productions/{w.production.id}", SEEN_PAGE),
    Row("POST", "productions.add_member", lambda w: f"/productions/{w.production.id}/members",
        {**MANAGE_PAGE, "cd_own": 422}, data=lambda w: {"member-email": "", "member-role": "reader"}),
    # A member may leave (the producer does); the production's only casting director may not (409: a page
    # says why and goes back, 303); an admin sees it but is no member (403).
    Row("POST", "productions.leave", lambda w: f"/productions/{w.production.id}/leave",
        expect(404, anonymous=302, producer=302, admin=403, cd_own=303)),
    Row("GET", "productions.edit", lambda w: f"/productions/{w.production.id}/edit", {**MANAGE_PAGE, "cd_own": 200}),
    Row("POST", "productions.edit", lambda w: f"/productions/{w.production.id}/edit", {**MANAGE_PAGE, "cd_own": 422},
        data=lambda w: {"title": "", "kind": "film"}),
    Row("POST", "productions.remove_member",
        lambda w: f"/productions/{w.production.id}/members/{w.spare_member.id}/remove", {**MANAGE_PAGE, "cd_own": 302}),
    # Venues are shared: only whoever recorded one (cd_own recorded world.venue) edits it.
    Row("GET", "productions.edit_venue", lambda w: f"/venues/{w.venue.id}/edit",
        expect(403, anonymous=302, cd_own=200)),
    Row("POST", "productions.edit_venue", lambda w: f"/venues/{w.venue.id}/edit",
        expect(403, anonymous=302, cd_own=422),
        data=lambda w: {"name": "", "kind": "casting_studio", "timezone": "Europe/London"}),
    Row("GET", "roles.new", lambda w: f"/productions/{w.production.id}/roles/new",
        {**MANAGE_PAGE, "cd_own": 200}),
    Row("POST", "roles.new", lambda w: f"/productions/{w.production.id}/roles/new",
        {**MANAGE_PAGE, "cd_own": 422}, data=lambda w: {"name": ""}),
    Row("GET", "roles.detail", lambda w: f"/roles/{w.role.id}", SEEN_PAGE),
    Row("GET", "roles.edit", lambda w: f"/roles/{w.spare_role.id}/edit", {**MANAGE_PAGE, "cd_own": 200}),
    Row("POST", "roles.edit", lambda w: f"/roles/{w.spare_role.id}/edit", {**MANAGE_PAGE, "cd_own": 422},
        data=lambda w: {"name": "", "description": ""}),
    Row("POST", "roles.upload_side", lambda w: f"/roles/{w.spare_role.id}/sides",
        {**MANAGE_PAGE, "cd_own": 422}, data=lambda w: {}),
    Row("GET", "roles.side_pdf", lambda w: f"/sides/{w.role.sides[0].id}/pdf",
        {**SEEN_PAGE, "talent_a": 200}, note="talent_a is shortlisted for world.role"),
    Row("GET", "productions.venues", lambda w: "/venues", STAFF_PAGE),
    Row("POST", "productions.venues", lambda w: "/venues", {**STAFF_PAGE, "admin": 403, "cd_other": 422,
                                                           "producer": 422, "cd_own": 422},
        data=lambda w: {"name": "", "kind": "casting_studio", "timezone": "Europe/London"}),
    Row("POST", "productions_api.create", lambda w: "/api/v1/productions",
        expect(403, anonymous=401, cd_own=201),
        json=lambda w: {"title": "Matrix", "company_id": w.company.id, "kind": "film",
                        "description": "A short film.", "safeguarding_contact": "Priya Shah, safe@example.com"},
        note="cd_other is a casting director but not a member of world.company"),
    Row("GET", "productions_api.index", lambda w: "/api/v1/productions",
        expect(200, anonymous=401, talent_a=403, talent_b=403)),
    Row("GET", "productions_api.get", lambda w: f"/api/v1/productions/{w.production.id}", SEEN_API),
    Row("POST", "productions_api.add_member", lambda w: f"/api/v1/productions/{w.production.id}/members",
        {**MANAGE_API, "cd_own": 201}, json=lambda w: {"user_id": w.spare_producer.id, "role": "director"}),
    Row("POST", "productions_api.create_role", lambda w: f"/api/v1/productions/{w.production.id}/roles",
        {**MANAGE_API, "cd_own": 201}, json=lambda w: ROLE_BODY),
    Row("GET", "productions_api.list_roles", lambda w: f"/api/v1/productions/{w.production.id}/roles", SEEN_API),
    Row("GET", "productions_api.get_role", lambda w: f"/api/v1/roles/{w.role.id}", SEEN_API),
    Row("PATCH", "productions_api.update_role", lambda w: f"/api/v1/roles/{w.spare_role.id}",
        {**MANAGE_API, "cd_own": 200}, json=lambda w: {"compensation": "Equity minimum plus overtime"}),
    Row("POST", "productions_api.upload_side", lambda w: f"/api/v1/roles/{w.spare_role.id}/sides",
        {**MANAGE_API, "cd_own": 201}, data=lambda w: {"file": (io.BytesIO(pdf_bytes()), "scene.pdf")}),
    Row("GET", "productions_api.side_pdf", lambda w: f"/api/v1/sides/{w.role.sides[0].id}/pdf",
        {**SEEN_API, "talent_a": 200}),
    Row("POST", "productions_api.create_venue", lambda w: "/api/v1/venues",
        expect(201, anonymous=401, talent_a=403, talent_b=403, admin=403),
        json=lambda w: {"name": "Studio 9", "kind": "casting_studio", "address": "9 Dean Street, London W1D 3RY",
                        "timezone": "Europe/London"}),
    Row("GET", "productions_api.venues", lambda w: "/api/v1/venues",
        expect(200, anonymous=401, talent_a=403, talent_b=403)),
    Row("GET", "productions_api.venue", lambda w: f"/api/v1/venues/{w.venue.id}",
        expect(200, anonymous=401, talent_a=404, talent_b=404)),
]
