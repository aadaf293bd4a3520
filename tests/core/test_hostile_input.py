"""Hostile input gets a clear 4xx and changes nothing: NUL characters anywhere, bodies nested past reason
(issue 10)."""
from __future__ import annotations

import io

from casting.accounts.models import User
from casting.productions.models import Venue
from casting.extensions import db
from tests.conftest import auth, count, login
from tests.factories import make_user


def test_nul_in_a_json_body_is_a_bad_request(client, app):
    admin = make_user("admin")
    headers = auth(admin)
    before = count(User)
    for body in ({"email": "a\x00b@example.com", "name": "N", "role": "producer"},
                 {"email": "ok@example.com", "name": "Na\x00me", "role": "producer"},
                 {"email": "ok@example.com", "name": "N", "role": "producer", "x\x00": ["nested", {"k": "\x00"}]}):
        resp = client.post("/api/v1/users", json=body, headers=headers)
        assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "bad_request"
    assert count(User) == before


def test_nul_in_a_query_string_form_or_filename_is_refused(client, app):
    cd = make_user("casting_director")
    db.session.commit()
    assert client.get("/api/v1/audit?action=session%00x", headers=auth(cd)).status_code == 400
    login(client, cd)
    assert client.get("/talent?q=a%00b").status_code == 400
    venues = count(Venue)
    resp = client.post("/venues", data={"name": "Studio\x00 2", "kind": "casting_studio", "address": "1 Road",
                                        "timezone": "Europe/London"}, headers={"Referer": "/venues"})
    # A refused form post says why on the page it came from (the central handler's 303 and flash).
    assert resp.status_code == 303 and count(Venue) == venues
    assert b"NUL characters" in client.get(resp.headers["Location"]).data
    resp = client.post("/verify", data={"file": (io.BytesIO(b"%PDF-1.4"), "a\x00.pdf")},
                       content_type="multipart/form-data", headers={"Referer": "/verify"})
    assert resp.status_code == 303
    assert client.get("/talent?q=ab").status_code == 200


def test_a_body_nested_past_reason_is_a_bad_request(client, app):
    admin = make_user("admin")
    resp = client.post("/api/v1/users", data="[" * 10000, content_type="application/json", headers=auth(admin))
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "bad_request"
