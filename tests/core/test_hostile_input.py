"""Hostile input gets a clear 4xx and changes nothing: NUL and other control characters anywhere (422
validation_error naming the field, on the API and on forms), bodies nested past reason (issue 10)."""
from __future__ import annotations

import io

import pytest

from casting.accounts.models import User
from casting.core.security import control_character_error
from casting.extensions import db
from casting.productions.models import Venue
from casting.talent.models import TalentProfile
from tests.conftest import auth, count, login
from tests.factories import make_talent, make_user

NEW_USER = {"email": "ok@example.com", "name": "N", "role": "producer"}


@pytest.mark.parametrize("value,multiline,refused", [
    ("plain", False, False), ("a\x00b", False, True), ("a\x00b", True, True), ("a\x1bb", True, True),
    ("a\x07", False, True), ("a\x7f", False, True), ("a\r\nBcc: x@evil.example", False, True),
    ("a\tb", False, True), ("line 1\r\nline 2\tx", True, False), ("台本 scène ✓", False, False),
])
def test_the_one_rule(value, multiline, refused):
    assert (control_character_error(value, multiline=multiline) is not None) is refused


def _fields(resp) -> dict:
    body = resp.get_json()
    assert resp.status_code == 422 and body["error"]["code"] == "validation_error", body
    return body["error"]["details"]["fields"]


def test_nul_and_control_characters_in_a_json_body_are_a_422_naming_the_field(client, app):
    headers = auth(make_user("admin"))
    before = count(User)
    cases = [({**NEW_USER, "email": "a\x00b@example.com"}, "email"),
             ({**NEW_USER, "name": "Na\x00me"}, "name"),
             ({**NEW_USER, "name": "Na\x1b[31mme"}, "name"),
             ({**NEW_USER, "name": "Eve\r\nBcc: all@example.com"}, "name"),
             ({**NEW_USER, "name": "Eve\tTab"}, "name"),
             ({**NEW_USER, "extra": ["nested", {"k": "\x00"}]}, "extra")]
    for body, field in cases:
        resp = client.post("/api/v1/users", json=body, headers=headers)
        assert field in _fields(resp)
    resp = client.post("/api/v1/users", json={**NEW_USER, "x\x00": 1}, headers=headers)
    assert list(_fields(resp)) == ["x\\x00"]
    assert count(User) == before


def test_a_multiline_api_text_field_takes_newlines_but_no_other_control(client, app):
    cd = make_user("casting_director")
    headers = auth(cd)
    body = {"name": "Studio", "kind": "casting_studio", "timezone": "Europe/London"}
    resp = client.post("/api/v1/venues", json={**body, "address": "1 Road\r\nLondon\tN1"}, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["address"] == "1 Road\r\nLondon\tN1"
    resp = client.post("/api/v1/venues", json={**body, "address": "1 Road\x0cLondon"}, headers=headers)
    assert "address" in _fields(resp)
    resp = client.post("/api/v1/venues", json={**body, "name": "Studio\n2", "address": "x"}, headers=headers)
    assert "name" in _fields(resp)


def test_control_characters_in_a_query_string_or_filename_are_refused(client, app):
    cd = make_user("casting_director")
    db.session.commit()
    assert "action" in _fields(client.get("/api/v1/audit?action=session%00x", headers=auth(cd)))
    assert "action" in _fields(client.get("/api/v1/audit?action=session%1bx", headers=auth(cd)))
    login(client, cd)
    assert client.get("/talent?q=a%00b").status_code == 422
    assert client.get("/talent?q=ab").status_code == 200
    resp = client.post("/verify", data={"file": (io.BytesIO(b"%PDF-1.4"), "a\x00.pdf")},
                       content_type="multipart/form-data", headers={"Referer": "/verify"})
    # A refused form post says why on the page it came from (the central handler's 303 and flash).
    assert resp.status_code == 303
    assert b"may not contain NUL characters" in client.get(resp.headers["Location"]).data


def test_a_form_shows_the_error_beside_the_field(client, app):
    cd = make_user("casting_director")
    db.session.commit()
    login(client, cd)
    venues = count(Venue)
    form = {"name": "Studio 2", "kind": "casting_studio", "address": "1 Road", "timezone": "Europe/London"}
    for field, value in (("name", "Studio\x00 2"), ("name", "Studio\r\n2"), ("timezone", "Europe/London\x1b"),
                         ("address", "1 Road\x00")):
        resp = client.post("/venues", data={**form, field: value})
        assert resp.status_code == 422
        assert b"may not contain" in resp.data or b"no line breaks" in resp.data
    assert count(Venue) == venues
    # A textarea takes several lines.
    resp = client.post("/venues", data={**form, "address": "1 Road\r\nLondon"})
    assert resp.status_code in (302, 303) and count(Venue) == venues + 1


def test_a_professional_name_with_a_header_injection_is_refused_on_the_form_and_the_api(client, app):
    user = make_user("talent")
    profile = make_talent(user=user, legal_name="Ann Lee")
    db.session.commit()
    login(client, user)
    resp = client.post("/me/profile", data={"legal_name": "Ann Lee", "professional_name": "Ann\r\nBcc: x@evil.example"})
    assert resp.status_code == 422 and b"no line breaks" in resp.data
    before = count(TalentProfile)
    resp = client.post("/api/v1/talent", json={"legal_name": "Bo Day", "email": "bo@example.com",
                                               "professional_name": "Bo\nBcc: x@evil.example"},
                       headers=auth(make_user("casting_director")))
    assert "professional_name" in _fields(resp)
    assert count(TalentProfile) == before
    db.session.expire_all()
    assert db.session.get(TalentProfile, profile.id).professional_name is None


def test_every_form_checks_control_characters():
    from flask_wtf import FlaskForm

    from casting.core.forms import Form

    def all_subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from all_subclasses(sub)

    forms = [c for c in all_subclasses(FlaskForm) if c.__module__.startswith("casting.")]
    assert len(forms) > 30
    assert [c for c in forms if not issubclass(c, Form)] == []


def test_a_body_nested_past_reason_is_a_bad_request(client, app):
    admin = make_user("admin")
    resp = client.post("/api/v1/users", data="[" * 10000, content_type="application/json", headers=auth(admin))
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "bad_request"
