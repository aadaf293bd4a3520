"""Bulk shortlisting (issue 13.1): the API and the submissions page, each talent by the single-add rule."""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.calls.models import ShortlistEntry
from casting.extensions import db
from tests.calls.factories import calls_world, make_shortlisted
from tests.conftest import auth, login
from tests.factories import make_submission, make_talent


def _ranks(role) -> list[tuple[int, int, str]]:
    db.session.expire_all()
    return [(e.talent_id, e.rank, e.note) for e in db.session.scalars(
        sa.select(ShortlistEntry).where(ShortlistEntry.role_id == role.id).order_by(ShortlistEntry.rank))]


def test_api_adds_each_in_order_and_skips_with_the_single_add_codes(client, app):
    w = calls_world()
    make_shortlisted(w, w.talent)  # already on the shortlist: duplicate
    make_submission(w.call, w.role, w.talent2)
    third = make_talent(legal_name="Rhea Third")
    make_submission(w.call, w.role, third)
    stranger = make_talent(legal_name="Sam Stranger")  # never applied, not added by this office: not visible
    db.session.commit()
    resp = client.post(f"/api/v1/roles/{w.role.id}/shortlist/bulk", headers=auth(w.cd),
                       json={"talent_ids": [w.talent2.id, w.talent.id, stranger.id, third.id, w.talent2.id],
                             "note": "From the tapes"})
    assert resp.status_code == 200, resp.json
    ranks = _ranks(w.role)
    assert [(t, r) for t, r, _ in ranks] == [(w.talent.id, 1), (w.talent2.id, 2), (third.id, 3)]
    assert ranks[1][2] == "From the tapes"
    entry_ids = dict(db.session.execute(sa.select(ShortlistEntry.talent_id, ShortlistEntry.id)
                                        .where(ShortlistEntry.role_id == w.role.id)).all())
    assert resp.json["added"] == [entry_ids[w.talent2.id], entry_ids[third.id]]
    assert resp.json["skipped"] == [{"talent_id": w.talent.id, "code": "duplicate"},
                                    {"talent_id": stranger.id, "code": "not_found"}]
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("shortlist.%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["shortlist.added", "shortlist.added", "shortlist.bulk_added"]


def test_api_refuses_the_whole_request_for_a_producer_or_bad_input(client, app):
    w = calls_world()
    make_submission(w.call, w.role, w.talent)
    db.session.commit()
    url = f"/api/v1/roles/{w.role.id}/shortlist/bulk"
    assert client.post(url, headers=auth(w.producer), json={"talent_ids": [w.talent.id]}).status_code == 403
    empty = client.post(url, headers=auth(w.cd), json={"talent_ids": []})
    assert empty.status_code == 422 and "talent_ids" in empty.json["error"]["details"]["fields"]
    too_long = client.post(url, headers=auth(w.cd), json={"talent_ids": [w.talent.id], "note": "x" * 2001})
    assert too_long.status_code == 422
    assert client.post(url, headers=auth(w.other_cd), json={"talent_ids": [w.talent.id]}).status_code == 404
    assert _ranks(w.role) == []


def test_submissions_page_shortlists_the_checked_rows_and_says_who_was_skipped(client, app):
    w = calls_world()
    s1 = make_submission(w.call, w.role, w.talent)
    s2 = make_submission(w.call, w.role2, w.talent2)
    make_shortlisted(w, make_talent(legal_name="Already Listed"))
    db.session.commit()
    listed_sub_id = db.session.scalar(sa.select(ShortlistEntry.submission_id).where(ShortlistEntry.role_id == w.role.id))
    login(client, w.cd)
    page = client.get(f"/calls/{w.call.id}/submissions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'name="pick" value="{s1.id}"' in html and "Select all on this page" in html
    resp = client.post(f"/calls/{w.call.id}/submissions/shortlist",
                       data={"pick": [str(s1.id), str(s2.id), str(listed_sub_id)], "note": "Bulk"},
                       follow_redirects=True)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "2 shortlisted" in text
    assert "Already Listed is already on the shortlist for Maya." in text
    assert [t for t, _, _ in _ranks(w.role)][-1] == w.talent.id
    assert [t for t, _, _ in _ranks(w.role2)] == [w.talent2.id]


def test_submissions_page_without_a_pick_says_so(client, app):
    w = calls_world()
    make_submission(w.call, w.role, w.talent)
    db.session.commit()
    login(client, w.cd)
    resp = client.post(f"/calls/{w.call.id}/submissions/shortlist", data={}, follow_redirects=True)
    assert "Tick at least one submission" in resp.get_data(as_text=True)
