"""Ids beyond what the database stores are no row of ours: 404 in a path, 422 in a body, never a 500 (issue 10)."""
from __future__ import annotations

import pytest

from casting.extensions import db
from tests.calls.factories import calls_world
from tests.conftest import auth, login
from tests.factories import make_production, make_user

HUGE = (2**31, 2**63, 2**64 + 1)


@pytest.mark.parametrize("ident", HUGE)
def test_huge_ids_in_paths_are_not_found(client, app, ident):
    cd = make_user("casting_director")
    headers = auth(cd)
    for path in (f"/api/v1/documents/{ident}", f"/api/v1/productions/{ident}", f"/api/v1/sessions/{ident}",
                 f"/api/v1/talent/{ident}", f"/api/v1/companies/{ident}"):
        resp = client.get(path, headers=headers)
        assert resp.status_code == 404, path
        assert resp.get_json()["error"]["code"] == "not_found"
    # Found by the fuzzer in CI: a report's and a share's id out of range were a 500 on SQLite.
    admin, talent = make_user("admin"), make_user("talent")
    for method, path, user in (("GET", f"/api/v1/reports/{ident}", admin), ("GET", f"/api/v1/reports/{ident}", cd),
                               ("DELETE", f"/api/v1/shares/{ident}", talent)):
        resp = client.open(path, method=method, headers=auth(user))
        assert resp.status_code == 404, (method, path, resp.status_code)


@pytest.mark.parametrize("ident", HUGE)
def test_huge_ids_in_bodies_are_validation_errors(client, app, ident):
    cd = make_user("casting_director")
    production = make_production(cd)
    db.session.commit()
    resp = client.post(f"/api/v1/productions/{production.id}/members", headers=auth(cd),
                       json={"user_id": ident, "role": "reader"})
    assert resp.status_code == 422 and "user_id" in resp.get_json()["error"]["details"]["fields"]
    resp = client.post(f"/api/v1/productions/{production.id}/sessions", headers=auth(cd),
                       json={"title": "T", "role_ids": [ident], "venue_id": ident, "starts_at": "2027-03-02T10:00:00Z",
                             "ends_at": "2027-03-02T12:00:00Z", "slot_minutes": 20})
    assert resp.status_code == 422
    fields = resp.get_json()["error"]["details"]["fields"]
    assert "role_ids" in fields and "venue_id" in fields


@pytest.mark.parametrize("ident", HUGE)
def test_huge_ids_in_query_strings_are_validation_errors_in_the_api_and_ignored_on_pages(client, app, ident):
    """Found by the fuzzer: ``?role_id=5001209650`` on a call's submissions was a 500 on PostgreSQL."""
    w = calls_world()
    call, cd = w.call, w.cd
    db.session.commit()
    resp = client.get(f"/api/v1/open-calls/{call.id}/submissions?role_id={ident}", headers=auth(cd))
    assert resp.status_code == 422 and "role_id" in resp.get_json()["error"]["details"]["fields"]
    resp = client.get(f"/api/v1/audit?production_id={ident}", headers=auth(cd))
    assert resp.status_code == 422 and "production_id" in resp.get_json()["error"]["details"]["fields"]
    login(client, cd)
    assert client.get(f"/calls/{call.id}/submissions?role_id={ident}").status_code == 200
    assert client.get(f"/productions/new?company_id={ident}").status_code == 200
