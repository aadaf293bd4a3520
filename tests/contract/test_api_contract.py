"""The API.md contract, end to end, as an outside integrator drives it: only the CLI and the JSON API.

One scenario, top to bottom of API.md: accounts, companies, productions, roles, sides, venues, talent,
open calls, submissions, shortlists, callback sessions and the checklist gate, invitations, check-in,
documents and public verification, final casting decisions, the audit log; then the generic conventions.
No factories and no direct database access: what is checked is what an integrator sees.
"""
from __future__ import annotations

import hashlib
import io
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import read_outbox
from tests.factories import pdf_bytes
from tests.productions.factories import multipart, oversize_pdf

API = "/api/v1"
TZ = ZoneInfo("Europe/London")
Z_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
PASSWORD = "correct horse battery staple"
CHECKLIST_CODES = [
    "company_verified", "casting_director_verified", "roles_specific", "no_fees", "professional_venue",
    "business_hours", "advance_notice", "panel_of_two", "sides_uploaded", "safeguarding_contact",
    "intimacy_safeguards", "recording_terms",
]
ROLE_DESCRIPTION = ("Maya, 30s, a marine biologist returning to her coastal hometown; grounded, dry humour, "
                    "carries the second act's confrontation scene with her estranged father.")
RECORDING_USE = "Recorded for the director and producers to review casting; deleted after the role is cast."


class Client:
    """The JSON API as an integrator calls it: a bearer token per call."""

    def __init__(self, client):
        self.client = client

    def call(self, method: str, path: str, token: str | None = None, *, json=None, data=None, headers=None,
             content_type=None):
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        kwargs = {"headers": hdrs}
        if json is not None:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        if content_type is not None:
            kwargs["content_type"] = content_type
        resp = self.client.open(API + path, method=method, **kwargs)
        if resp.is_json:
            assert_datetimes_utc(resp.get_json())
        return resp

    def ok(self, method: str, path: str, token: str | None, status: int = 200, **kw):
        resp = self.call(method, path, token, **kw)
        assert resp.status_code == status, (method, path, resp.status_code, resp.get_data(as_text=True)[:600])
        return resp.get_json() if resp.is_json else resp

    def error(self, method: str, path: str, token: str | None, status: int, code: str, **kw) -> dict:
        """The documented error: status, and the body {"error": {"code", "message", "details"}}."""
        resp = self.call(method, path, token, **kw)
        assert resp.status_code == status, (method, path, resp.status_code, resp.get_data(as_text=True)[:600])
        body = resp.get_json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
        assert body["error"]["code"] == code, body
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
        assert isinstance(body["error"]["details"], dict)
        return body["error"]


def cli_user(runner, email: str, name: str, role: str, *, password: str | None = None) -> str:
    """Create a user with `flask users create` and return a token from `flask users token` (its last line)."""
    args = ["users", "create", "--email", email, "--name", name, "--role", role]
    if password:
        args += ["--password", password]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "token", email])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1].strip()


def assert_datetimes_utc(value) -> None:
    """Every datetime anywhere in a response is UTC with Z (API.md: "Responses are UTC with Z")."""
    if isinstance(value, dict):
        for v in value.values():
            assert_datetimes_utc(v)
    elif isinstance(value, list):
        for v in value:
            assert_datetimes_utc(v)
    elif isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d", value):
        assert Z_RE.match(value), value


def assert_utc(*values) -> None:
    for value in values:
        assert isinstance(value, str) and Z_RE.match(value), value


def session_day() -> date:
    """A Tuesday at least ten days ahead (business hours and notice both pass)."""
    day = date.today() + timedelta(days=10)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture
def app_config():
    # As deployed: forms need CSRF tokens, and the API (bearer tokens) must not.
    return {"WTF_CSRF_ENABLED": True}


