"""Two requests racing for one slot (or one talent) against the real database: one wins, the rest get 409."""
from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from casting.callbacks.models import Invitation
from casting.extensions import db
from tests.callbacks.factories import make_ready_session
from tests.conftest import token_for
from tests.factories import make_shortlist_entry, make_talent

THREADS = 6


def _race(app, requests):
    """Fire ``requests`` (path, json, token) at once from separate threads; their responses."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(i, path, body, token):
        client = app.test_client()
        barrier.wait()
        resp = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        results[i] = (resp.status_code, resp.get_json())

    threads = [threading.Thread(target=run, args=(i, *req)) for i, req in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_concurrent_invitations_for_one_slot(app):
    s = make_ready_session(scheduled=True)
    talents = [make_talent(legal_name=f"Racer {i}") for i in range(THREADS)]
    for t in talents:
        make_shortlist_entry(s.roles[0], t, by=s.lead_casting_director)
    token = token_for(s.lead_casting_director)
    path, start = f"/api/v1/sessions/{s.id}/invitations", s.starts_at.isoformat()
    requests = [(path, {"talent_id": t.id, "role_id": s.roles[0].id, "starts_at": start}, token) for t in talents]
    sid = s.id
    db.session.commit()
    results = _race(app, requests)
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * (THREADS - 1), results
    assert all(body["error"]["code"] == "double_booked" for code, body in results if code == 409)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(Invitation.session_id == sid)) == 1


def test_concurrent_invitations_of_one_talent_into_two_sessions(app):
    a = make_ready_session(scheduled=True)
    b = make_ready_session(starts_at=a.starts_at + timedelta(minutes=10), scheduled=True)
    talent = make_talent(legal_name="Busy Person")
    make_shortlist_entry(a.roles[0], talent, by=a.lead_casting_director)
    make_shortlist_entry(b.roles[0], talent, by=b.lead_casting_director)
    requests = [
        (f"/api/v1/sessions/{a.id}/invitations", {"talent_id": talent.id, "role_id": a.roles[0].id,
                                                  "starts_at": a.starts_at.isoformat()}, token_for(a.lead_casting_director)),
        (f"/api/v1/sessions/{b.id}/invitations", {"talent_id": talent.id, "role_id": b.roles[0].id,
                                                  "starts_at": b.starts_at.isoformat()}, token_for(b.lead_casting_director)),
    ] * 2
    tid = talent.id
    db.session.commit()
    results = _race(app, requests)
    assert sorted(code for code, _ in results) == [201, 409, 409, 409], results
    assert {body["error"]["code"] for code, body in results if code == 409} <= {"double_booked", "duplicate"}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(Invitation.talent_id == tid)) == 1
