"""Matrix rows for open calls, submissions and shortlists (pages and API)."""
from __future__ import annotations

import io
from datetime import timedelta

from casting.core.db import utcnow
from tests.access.matrix import Row, expect
from tests.factories import make_open_call, make_talent, png_bytes

# Members of world.production see; only its casting director acts; everyone else gets 404.
MEMBERS_SEE_API = expect(404, anonymous=401, producer=200, admin=200, cd_own=200)


def members_act_api(ok: int) -> dict[str, int]:
    return expect(404, anonymous=401, producer=403, admin=403, cd_own=ok)


# The same for pages: anonymous callers are sent to sign in.
MEMBERS_SEE_PAGE = expect(404, anonymous=302, producer=200, admin=200, cd_own=200)


def members_act_page(ok: int = 302) -> dict[str, int]:
    return expect(404, anonymous=302, producer=403, admin=403, cd_own=ok)


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
    Row("POST", "calls_api.add_many_to_shortlist", lambda w: f"/api/v1/roles/{w.role.id}/shortlist/bulk",
        members_act_api(200), json=lambda w: {"talent_ids": [w.added_talent.id], "note": "Seen in Hamlet"}),
    Row("GET", "calls_api.get_shortlist", lambda w: f"/api/v1/roles/{w.role.id}/shortlist", MEMBERS_SEE_API),
    Row("PATCH", "calls_api.update_entry", lambda w: f"/api/v1/shortlist-entries/{w.shortlist_entry.id}",
        members_act_api(200), json=lambda w: {"rank": 1, "note": "First choice"}),
    Row("DELETE", "calls_api.delete_entry", lambda w: f"/api/v1/shortlist-entries/{w.shortlist_entry.id}",
        members_act_api(204)),

    # Pages.
    Row("GET", "calls.public_call", lambda w: f"/calls/{w.open_call.id}", expect(200)),
    Row("GET", "calls.public_call", lambda w: f"/calls/{w.draft_call.id}",
        expect(404, producer=200, admin=200, cd_own=200), id="GET calls.public_call (draft)"),
    Row("POST", "calls.apply", lambda w: f"/calls/{w.open_call.id}/apply",
        expect(403, anonymous=302, talent_a=303, talent_b=302),
        data=lambda w: {"role_id": str(w.role.id), "note": "Hello", "headshot": (io.BytesIO(png_bytes()), "me.png")},
        note="talent_a already applied: refused with a flash (303)"),
    Row("GET", "calls.production_calls", lambda w: f"/productions/{w.production.id}/calls", MEMBERS_SEE_PAGE),
    Row("POST", "calls.production_calls", lambda w: f"/productions/{w.production.id}/calls", members_act_page(),
        data=lambda w: {"title": "Open call", "role_ids": [str(w.role.id)], "closes_at": "2031-03-02T18:00",
                        "timezone": "UTC", "instructions": ""}),
    Row("POST", "calls.publish", lambda w: f"/calls/{w.draft_call.id}/publish", members_act_page()),
    Row("POST", "calls.close", lambda w: f"/calls/{w.open_call.id}/close", members_act_page()),
    Row("GET", "calls.submissions", lambda w: f"/calls/{w.open_call.id}/submissions", MEMBERS_SEE_PAGE),
    Row("POST", "calls.shortlist_many", lambda w: f"/calls/{w.open_call.id}/submissions/shortlist",
        members_act_page(), data=lambda w: {"pick": [str(w.submission.id)], "note": ""},
        note="the submission's talent is already shortlisted: skipped, said in a flash"),
    Row("GET", "calls.submission_file", lambda w: f"/submissions/{w.submission.id}/headshot",
        expect(404, anonymous=302, talent_a=200, producer=200, admin=200, cd_own=200)),
    Row("GET", "shortlists.role", lambda w: f"/roles/{w.role.id}/shortlist", MEMBERS_SEE_PAGE),
    Row("GET", "shortlists.candidates", lambda w: f"/roles/{w.role.id}/shortlist/candidates?q=noor",
        members_act_page(200), note="the add-talent typeahead: only whoever may add to the shortlist"),
    Row("POST", "shortlists.role", lambda w: f"/roles/{w.role.id}/shortlist", members_act_page(),
        data=lambda w: {"talent_id": str(w.added_talent.id), "note": "Seen in Hamlet"}),
    Row("POST", "shortlists.rank", lambda w: f"/shortlist-entries/{w.shortlist_entry.id}/rank", members_act_page(),
        data=lambda w: {"rank": "1"}),
    Row("POST", "shortlists.note", lambda w: f"/shortlist-entries/{w.shortlist_entry.id}/note", members_act_page(),
        data=lambda w: {"note": "First choice"}),
    Row("POST", "shortlists.remove", lambda w: f"/shortlist-entries/{w.shortlist_entry.id}/remove",
        members_act_page()),
]