def test_api_contract_end_to_end(client, runner, outbox, monkeypatch):
    api = Client(client)

    # ---- Users ------------------------------------------------------------------------------------
    admin = cli_user(runner, "admin@example.com", "Ada Admin", "admin")
    admin2 = cli_user(runner, "admin2@example.com", "Ben Admin", "admin")
    cd = cli_user(runner, "cd@example.com", "Carla Director", "casting_director", password=PASSWORD)
    cd_other = cli_user(runner, "cd.other@example.com", "Otto Other", "casting_director")
    producer = cli_user(runner, "producer@example.com", "Pat Producer", "producer")
    talent_a = cli_user(runner, "maya@example.com", "Maya Rivers", "talent")
    talent_b = cli_user(runner, "noor@example.com", "Noor Haddad", "talent")

    me = api.ok("GET", "/me", cd)
    assert set(me) >= {"id", "email", "name", "role"}
    assert (me["email"], me["name"], me["role"]) == ("cd@example.com", "Carla Director", "casting_director")
    cd_id = me["id"]
    admin_id = api.ok("GET", "/me", admin)["id"]
    producer_id = api.ok("GET", "/me", producer)["id"]
    cd_other_id = api.ok("GET", "/me", cd_other)["id"]
    assert api.ok("GET", "/me", talent_a)["role"] == "talent"

    reader = api.ok("POST", "/users", admin, 201, json={"email": "reader@example.com", "name": "Rita Reader",
                                                        "role": "producer"})
    assert reader["email"] == "reader@example.com" and reader["role"] == "producer" and isinstance(reader["id"], int)
    api.error("POST", "/users", cd, 403, "forbidden", json={"email": "x@example.com", "name": "X", "role": "admin"})
    api.error("POST", "/users", admin, 422, "validation_error", json={"email": "nope", "name": "", "role": "king"})

    cred = api.ok("POST", f"/users/{cd_id}/credential", cd, json={"registry": "Casting Society", "reference": "CSA-1"})
    assert cred["verified"] is False
    api.error("POST", f"/users/{cd_id}/credential/verify", cd, 403, "four_eyes",
              json={"evidence": "I checked myself in the directory."})
    api.error("POST", f"/users/{admin_id}/credential/verify", admin, 403, "four_eyes",
              json={"evidence": "I checked myself in the directory."})
    cred = api.ok("POST", f"/users/{cd_id}/credential/verify", admin,
                  json={"evidence": "CSA member directory entry CSA-1 checked online."})
    assert cred["verified"] is True

    # ---- Companies --------------------------------------------------------------------------------
    company_body = {"legal_name": "Harbour Light Pictures Ltd", "registration_number": "01234567",
                    "address": "12 Wharf Street, London SE1 9AA, United Kingdom",
                    "website": "https://harbourlight.example", "phone": "+44 20 7946 0000",
                    "email": "office@harbourlight.example"}
    company = api.ok("POST", "/companies", cd, 201, json=company_body)
    assert company["verified"] is False and isinstance(company["id"], int)
    assert all(company[k] == v for k, v in company_body.items())
    company_id = company["id"]
    assert api.ok("GET", f"/companies/{company_id}", cd)["legal_name"] == "Harbour Light Pictures Ltd"
    api.error("GET", f"/companies/{company_id}", cd_other, 404, "not_found")
    api.ok("POST", f"/companies/{company_id}/members", cd, 201, json={"user_id": producer_id})
    api.error("POST", f"/companies/{company_id}/members", cd_other, 404, "not_found",
              json={"user_id": cd_other_id})

    # The creator may not verify their own company, admin or not; it stays unverified for now.
    api.error("POST", f"/companies/{company_id}/verify", cd, 403, "four_eyes",
              json={"evidence": "Companies House entry 01234567 checked."})

    # ---- Productions ------------------------------------------------------------------------------
    production_body = {"title": "The Tide Line", "company_id": company_id, "kind": "film",
                       "description": "A feature film shot on the Kent coast.",
                       "safeguarding_contact": "Priya Shah, safeguarding@harbourlight.example"}
    api.error("POST", "/productions", cd_other, 403, "forbidden", json=production_body)
    production = api.ok("POST", "/productions", cd, 201, json=production_body)
    pid = production["id"]
    assert production["title"] == "The Tide Line" and production["company_id"] == company_id
    api.ok("POST", f"/productions/{pid}/members", cd, 201, json={"user_id": producer_id, "role": "producer"})
    api.error("POST", f"/productions/{pid}/members", cd, 422, "validation_error",
              json={"user_id": producer_id, "role": "boss"})
    listed = api.ok("GET", "/productions", cd)
    assert set(listed) == {"items", "page", "per_page", "total"} and listed["total"] == 1
    assert [p["id"] for p in listed["items"]] == [pid]
    assert api.ok("GET", "/productions", cd_other)["total"] == 0
    assert api.ok("GET", "/productions", admin)["total"] == 1
    got = api.ok("GET", f"/productions/{pid}", producer)
    assert {(m["user_id"], m["role"]) for m in got["members"]} == {(cd_id, "casting_director"),
                                                                    (producer_id, "producer")}
    api.error("GET", f"/productions/{pid}", cd_other, 404, "not_found")

    # ---- Roles, sides, venues ---------------------------------------------------------------------
    role = api.ok("POST", f"/productions/{pid}/roles", cd, 201, json={
        "name": "Maya", "description": ROLE_DESCRIPTION, "age_min": 28, "age_max": 40, "nudity_or_intimacy": False,
        "compensation": "Equity minimum plus buyout"})
    role_id = role["id"]
    role_b = api.ok("POST", f"/productions/{pid}/roles", cd, 201, json={
        "name": "Tom", "description": ROLE_DESCRIPTION.replace("Maya", "Tom"), "nudity_or_intimacy": False})
    assert api.ok("GET", f"/roles/{role_id}", producer)["status"] == "open"
    api.error("GET", f"/roles/{role_id}", cd_other, 404, "not_found")
    api.error("POST", f"/productions/{pid}/roles", cd, 422, "validation_error",
              json={"name": "", "description": "x"})

    sides_pdf = pdf_bytes("INT. HARBOUR - NIGHT. MAYA stands at the rail.")
    side = api.ok("POST", f"/roles/{role_id}/sides", cd, 201,
                  data={"file": (io.BytesIO(sides_pdf), "maya-sides.pdf")})
    assert {"id", "filename", "sha256", "size"} <= set(side)
    assert side["filename"] == "maya-sides.pdf" and side["size"] == len(sides_pdf)
    assert side["sha256"] == hashlib.sha256(sides_pdf).hexdigest()
    api.ok("POST", f"/roles/{role_b['id']}/sides", cd, 201,
           data={"file": (io.BytesIO(pdf_bytes("TOM reads.")), "tom.pdf")})
    api.error("POST", f"/roles/{role_id}/sides", cd, 415, "unsupported_media_type",
              data={"file": (io.BytesIO(b"just text, not a PDF"), "fake.pdf")})
    # (encoded in memory: the test client leaks the temporary file it would spool a big body to)
    api.error("POST", f"/roles/{role_id}/sides", cd, 413, "too_large",
              **multipart({"file": (oversize_pdf(), "huge.pdf")}))
    assert len(api.ok("GET", f"/roles/{role_id}", cd)["sides"]) == 1
    download = api.ok("GET", f"/sides/{side['id']}/pdf", producer)
    assert download.mimetype == "application/pdf" and download.data == sides_pdf
    api.error("GET", f"/sides/{side['id']}/pdf", cd_other, 404, "not_found")

    venue = api.ok("POST", "/venues", cd, 201, json={
        "name": "Wharf Casting Studio", "kind": "casting_studio",
        "address": "3 Wharf Street, London SE1 9AA, United Kingdom", "timezone": "Europe/London"})
    venue_id = venue["id"]
    room_two = api.ok("POST", "/venues", cd, 201, json={
        "name": "Wharf Casting Studio, room 2", "kind": "casting_studio",
        "address": "3 Wharf Street, London SE1 9AA, United Kingdom", "timezone": "Europe/London"})["id"]
    api.error("POST", "/venues", cd, 422, "validation_error",
              json={"name": "Somewhere", "kind": "casting_studio", "address": "x", "timezone": "Mars/Olympus"})

    # ---- Talent -----------------------------------------------------------------------------------
    extra = api.ok("POST", "/talent", cd, 201, json={"legal_name": "Sam Extra", "professional_name": "Sammy X",
                                                    "email": "sam.extra@example.com"})
    assert isinstance(extra["id"], int) and extra["legal_name"] == "Sam Extra"
    assert api.ok("GET", f"/talent/{extra['id']}", cd)["email"] == "sam.extra@example.com"
    api.error("POST", "/talent", talent_a, 403, "forbidden", json={"legal_name": "Me", "email": "me2@example.com"})
    api.error("POST", "/talent", cd, 409, "duplicate", json={"legal_name": "Sam", "email": "sam.extra@example.com"})
    profile_a = api.ok("GET", "/me/talent", talent_a)
    assert profile_a["legal_name"] == "Maya Rivers" and profile_a["email"] == "maya@example.com"
    talent_a_id = profile_a["id"]
    talent_b_id = api.ok("GET", "/me/talent", talent_b)["id"]
    api.error("GET", f"/talent/{talent_a_id}", talent_b, 404, "not_found")

    # ---- Open calls and submissions ---------------------------------------------------------------
    closes = (datetime.now(timezone.utc) + timedelta(days=5)).astimezone(TZ).replace(microsecond=0)
    call = api.ok("POST", f"/productions/{pid}/open-calls", cd, 201, json={
        "title": "Open call: Maya and Tom", "role_ids": [role_id, role_b["id"]], "closes_at": closes.isoformat(),
        "instructions": "Send a recent headshot and a short note."})
    assert call["status"] == "draft"
    call_id = call["id"]
    api.error("POST", f"/productions/{pid}/open-calls", cd, 422, "validation_error", json={
        "title": "Naive", "role_ids": [role_id], "closes_at": closes.replace(tzinfo=None).isoformat()})
    api.error("POST", f"/open-calls/{call_id}/publish", cd, 409, "company_unverified")

    api.error("POST", f"/companies/{company_id}/verify", cd_other, 404, "not_found",
              json={"evidence": "Companies House entry 01234567 checked."})
    verified = api.ok("POST", f"/companies/{company_id}/verify", admin,
                      json={"evidence": "Companies House entry 01234567 checked, directors match."})
    assert verified["verified"] is True and verified["verified_by"] == admin_id
    assert_utc(verified["verified_at"])

    published = api.ok("POST", f"/open-calls/{call_id}/publish", cd)
    assert published["status"] == "published"

    sub = api.ok("POST", f"/open-calls/{call_id}/submissions", talent_a, 201,
                 json={"role_id": role_id, "note": "I grew up on the Kent coast."})
    assert sub["role_id"] == role_id and sub["talent_id"] == talent_a_id
    api.error("POST", f"/open-calls/{call_id}/submissions", talent_a, 409, "duplicate", json={"role_id": role_id})
    api.ok("POST", f"/open-calls/{call_id}/submissions", talent_b, 201, json={"role_id": role_id})
    api.error("POST", f"/open-calls/{call_id}/submissions", cd, 403, "forbidden", json={"role_id": role_id})
    subs = api.ok("GET", f"/open-calls/{call_id}/submissions?page=1&per_page=1", producer)
    assert set(subs) == {"items", "page", "per_page", "total"}
    assert (subs["page"], subs["per_page"], subs["total"], len(subs["items"])) == (1, 1, 2, 1)
    api.error("GET", f"/open-calls/{call_id}/submissions", talent_a, 404, "not_found")
    api.error("GET", f"/open-calls/{call_id}/submissions", cd_other, 404, "not_found")

    # ---- Shortlists -------------------------------------------------------------------------------
    entry_a = api.ok("POST", f"/roles/{role_id}/shortlist", cd, 201, json={"talent_id": talent_a_id, "note": "Strong"})
    api.ok("POST", f"/roles/{role_id}/shortlist", cd, 201, json={"talent_id": talent_b_id})
    entry_x = api.ok("POST", f"/roles/{role_id}/shortlist", cd, 201, json={"talent_id": extra["id"]})
    api.error("POST", f"/roles/{role_id}/shortlist", cd, 409, "duplicate", json={"talent_id": talent_a_id})
    shortlist = api.ok("GET", f"/roles/{role_id}/shortlist", producer)
    assert [e["talent_id"] for e in shortlist["items"]] == [talent_a_id, talent_b_id, extra["id"]]
    assert [e["rank"] for e in shortlist["items"]] == [1, 2, 3] and shortlist["items"][0]["id"] == entry_a["id"]
    assert api.call("DELETE", f"/shortlist-entries/{entry_x['id']}", cd).status_code == 204
    shortlist = api.ok("GET", f"/roles/{role_id}/shortlist", cd)
    assert [e["talent_id"] for e in shortlist["items"]] == [talent_a_id, talent_b_id]
    api.error("DELETE", f"/shortlist-entries/{entry_a['id']}", cd_other, 404, "not_found")

    # ---- Callback sessions ------------------------------------------------------------------------
    day = session_day()
    session_body = {"title": "Maya callbacks", "role_ids": [role_id], "venue_id": venue_id,
                    "starts_at": local(day, 10).isoformat(), "ends_at": local(day, 12).isoformat(),
                    "slot_minutes": 20, "panel_user_ids": [cd_id, producer_id], "recorded": True,
                    "recording_use": RECORDING_USE}
    api.error("POST", f"/productions/{pid}/sessions", cd, 422, "validation_error",
              json={**session_body, "panel_user_ids": [cd_id, cd_other_id]})
    naive = api.error("POST", f"/productions/{pid}/sessions", cd, 422, "validation_error",
                      json={**session_body, "starts_at": local(day, 10).replace(tzinfo=None).isoformat()})
    assert "starts_at" in naive["details"]["fields"]
    draft = api.ok("POST", f"/productions/{pid}/sessions", cd, 201, json={**session_body, "title": "Tom reads",
                                                                          "role_ids": [role_b["id"]],
                                                                          "recorded": False, "recording_use": None})
    session = api.ok("POST", f"/productions/{pid}/sessions", cd, 201, json=session_body)
    sid = session["id"]
    assert session["status"] == "draft"
    got = api.ok("GET", f"/sessions/{sid}", producer)
    assert got["starts_at"] == local(day, 10).astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    assert_utc(got["starts_at"], got["ends_at"])
    patched = api.ok("PATCH", f"/sessions/{sid}", cd, json={"title": "Maya callbacks, day one"})
    assert patched["title"] == "Maya callbacks, day one"
    api.error("GET", f"/sessions/{sid}", cd_other, 404, "not_found")

    checklist = api.ok("GET", f"/sessions/{sid}/checklist", cd)
    assert set(checklist) >= {"ready", "items"} and checklist["ready"] is False
    assert [i["code"] for i in checklist["items"]] == CHECKLIST_CODES
    for item in checklist["items"]:
        assert set(item) >= {"code", "title", "applicable", "passed", "detail"}
    by_code = {i["code"]: i for i in checklist["items"]}
    assert by_code["no_fees"]["passed"] is False
    assert by_code["intimacy_safeguards"]["applicable"] is False and by_code["recording_terms"]["applicable"] is True
    failed = api.error("POST", f"/sessions/{sid}/schedule", cd, 409, "checklist_failed")
    assert failed["details"]["failed"] == ["no_fees"]
    assert api.ok("GET", f"/sessions/{sid}", cd)["status"] == "draft"

    api.error("POST", f"/sessions/{sid}/attestations", producer, 403, "forbidden", json={"code": "no_fees"})
    attestation = api.ok("POST", f"/sessions/{sid}/attestations", cd, 201, json={"code": "no_fees"})
    assert attestation["code"] == "no_fees"
    assert api.ok("GET", f"/sessions/{sid}/checklist", cd)["ready"] is True
    scheduled = api.ok("POST", f"/sessions/{sid}/schedule", cd)
    assert scheduled["status"] == "scheduled"

    late = api.error("PATCH", f"/sessions/{sid}", cd, 409, "checklist_failed",
                     json={"starts_at": local(day, 22).isoformat(), "ends_at": local(day, 23).isoformat()})
    assert "business_hours" in late["details"]["failed"]
    unchanged = api.ok("GET", f"/sessions/{sid}", cd)
    assert (unchanged["status"], unchanged["starts_at"]) == ("scheduled", got["starts_at"])

    # ---- Invitations ------------------------------------------------------------------------------
    slot = local(day, 10).isoformat()
    api.error("POST", f"/sessions/{draft['id']}/invitations", cd, 409, "invalid_state",
              json={"talent_id": talent_a_id, "role_id": role_b["id"], "starts_at": slot})
    api.error("POST", f"/sessions/{sid}/invitations", cd, 409, "not_shortlisted",
              json={"talent_id": extra["id"], "role_id": role_id, "starts_at": slot})
    api.error("POST", f"/sessions/{sid}/invitations", cd, 422, "validation_error",
              json={"talent_id": talent_a_id, "role_id": role_id, "starts_at": local(day, 10, 7).isoformat()})
    api.error("POST", f"/sessions/{sid}/invitations", cd, 422, "validation_error",
              json={"talent_id": talent_a_id, "role_id": role_id, "starts_at": local(day, 13).isoformat()})
    mails_before = len(read_outbox(outbox))
    inv = api.ok("POST", f"/sessions/{sid}/invitations", cd, 201,
                 json={"talent_id": talent_a_id, "role_id": role_id, "starts_at": slot})
    assert inv["status"] == "invited" and isinstance(inv["id"], int)
    kinds = {d["kind"]: d for d in inv["documents"]}
    assert set(kinds) == {"callback_confirmation", "recording_release"}
    letters = [m for m in read_outbox(outbox)[mails_before:] if m["To"] == "maya@example.com"]
    assert letters and sum(1 for m in letters for part in m.iter_attachments()
                           if part.get_content_type() == "application/pdf") >= 2
    for d in inv["documents"]:
        assert {"id", "kind", "verification_code"} <= set(d) and d["verification_code"]
    api.error("POST", f"/sessions/{sid}/invitations", cd, 409, "double_booked",
              json={"talent_id": talent_b_id, "role_id": role_id, "starts_at": slot})
    inv_b = api.ok("POST", f"/sessions/{sid}/invitations", cd, 201,
                   json={"talent_id": talent_b_id, "role_id": role_id, "starts_at": local(day, 10, 20).isoformat()})

    assert api.ok("GET", f"/invitations/{inv['id']}", talent_a)["status"] == "invited"
    assert api.ok("GET", f"/invitations/{inv['id']}", producer)["talent_id"] == talent_a_id
    api.error("GET", f"/invitations/{inv['id']}", talent_b, 404, "not_found")
    mine = api.ok("GET", "/me/invitations", talent_a)
    assert set(mine) == {"items", "page", "per_page", "total"}
    assert [i["id"] for i in mine["items"]] == [inv["id"]]
    assert_utc(mine["items"][0]["starts_at"])

    api.error("POST", f"/invitations/{inv['id']}/confirm", talent_b, 404, "not_found")
    assert api.ok("POST", f"/invitations/{inv['id']}/confirm", talent_a)["status"] == "confirmed"
    assert api.ok("POST", f"/invitations/{inv_b['id']}/decline", talent_b)["status"] == "declined"

    # Cancelling a scheduled session cancels its invitations and tells the talent.
    api.ok("POST", f"/sessions/{draft['id']}/attestations", cd, 201, json={"code": "no_fees"})
    # Maya's session holds the room at that time: one scheduled session a room (a different room is fine).
    held = api.error("POST", f"/sessions/{draft['id']}/schedule", cd, 409, "venue_conflict")
    assert held["details"] == {"session_id": sid}
    api.ok("PATCH", f"/sessions/{draft['id']}", cd, json={"venue_id": room_two})
    assert api.ok("POST", f"/sessions/{draft['id']}/schedule", cd)["status"] == "scheduled"
    api.error("PATCH", f"/sessions/{draft['id']}", cd, 409, "venue_conflict", json={"venue_id": venue_id})
    api.ok("POST", f"/roles/{role_b['id']}/shortlist", cd, 201, json={"talent_id": talent_b_id})
    api.ok("POST", f"/roles/{role_b['id']}/shortlist", cd, 201, json={"talent_id": talent_a_id})
    taken = api.error("POST", f"/sessions/{draft['id']}/invitations", cd, 409, "double_booked",
                      json={"talent_id": talent_a_id, "role_id": role_b["id"], "starts_at": slot})
    assert taken["details"] == {"conflict": "talent"}
    inv_tom = api.ok("POST", f"/sessions/{draft['id']}/invitations", cd, 201,
                     json={"talent_id": talent_b_id, "role_id": role_b["id"], "starts_at": slot})
    api.error("POST", f"/sessions/{draft['id']}/cancel", cd, 422, "validation_error", json={})
    mails_before = len(read_outbox(outbox))
    cancelled = api.ok("POST", f"/sessions/{draft['id']}/cancel", cd, json={"reason": "The role was merged."})
    assert cancelled["status"] == "cancelled"
    assert api.ok("GET", f"/invitations/{inv_tom['id']}", talent_b)["status"] == "cancelled"
    assert any(m["To"] == "noor@example.com" for m in read_outbox(outbox)[mails_before:])

    missing = api.error("POST", f"/invitations/{inv['id']}/check-in", cd, 409, "missing_consent")
    assert missing["details"]["missing"] == ["recording_release"]

    # ---- Documents and verification ---------------------------------------------------------------
    release = kinds["recording_release"]
    doc = api.ok("GET", f"/documents/{release['id']}", talent_a)
    assert {"id", "kind", "serial", "verification_code", "sha256", "status", "issued_at", "signed_at",
            "recipient_talent_id"} <= set(doc)
    assert (doc["kind"], doc["status"], doc["recipient_talent_id"]) == ("recording_release", "issued", talent_a_id)
    assert doc["signed_at"] is None and doc["verification_code"] == release["verification_code"]
    assert_utc(doc["issued_at"])
    api.error("GET", f"/documents/{release['id']}", talent_b, 404, "not_found")
    api.error("POST", f"/documents/{release['id']}/sign", talent_a, 409, "not_viewed",
              json={"full_name": "Maya Rivers", "agree": True})
    pdf = api.ok("GET", f"/documents/{release['id']}/pdf", talent_a)
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert hashlib.sha256(pdf.data).hexdigest() == doc["sha256"]
    api.error("POST", f"/documents/{release['id']}/sign", talent_a, 422, "validation_error",
              json={"full_name": "Somebody Else", "agree": True})
    signed = api.ok("POST", f"/documents/{release['id']}/sign", talent_a,
                    json={"full_name": "Maya Rivers", "agree": True})
    assert signed["status"] == "signed" and isinstance(signed["signed_document_id"], int)
    after = api.ok("GET", f"/documents/{release['id']}", talent_a)
    assert after["status"] == "signed" and after["signed_at"] is not None

    # Check-in is open from 2 hours before the slot to the session's end: a week early it is refused.
    early = api.error("POST", f"/invitations/{inv['id']}/check-in", cd, 409, "outside_window")
    assert_utc(early["details"]["opens_at"], early["details"]["closes_at"])
    callback_day = local(day, 9, 30).astimezone(timezone.utc)
    monkeypatch.setattr("casting.callbacks.invitations.utcnow", lambda: callback_day)  # the callback day
    checked = api.ok("POST", f"/invitations/{inv['id']}/check-in", cd)
    assert checked["status"] == "checked_in"
    note = api.ok("POST", f"/invitations/{inv['id']}/notes", producer, 201, json={"rating": 5, "note": "Superb."})
    assert note["rating"] == 5
    api.error("POST", f"/invitations/{inv['id']}/notes", talent_a, 403, "forbidden", json={"rating": 1, "note": ""})

    public = api.ok("GET", f"/verify/{release['verification_code']}", None)
    assert {"status", "kind", "issuer", "production", "issued_at", "recipient_initials", "sha256"} <= set(public)
    assert (public["kind"], public["issuer"], public["production"]) == (
        "recording_release", "Harbour Light Pictures Ltd", "The Tide Line")
    assert public["status"] == "signed" and public["sha256"] == doc["sha256"]
    assert "Maya" not in str(public) and "Rivers" not in str(public)
    assert_utc(public["issued_at"])
    api.error("GET", "/verify/ZZZZ-ZZZZ-ZZZZ", None, 404, "not_found")
    match = api.ok("POST", "/verify", None, data={"file": (io.BytesIO(pdf.data), "letter.pdf")})
    assert match["match"] is True and match["document"]["sha256"] == doc["sha256"]
    assert api.ok("POST", "/verify", None, data={"file": (io.BytesIO(sides_pdf), "other.pdf")}) == {"match": False}

    # ---- Final casting decisions ------------------------------------------------------------------
    first = api.ok("POST", f"/roles/{role_id}/proposals", cd, 201,
                   json={"talent_id": talent_a_id, "terms": {"compensation": "GBP 900 per week"}})
    rejected = api.ok("POST", f"/proposals/{first['id']}/reject", producer, json={"comment": "Budget allows more."})
    assert rejected["status"] == "rejected" and rejected["offer_document_id"] is None
    proposal = api.ok("POST", f"/roles/{role_id}/proposals", cd, 201,
                      json={"talent_id": talent_a_id, "terms": {"compensation": "GBP 2,400 per week"}})
    assert proposal["status"] == "proposed" and isinstance(proposal["id"], int)
    prop_id = proposal["id"]
    api.error("POST", f"/roles/{role_id}/proposals", producer, 403, "forbidden",
              json={"talent_id": talent_b_id, "terms": {"compensation": "GBP 1"}})
    got = api.ok("GET", f"/proposals/{prop_id}", producer)
    assert {"id", "role_id", "talent_id", "terms", "status", "offer_document_id"} <= set(got)
    assert (got["role_id"], got["talent_id"], got["status"], got["offer_document_id"]) == (
        role_id, talent_a_id, "proposed", None)
    api.error("POST", f"/proposals/{prop_id}/approve", cd, 403, "four_eyes", json={"comment": "Mine, approved."})
    api.error("POST", f"/proposals/{prop_id}/approve", cd, 403, "four_eyes")
    assert api.ok("GET", f"/proposals/{prop_id}", cd)["status"] == "proposed"
    # {comment?}: the body is optional, so an empty POST is an approval without a comment.
    approved = api.ok("POST", f"/proposals/{prop_id}/approve", producer)
    assert approved["status"] == "approved" and isinstance(approved["offer_document_id"], int)
    offer_id = approved["offer_document_id"]
    assert api.ok("GET", f"/documents/{offer_id}", talent_a)["kind"] == "offer"
    api.ok("GET", f"/documents/{offer_id}/pdf", talent_a)
    signed = api.ok("POST", f"/documents/{offer_id}/sign", talent_a, json={"full_name": "Maya Rivers", "agree": True})
    assert signed["status"] == "signed"
    assert api.ok("GET", f"/proposals/{prop_id}", talent_a)["status"] == "accepted"
    assert api.ok("GET", f"/roles/{role_id}", cd)["status"] == "cast"

    # ---- Audit ------------------------------------------------------------------------------------
    everything = api.ok("GET", "/audit?per_page=100", admin)
    assert set(everything) == {"items", "page", "per_page", "total"} and everything["total"] > 50
    first = everything["items"][0]
    assert_utc(first["created_at"])
    scheduled_entries = api.ok("GET", f"/audit?production_id={pid}&action=session.scheduled", cd)
    assert scheduled_entries["total"] == 2
    assert {(e["action"], e["entity_id"]) for e in scheduled_entries["items"]} == {("session.scheduled", sid),
                                                                                  ("session.scheduled", draft["id"])}
    since = datetime.now(timezone.utc) - timedelta(hours=1)
    recent = api.ok("GET", f"/audit?production_id={pid}&since={since.isoformat().replace('+00:00', 'Z')}", producer)
    assert recent["total"] > 0 and all(e["production_id"] == pid for e in recent["items"])
    assert api.ok("GET", f"/audit?production_id={pid}", cd_other)["total"] == 0
    assert api.ok("GET", f"/audit?since={since.isoformat().replace('+00:00', 'Z')}", cd_other)["total"] < \
        everything["total"]
    api.error("GET", f"/audit?since={since.replace(tzinfo=None).isoformat()}", admin, 422, "validation_error")
    # An offset's "+" left unencoded in the query string (it arrives as a space) still reads as the offset.
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Paris")).replace(microsecond=0)
    assert later.isoformat()[-6] == "+" and api.ok("GET", f"/audit?since={later.isoformat()}", admin)["total"] == 0
    api.error("GET", "/audit/verify", cd, 403, "forbidden")  # refused, and audited as such
    chain = api.ok("GET", "/audit/verify", admin)
    assert chain["ok"] is True and chain["entries"] >= everything["total"] and re.fullmatch(r"[0-9a-f]{64}",
                                                                                            chain["head"])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == f"OK {chain['entries']} entries, head {chain['head']}"
    result = runner.invoke(args=["audit", "verify", "--expect-head", chain["head"]])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["audit", "verify", "--expect-head", "0" * 64])
    assert result.exit_code == 1

    # ---- Generic conventions ----------------------------------------------------------------------
    api.error("POST", "/companies", cd, 400, "bad_request", data="not json",
              headers={"Content-Type": "application/json"})
    api.error("POST", "/companies", cd, 400, "bad_request", data="legal_name=x",
              headers={"Content-Type": "text/plain"})
    api.error("POST", "/companies", cd, 400, "bad_request", json=[company_body])
    api.error("GET", "/me", None, 401, "unauthenticated")
    api.error("GET", "/me", "not-a-token", 401, "unauthenticated")
    api.error("GET", f"/productions/{pid}", None, 401, "unauthenticated")
    api.error("GET", "/me", None, 401, "unauthenticated", headers={"Authorization": f"Basic {cd}"})
    # A cookie session (signed in on the web) does not authenticate the API.
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    login = client.post("/login", data={"email": "cd@example.com", "password": PASSWORD, "csrf_token": csrf})
    assert login.status_code in (302, 303)
    assert client.get("/productions").status_code == 200
    api.error("GET", "/me", None, 401, "unauthenticated")
    api.error("POST", "/venues", None, 401, "unauthenticated", json={"name": "x"})
    # Lists: at most 100 a page.
    assert api.ok("GET", "/audit?per_page=100", admin)["per_page"] == 100
    too_many = api.error("GET", "/audit?per_page=101", admin, 422, "validation_error")
    assert "per_page" in too_many["details"]["fields"]
    api.error("GET", "/productions?page=0", cd, 422, "validation_error")
    api.error("GET", "/no-such-endpoint", cd, 404, "not_found")


