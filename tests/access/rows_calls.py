"""Matrix rows for open calls, submissions and shortlists (pages and API)."""
from __future__ import annotations

from datetime import timedelta

from casting.core.db import utcnow
from tests.access.matrix import Row, expect
from tests.factories import make_open_call, make_talent

# Members of world.production see; only its casting director acts; everyone else gets 404.
MEMBERS_SEE_API = expect(404, anonymous=401, producer=200, admin=200, cd_own=200)


def members_act_api(ok: int) -> dict[str, int]:
    return expect(404, anonymous=401, producer=403, admin=403, cd_own=ok)


def extend(world) -> None:
    world.extra["draft_call"] = make_open_call(world.production, [world.role], published=False)
    # A talent cd_own added by hand: visible to them, so they may shortlist it.
    world.extra["added_talent"] = make_talent(created_by=world.users["cd_own"], legal_name="Noor Added")


def _closes() -> str:
    return (utcnow() + timedelta(days=7)).isoformat()


ROWS = [
    Row("POST", "calls_api.create_open_call", lambda w: f"/api/v1/productions/{w.production.id}/open-calls",
        members_act_api(201),
        json=lambda w: {"title": "Open call", "role_ids": [w.role.id], "closes_at": _closes(), "instructions": ""}),
    Row("GET", "calls_api.list_open_calls", lambda w: f"/api/v1/productions/{w.production.id}/open-calls",
        MEMBERS_SEE_API),
    Row("GET", "calls_api.get_open_call", lambda w: f"/api/v1/open-calls/{w.open_call.id}", expect(200),
        note="published calls are public, even to anonymous callers"),
    Row("GET", "calls_api.get_open_call", lambda w: f"/api/v1/open-calls/{w.draft_call.id}",
        expect(404, producer=200, admin=200, cd_own=200), id="GET calls_api.get_open_call (draft)"),
    Row("POST", "calls_api.publish", lambda w: f"/api/v1/open-calls/{w.draft_call.id}/publish", members_act_api(200)),
    Row("POST", "calls_api.close", lambda w: f"/api/v1/open-calls/{w.open_call.id}/close", members_act_api(200)),
    Row("POST", "calls_api.submit", lambda w: f"/api/v1/open-calls/{w.open_call.id}/submissions",
        expect(403, anonymous=401, talent_a=409, talent_b=201), json=lambda w: {"role_id": w.role.id},
        note="talent_a already applied for the role"),
    Row("GET", "calls_api.list_submissions", lambda w: f"/api/v1/open-calls/{w.open_call.id}/submissions",
        MEMBERS_SEE_API),
    Row("GET", "calls_api.my_submissions", lambda w: "/api/v1/me/submissions",
        expect(403, anonymous=401, talent_a=200, talent_b=200)),
    Row("GET", "calls_api.get_submission", lambda w: f"/api/v1/submissions/{w.submission.id}",
        expect(404, anonymous=401, talent_a=200, producer=200, admin=200, cd_own=200)),
    Row("GET", "calls_api.submission_file", lambda w: f"/api/v1/submissions/{w.submission.id}/headshot",
        expect(404, anonymous=401, talent_a=200, producer=200, admin=200, cd_own=200)),
    Row("POST", "calls_api.add_to_shortlist", lambda w: f"/api/v1/roles/{w.role.id}/shortlist",
        members_act_api(201), json=lambda w: {"talent_id": w.added_talent.id, "note": "Seen in Hamlet"}),
    Row("GET", "calls_api.get_shortlist", lambda w: f"/api/v1/roles/{w.role.id}/shortlist", MEMBERS_SEE_API),
    Row("PATCH", "calls_api.update_entry", lambda w: f"/api/v1/shortlist-entries/{w.shortlist_entry.id}",
        members_act_api(200), json=lambda w: {"rank": 1, "note": "First choice"}),
    Row("DELETE", "calls_api.delete_entry", lambda w: f"/api/v1/shortlist-entries/{w.shortlist_entry.id}",
        members_act_api(204)),
]
