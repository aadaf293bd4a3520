"""Pages: a call's submissions with headshots, the 'shortlist' action, and a role's shortlist."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.calls.models import ShortlistEntry
from casting.extensions import db
from tests.calls.factories import calls_world, make_shortlisted
from tests.conftest import count, login
from tests.factories import make_submission, make_talent, png_bytes


def ranks(role):
    db.session.expire_all()
    return [(e.talent_id, e.rank, e.note) for e in db.session.scalars(
        sa.select(ShortlistEntry).where(ShortlistEntry.role_id == role.id).order_by(ShortlistEntry.rank))]


def last_action() -> str:
    db.session.expire_all()
    return db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))


def test_submissions_page_shows_headshots_and_shortlists(client, app):
    w = calls_world()
    sub = make_submission(w.call, w.role, w.talent, note="Trained at LAMDA")
    make_submission(w.call, w.role2, w.talent2, note="Available in May")
    db.session.commit()
    login(client, w.cd)
    page = client.get(f"/calls/{w.call.id}/submissions").get_data(as_text=True)
    assert "Trained at LAMDA" in page and "Available in May" in page
    assert f"/submissions/{sub.id}/headshot" in page and page.count(">Shortlist</button>") == 2
    only_father = client.get(f"/calls/{w.call.id}/submissions?role_id={w.role2.id}").get_data(as_text=True)
    assert "Available in May" in only_father and "Trained at LAMDA" not in only_father
    image = client.get(f"/submissions/{sub.id}/headshot")
    assert image.status_code == 200 and image.data == png_bytes() and image.mimetype == "image/png"
    assert client.get(f"/submissions/{sub.id}/resume").status_code == 404   # none was sent
    resp = client.post(f"/roles/{w.role.id}/shortlist", data={"talent_id": w.talent.id, "note": "Lovely stillness"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/roles/{w.role.id}/shortlist")
    assert ranks(w.role) == [(w.talent.id, 1, "Lovely stillness")]
    assert last_action() == "shortlist.added"
    assert "shortlisted #1" in client.get(f"/calls/{w.call.id}/submissions").get_data(as_text=True)
    # The same again is a duplicate: refused with a flash, nothing added.
    again = client.post(f"/roles/{w.role.id}/shortlist", data={"talent_id": w.talent.id},
                        headers={"Referer": f"/calls/{w.call.id}/submissions"})
    assert again.status_code == 303 and count(ShortlistEntry) == 1


def test_who_sees_submissions_and_files(client, app):
    w = calls_world()
    sub = make_submission(w.call, w.role, w.talent)
    db.session.commit()
    login(client, w.producer)
    page = client.get(f"/calls/{w.call.id}/submissions")
    assert page.status_code == 200 and ">Shortlist</button>" not in page.get_data(as_text=True)
    for outsider in (w.other_cd, w.talent2_user):
        login(client, outsider)
        assert client.get(f"/calls/{w.call.id}/submissions").status_code == 404
        assert client.get(f"/submissions/{sub.id}/headshot").status_code == 404
    login(client, w.talent_user)
    assert client.get(f"/submissions/{sub.id}/headshot").status_code == 200
    anonymous = client.application.test_client()
    assert anonymous.get(f"/submissions/{sub.id}/headshot").status_code == 302


def test_shortlist_page_reorders_notes_and_removes(client, app):
    w = calls_world()
    a = make_shortlisted(w, w.talent, note="first")
    b = make_shortlisted(w, w.talent2)
    db.session.commit()
    login(client, w.cd)
    page = client.get(f"/roles/{w.role.id}/shortlist").get_data(as_text=True)
    assert page.index(w.talent.display_name) < page.index(w.talent2.display_name)
    assert "↓ Down" in page and "Save note" in page
    assert client.post(f"/shortlist-entries/{b.id}/rank", data={"rank": "1"}).status_code == 302
    assert ranks(w.role) == [(w.talent2.id, 1, ""), (w.talent.id, 2, "first")]
    assert last_action() == "shortlist.reordered"
    assert client.post(f"/shortlist-entries/{b.id}/note", data={"note": "Recall with Father"}).status_code == 302
    assert ranks(w.role)[0][2] == "Recall with Father" and last_action() == "shortlist.noted"
    assert client.post(f"/shortlist-entries/{b.id}/remove").status_code == 302
    assert ranks(w.role) == [(w.talent.id, 1, "first")] and last_action() == "shortlist.removed"
    assert db.session.get(ShortlistEntry, a.id).rank == 1


@pytest.mark.parametrize("url,data", [
    ("rank", {"rank": "0"}), ("rank", {"rank": "3"}), ("rank", {"rank": "first"}), ("rank", {}),
    ("note", {"note": "x" * 2001}),
])
def test_bad_shortlist_edits_are_refused_and_change_nothing(client, app, url, data):
    w = calls_world()
    entry = make_shortlisted(w, w.talent, note="keep")
    make_shortlisted(w, w.talent2)
    db.session.commit()
    before = ranks(w.role)
    login(client, w.cd)
    resp = client.post(f"/shortlist-entries/{entry.id}/{url}", data=data,
                       headers={"Referer": f"/roles/{w.role.id}/shortlist"})
    assert resp.status_code == 303
    assert ranks(w.role) == before
    assert last_action() == "blocked.validation_error"


def test_add_from_the_picker_and_bad_picks(client, app):
    w = calls_world()
    added = make_talent(created_by=w.cd, legal_name="Noor Added")
    stranger = make_talent(legal_name="Sam Stranger")
    make_submission(w.call, w.role, w.talent)
    db.session.commit()
    login(client, w.cd)
    page = client.get(f"/roles/{w.role.id}/shortlist").get_data(as_text=True)
    assert "Noor Added" in page and w.talent.display_name in page and "Sam Stranger" not in page
    assert client.post(f"/roles/{w.role.id}/shortlist", data={"talent_id": added.id}).status_code == 302
    missing = client.post(f"/roles/{w.role.id}/shortlist", data={"talent_id": ""})
    assert missing.status_code == 422 and "Choose a talent" in missing.get_data(as_text=True)
    assert client.post(f"/roles/{w.role.id}/shortlist", data={"talent_id": stranger.id}).status_code == 404
    assert [t for t, _, _ in ranks(w.role)] == [added.id]


def test_only_the_casting_director_edits_the_shortlist(client, app):
    w = calls_world()
    entry = make_shortlisted(w, w.talent, note="keep")
    make_submission(w.call, w.role, w.talent2)
    db.session.commit()
    login(client, w.producer)
    page = client.get(f"/roles/{w.role.id}/shortlist")
    assert page.status_code == 200 and "Save note" not in page.get_data(as_text=True)
    assert client.post(f"/roles/{w.role.id}/shortlist", data={"talent_id": w.talent2.id}).status_code == 403
    for action, data in (("rank", {"rank": "1"}), ("note", {"note": "x"}), ("remove", {})):
        assert client.post(f"/shortlist-entries/{entry.id}/{action}", data=data).status_code == 403
    login(client, w.other_cd)
    assert client.get(f"/roles/{w.role.id}/shortlist").status_code == 404
    assert client.post(f"/shortlist-entries/{entry.id}/remove").status_code == 404
    assert ranks(w.role) == [(w.talent.id, 1, "keep")]


def test_add_talent_is_a_search_of_at_most_twenty_with_a_typeahead(client, app):
    w = calls_world()
    for i in range(30):
        make_talent(created_by=w.cd, legal_name=f"Bulk Person {i:02d}")
    noor = make_talent(created_by=w.cd, legal_name="Noor Added")
    noor.professional_name = "Noor Star"
    listed = make_talent(created_by=w.cd, legal_name="Noor Listed")
    make_shortlisted(w, listed)
    make_talent(legal_name="Noor Stranger")  # nobody's: never offered
    db.session.commit()
    login(client, w.cd)
    page = client.get(f"/roles/{w.role.id}/shortlist").get_data(as_text=True)
    assert page.count('name="talent_id" value=') == 20  # a LIMIT, not the whole table
    assert "<select" not in page and 'data-typeahead="/roles/' in page and "js/typeahead.js" in page
    found = client.get(f"/roles/{w.role.id}/shortlist?q=NOOR").get_data(as_text=True)
    assert f'name="talent_id" value="{noor.id}"' in found and found.count('name="talent_id" value=') == 1
    assert client.get(f"/roles/{w.role.id}/shortlist?q=noor%20s").get_data(as_text=True).count("Noor Added") == 1  # the professional name
    assert "matches “zz”" in client.get(f"/roles/{w.role.id}/shortlist?q=zz").get_data(as_text=True)
    typeahead = client.get(f"/roles/{w.role.id}/shortlist/candidates?q=noor").get_json()
    assert typeahead == {"items": [{"id": noor.id, "name": "Noor Star", "legal_name": "Noor Added"}]}
    assert len(client.get(f"/roles/{w.role.id}/shortlist/candidates?q=").get_json()["items"]) == 20
    assert client.get(f"/roles/{w.role.id}/shortlist/candidates?q=%25").get_json() == {"items": []}
    login(client, w.producer)
    assert client.get(f"/roles/{w.role.id}/shortlist/candidates?q=noor").status_code == 403


def test_shortlist_pages_by_rank(client, app):
    w = calls_world()
    people = [make_talent(created_by=w.cd, legal_name=f"Ranked {i:02d}") for i in range(55)]
    for t in people:
        make_shortlisted(w, t)
    db.session.commit()
    login(client, w.cd)
    first = client.get(f"/roles/{w.role.id}/shortlist").get_data(as_text=True)
    assert first.count('class="card" id="entry-') == 50 and "page=2" in first and "55 in all" in first
    second = client.get(f"/roles/{w.role.id}/shortlist?page=2").get_data(as_text=True)
    assert second.count('class="card" id="entry-') == 5 and "Ranked 54" in second and "Ranked 00" not in second
    assert "↓ Down" in first and second.count("↓ Down") == 4  # the last of all has nowhere to go down