def _page(api: Client, path: str, token: str) -> list[dict]:
    """Every item of a paginated list, checking its shape on the way."""
    items, page = [], 1
    while True:
        sep = "&" if "?" in path else "?"
        body = api.ok("GET", f"{path}{sep}page={page}&per_page=100", token)
        assert set(body) >= {"items", "page", "per_page", "total"} and body["page"] == page, (path, body)
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            assert len(items) == body["total"]
            return items
        page += 1


def test_seeded_demo_reads_back_through_the_api(client, runner):
    """`flask seed-demo`, then an integrator reads everything it made: shapes, lists and datetimes as API.md says."""
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    api = Client(client)
    tokens = {}
    for email in ("admin@example.com", "casting@example.com", "talent@example.com"):
        result = runner.invoke(args=["users", "token", email])
        assert result.exit_code == 0, result.output
        tokens[email] = result.output.strip().splitlines()[-1].strip()
    admin, cd, talent = tokens["admin@example.com"], tokens["casting@example.com"], tokens["talent@example.com"]

    productions = _page(api, "/productions", cd)
    assert productions
    for production in productions:
        pid = production["id"]
        api.ok("GET", f"/productions/{pid}", cd)
        for role in _page(api, f"/productions/{pid}/roles", cd):
            assert api.ok("GET", f"/roles/{role['id']}", cd)["status"] in ("open", "cast")
            _page(api, f"/roles/{role['id']}/shortlist", cd)
            _page(api, f"/roles/{role['id']}/proposals", cd)
        for call in _page(api, f"/productions/{pid}/open-calls", cd):
            _page(api, f"/open-calls/{call['id']}/submissions", cd)
        for session in _page(api, f"/productions/{pid}/sessions", cd):
            checklist = api.ok("GET", f"/sessions/{session['id']}/checklist", cd)
            assert [i["code"] for i in checklist["items"]] == CHECKLIST_CODES
            for inv in _page(api, f"/sessions/{session['id']}/invitations", cd):
                api.ok("GET", f"/invitations/{inv['id']}", cd)

    invitations = _page(api, "/me/invitations", talent)
    assert invitations and all(d["verification_code"] for i in invitations for d in i["documents"])
    for document in _page(api, "/me/documents", talent):
        got = api.ok("GET", f"/documents/{document['id']}", talent)
        public = api.ok("GET", f"/verify/{got['verification_code']}", None)
        assert public["sha256"] == got["sha256"] and public["kind"] == got["kind"]

    chain = api.ok("GET", "/audit/verify", admin)
    assert chain["ok"] is True
    result = runner.invoke(args=["audit", "verify", "--expect-head", chain["head"]])
    assert result.exit_code == 0 and result.output.strip().splitlines()[-1] == \
        f"OK {chain['entries']} entries, head {chain['head']}"
