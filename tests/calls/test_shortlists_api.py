"""API: shortlists in rank order — add, reorder, note, remove — all audited; ranks stay 1..n."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.calls.models import ShortlistEntry
from casting.extensions import db
from tests.calls.factories import calls_world, make_shortlisted
from tests.conftest import auth, count
from tests.factories import make_shortlist_entry, make_submission, make_talent


def actions(n: int) -> list[str]:
    """The last ``n`` shortlist and refusal entries (token minting in between is audited too)."""
    db.session.expire_all()
    rows = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.action.like("shortlist.%") | AuditEntry.action.like("blocked.%")).order_by(AuditEntry.id)).all()
    return list(rows[-n:])


def ranks(role) -> list[tuple[int, int]]:
    db.session.expire_all()
    return [(e.talent_id, e.rank) for e in db.session.scalars(
        sa.select(ShortlistEntry).where(ShortlistEntry.role_id == role.id).order_by(ShortlistEntry.rank))]


def test_add_submitters_in_order_then_not_twice(client, app):
    w = calls_world()
    sub = make_submission(w.call, w.role, w.talent)
    make_submission(w.call, w.role, w.talent2)
    db.session.commit()
    headers = auth(w.cd)
    url = f"/api/v1/roles/{w.role.id}/shortlist"
    first = client.post(url, json={"talent_id": w.talent.id, "note": "Strong reader"}, headers=headers)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["rank"] == 1 and first.get_json()["submission_id"] == sub.id
    second = client.post(url, json={"talent_id": w.talent2.id}, headers=headers)
    assert second.get_json()["rank"] == 2 and second.get_json()["note"] == ""
    again = client.post(url, json={"talent_id": w.talent.id}, headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "duplicate"
    assert count(ShortlistEntry) == 2
    listed = client.get(url, headers=auth(w.producer)).get_json()
    assert [(e["talent_id"], e["rank"]) for e in listed["items"]] == [(w.talent.id, 1), (w.talent2.id, 2)]
    assert actions(3) == ["shortlist.added", "shortlist.added", "blocked.duplicate"]


def test_talent_added_by_the_casting_director_may_be_shortlisted(client, app):
    w = calls_world()
    added = make_talent(created_by=w.cd, legal_name="Noor Added")
    db.session.commit()
    resp = client.post(f"/api/v1/roles/{w.role.id}/shortlist", json={"talent_id": added.id}, headers=auth(w.cd))
    assert resp.status_code == 201 and resp.get_json()["submission_id"] is None


def test_talent_the_caller_cannot_see_is_404(client, app):
    w = calls_world()
    stranger = make_talent(legal_name="Sam Stranger")
    db.session.commit()
    for talent_id in (stranger.id, 987654):
        resp = client.post(f"/api/v1/roles/{w.role.id}/shortlist", json={"talent_id": talent_id}, headers=auth(w.cd))
        assert resp.status_code == 404
    assert count(ShortlistEntry) == 0


@pytest.mark.parametrize("who,status", [("producer", 403), ("admin", 403), ("other_cd", 404), ("talent_user", 404)])
def test_only_casting_director_members_shortlist(client, app, who, status):
    w = calls_world()
    make_submission(w.call, w.role, w.talent)
    db.session.commit()
    resp = client.post(f"/api/v1/roles/{w.role.id}/shortlist", json={"talent_id": w.talent.id},
                       headers=auth(getattr(w, who)))
    assert resp.status_code == status
    assert count(ShortlistEntry) == 0


@pytest.mark.parametrize("payload", [{}, {"talent_id": "1"}, {"talent_id": 1.5}, {"talent_id": "TALENT", "note": 3},
                                     {"talent_id": "TALENT", "note": "x" * 2001}])
def test_bad_shortlist_input_is_422(client, app, payload):
    w = calls_world()
    make_submission(w.call, w.role, w.talent)
    db.session.commit()
    payload = {k: (w.talent.id if v == "TALENT" else v) for k, v in payload.items()}
    resp = client.post(f"/api/v1/roles/{w.role.id}/shortlist", json=payload, headers=auth(w.cd))
    assert resp.status_code == 422
    assert count(ShortlistEntry) == 0


def test_unknown_role_and_entry_are_404(client, app):
    w = calls_world()
    db.session.commit()
    headers = auth(w.cd)
    assert client.get("/api/v1/roles/99999/shortlist", headers=headers).status_code == 404
    assert client.post("/api/v1/roles/99999/shortlist", json={"talent_id": w.talent.id}, headers=headers).status_code == 404
    assert client.patch("/api/v1/shortlist-entries/99999", json={"rank": 1}, headers=headers).status_code == 404
    assert client.delete("/api/v1/shortlist-entries/99999", headers=headers).status_code == 404


def test_reorder_keeps_ranks_contiguous_and_is_audited(client, app):
    w = calls_world()
    third = make_talent(created_by=w.cd)
    a = make_shortlisted(w, w.talent)
    make_shortlisted(w, w.talent2)
    c = make_shortlist_entry(w.role, third, by=w.cd)
    db.session.commit()
    headers = auth(w.cd)
    resp = client.patch(f"/api/v1/shortlist-entries/{c.id}", json={"rank": 1}, headers=headers)
    assert resp.status_code == 200 and resp.get_json()["rank"] == 1
    assert ranks(w.role) == [(third.id, 1), (w.talent.id, 2), (w.talent2.id, 3)]
    assert actions(1) == ["shortlist.reordered"]
    resp = client.patch(f"/api/v1/shortlist-entries/{a.id}", json={"rank": 3, "note": "Callback for Maya"},
                        headers=headers)
    assert resp.get_json()["note"] == "Callback for Maya"
    assert ranks(w.role) == [(third.id, 1), (w.talent2.id, 2), (w.talent.id, 3)]
    assert actions(2) == ["shortlist.reordered", "shortlist.noted"]
    # Clearing a note is a change too; an unchanged rank is not.
    resp = client.patch(f"/api/v1/shortlist-entries/{a.id}", json={"rank": 3, "note": ""}, headers=headers)
    assert resp.status_code == 200 and resp.get_json()["note"] == ""
    assert actions(2) == ["shortlist.noted", "shortlist.noted"]


@pytest.mark.parametrize("payload", [{}, {"rank": 0}, {"rank": 3}, {"rank": "1"}, {"rank": True}, {"note": 7},
                                     {"note": "x" * 2001}])
def test_bad_updates_are_422_and_change_nothing(client, app, payload):
    w = calls_world()
    entry = make_shortlisted(w, w.talent, note="keep")
    make_shortlisted(w, w.talent2)
    db.session.commit()
    before = ranks(w.role)
    resp = client.patch(f"/api/v1/shortlist-entries/{entry.id}", json=payload, headers=auth(w.cd))
    assert resp.status_code == 422
    assert ranks(w.role) == before
    assert db.session.get(ShortlistEntry, entry.id).note == "keep"


def test_remove_compacts_ranks(client, app):
    w = calls_world()
    third = make_talent(created_by=w.cd)
    a = make_shortlisted(w, w.talent)
    make_shortlisted(w, w.talent2)
    make_shortlist_entry(w.role, third, by=w.cd)
    db.session.commit()
    assert client.delete(f"/api/v1/shortlist-entries/{a.id}", headers=auth(w.producer)).status_code == 403
    assert client.delete(f"/api/v1/shortlist-entries/{a.id}", headers=auth(w.other_cd)).status_code == 404
    assert count(ShortlistEntry) == 3
    resp = client.delete(f"/api/v1/shortlist-entries/{a.id}", headers=auth(w.cd))
    assert resp.status_code == 204 and resp.data == b""
    assert ranks(w.role) == [(w.talent2.id, 1), (third.id, 2)]
    assert actions(1) == ["shortlist.removed"]
    # Re-adding puts the talent at the bottom again.
    again = client.post(f"/api/v1/roles/{w.role.id}/shortlist", json={"talent_id": w.talent.id}, headers=auth(w.cd))
    assert again.get_json()["rank"] == 3


def test_reading_a_shortlist_needs_membership(client, app):
    w = calls_world()
    make_shortlisted(w, w.talent)
    db.session.commit()
    url = f"/api/v1/roles/{w.role.id}/shortlist"
    for who in (w.cd, w.producer, w.admin):
        assert client.get(url, headers=auth(who)).status_code == 200
    for who in (w.talent_user, w.other_cd):
        assert client.get(url, headers=auth(who)).status_code == 404
