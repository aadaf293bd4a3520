"""The companies API contract (API.md "Companies")."""
from __future__ import annotations

import io

import pytest

from casting.companies.models import Company, CompanyMember
from casting.extensions import db
from tests.conftest import auth, count
from tests.factories import make_company, make_production, make_user, pdf_bytes, png_bytes
from tests.productions.factories import multipart

BODY = {"legal_name": "Northlight Films Ltd", "registration_number": "09876543",
        "address": "4 Canal Yard, Manchester M1 2AB", "website": "https://northlight.example",
        "phone": "+44 161 000 0000", "email": "office@northlight.example"}


def test_create_then_get(client, app):
    cd = make_user("casting_director")
    headers = auth(cd)
    resp = client.post("/api/v1/companies", json=BODY, headers=headers)
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["verified"] is False and body["verified_by"] is None and body["verified_at"] is None
    assert {k: body[k] for k in BODY} == BODY
    assert [m["user_id"] for m in body["members"]] == [cd.id]
    got = client.get(f"/api/v1/companies/{body['id']}", headers=headers)
    assert got.status_code == 200 and got.get_json()["legal_name"] == "Northlight Films Ltd"


@pytest.mark.parametrize("body, status, field", [
    ({k: v for k, v in BODY.items() if k != "legal_name"}, 422, "legal_name"),
    ({**BODY, "registration_number": 42}, 422, "registration_number"),
    ({**BODY, "email": "nope"}, 422, "email"),
    ({**BODY, "website": "javascript:alert(1)"}, 422, "website"),
    ([1, 2], 400, None),
])
def test_create_bad_input(client, app, body, status, field):
    headers = auth(make_user("casting_director"))
    resp = client.post("/api/v1/companies", json=body, headers=headers)
    assert resp.status_code == status
    error = resp.get_json()["error"]
    assert error["code"] == ("validation_error" if status == 422 else "bad_request")
    if field:
        assert field in error["details"]["fields"]
    assert count(Company) == 0


def test_create_not_json_and_talent(client, app):
    headers = auth(make_user("casting_director"))
    assert client.post("/api/v1/companies", data="x", headers=headers).status_code == 400
    resp = client.post("/api/v1/companies", json=BODY, headers=auth(make_user("talent")))
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "forbidden"
    assert client.post("/api/v1/companies", json=BODY).status_code == 401
    assert count(Company) == 0


def test_get_visibility(client, app):
    cd, producer, stranger = make_user("casting_director"), make_user("producer"), make_user("casting_director")
    company = make_company(cd)
    make_production(cd, company, members={producer: "producer"})
    db.session.commit()
    assert client.get(f"/api/v1/companies/{company.id}", headers=auth(producer)).status_code == 200
    assert client.get(f"/api/v1/companies/{company.id}", headers=auth(make_user("admin"))).status_code == 200
    for who in (stranger, make_user("talent")):
        resp = client.get(f"/api/v1/companies/{company.id}", headers=auth(who))
        assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/companies/424242", headers=auth(cd)).status_code == 404


def test_list_is_paginated_and_scoped(client, app):
    cd = make_user("casting_director")
    for _ in range(3):
        make_company(cd)
    make_company(make_user("casting_director"))
    resp = client.get("/api/v1/companies?per_page=2", headers=auth(cd))
    body = resp.get_json()
    assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (3, 1, 2, 2)
    assert client.get("/api/v1/companies?per_page=500", headers=auth(cd)).status_code == 422
    assert client.get("/api/v1/companies", headers=auth(make_user("admin"))).get_json()["total"] == 4


def test_add_member(client, app):
    cd, producer = make_user("casting_director"), make_user("producer")
    company = make_company(cd)
    headers = auth(cd)
    resp = client.post(f"/api/v1/companies/{company.id}/members", json={"user_id": producer.id}, headers=headers)
    assert resp.status_code == 201 and resp.get_json()["user_id"] == producer.id
    again = client.post(f"/api/v1/companies/{company.id}/members", json={"user_id": producer.id}, headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "duplicate"
    talent = make_user("talent")
    db.session.commit()  # a refused request rolls back whatever the test left uncommitted
    for body in ({"user_id": 999999}, {"user_id": "x"}, {}, {"user_id": talent.id}):
        bad = client.post(f"/api/v1/companies/{company.id}/members", json=body, headers=headers)
        assert bad.status_code == 422 and "user_id" in bad.get_json()["error"]["details"]["fields"]
    assert count(CompanyMember) == 2


def test_add_member_refusals(client, app):
    cd, producer, stranger = make_user("casting_director"), make_user("producer"), make_user("casting_director")
    company = make_company(cd)
    make_production(cd, company, members={producer: "producer"})
    db.session.commit()
    url = f"/api/v1/companies/{company.id}/members"
    # The producer sees the company (through its production) but is not a company member.
    resp = client.post(url, json={"user_id": stranger.id}, headers=auth(producer))
    assert resp.status_code == 403
    assert client.post(url, json={"user_id": stranger.id}, headers=auth(stranger)).status_code == 404
    assert client.post("/api/v1/companies/999/members", json={"user_id": stranger.id},
                       headers=auth(cd)).status_code == 404
    assert count(CompanyMember) == 1


def test_verify(client, app):
    admin = make_user("admin")
    company = make_company(make_user("casting_director"))
    resp = client.post(f"/api/v1/companies/{company.id}/verify",
                       json={"evidence": "Companies House entry checked, active."}, headers=auth(admin))
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["verified"] is True and body["verified_by"] == admin.id and body["verified_at"].endswith("Z")
    again = client.post(f"/api/v1/companies/{company.id}/verify", json={"evidence": "checked again today"},
                        headers=auth(make_user("admin")))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_state"


def test_verify_four_eyes_and_refusals(client, app):
    admin = make_user("admin")
    resp = client.post("/api/v1/companies", json=BODY, headers=auth(admin))
    company_id = resp.get_json()["id"]
    url = f"/api/v1/companies/{company_id}/verify"
    own = client.post(url, json={"evidence": "I registered it, I know it."}, headers=auth(admin))
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "four_eyes"
    cd = make_user("casting_director")
    company = make_company(cd)
    member = client.post(f"/api/v1/companies/{company.id}/verify", json={"evidence": "our own company"},
                         headers=auth(cd))
    # API.md: "the creator gets 403 four_eyes", an admin or not.
    assert member.status_code == 403 and member.get_json()["error"]["code"] == "four_eyes"
    outsider = client.post(f"/api/v1/companies/{company.id}/verify", json={"evidence": "not an admin"},
                           headers=auth(make_user("producer")))
    assert outsider.status_code == 404
    short = client.post(f"/api/v1/companies/{company.id}/verify", json={"evidence": "ok"},
                        headers=auth(make_user("admin")))
    assert short.status_code == 422 and "evidence" in short.get_json()["error"]["details"]["fields"]
    missing = client.post(f"/api/v1/companies/{company.id}/verify", json={}, headers=auth(make_user("admin")))
    assert missing.status_code == 422
    db.session.expire_all()
    assert not db.session.get(Company, company_id).verified and not company.verified


def test_logo_upload(client, app):
    cd = make_user("casting_director")
    company = make_company(cd)
    headers = auth(cd)
    url = f"/api/v1/companies/{company.id}/logo"
    resp = client.post(url, data={"file": (io.BytesIO(png_bytes()), "logo.png")}, headers=headers)
    assert resp.status_code == 200 and len(resp.get_json()["logo_sha256"]) == 64
    wrong = client.post(url, data={"file": (io.BytesIO(pdf_bytes()), "logo.png")}, headers=headers)
    assert wrong.status_code == 415 and wrong.get_json()["error"]["code"] == "unsupported_media_type"
    big_png = b"\x89PNG\r\n\x1a\n" + bytes(6 * 1024 * 1024)
    big = client.post(url, headers=headers, **multipart({"file": (big_png, "l.png")}))
    assert big.status_code == 413 and big.get_json()["error"]["code"] == "too_large"
    none = client.post(url, data={}, headers=headers)
    assert none.status_code == 422 and "file" in none.get_json()["error"]["details"]["fields"]
    db.session.expire_all()
    assert company.logo_sha256 == resp.get_json()["logo_sha256"]
    other = client.post(url, data={"file": (io.BytesIO(png_bytes()), "logo.png")},
                        headers=auth(make_user("casting_director")))
    assert other.status_code == 404
