"""The API contract of API.md "Productions, roles, sides, venues" (talent excepted)."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from casting.extensions import db
from casting.productions.models import Production, ProductionMember, ProductionRole, Side
from tests.callbacks.factories import make_ready_session
from tests.conftest import auth, count
from tests.factories import (
    GOOD_DESCRIPTION, make_company, make_production, make_role, make_shortlist_entry, make_talent, make_user,
    pdf_bytes, png_bytes,
)
from tests.productions.factories import multipart, oversize_pdf

ROLE = {"name": "Maya", "description": GOOD_DESCRIPTION, "age_min": 25, "age_max": 40, "nudity_or_intimacy": False,
        "compensation": "SAG-AFTRA scale"}


def production_body(company_id: int) -> dict:
    return {"title": "The Tide Line", "company_id": company_id, "kind": "film",
            "description": "A feature film shot on the Kent coast.",
            "safeguarding_contact": "Priya Shah, safeguarding@example.com"}


def error(resp) -> dict:
    return resp.get_json()["error"]


def test_create_production_and_read_it_back(client, app):
    cd = make_user("casting_director")
    company = make_company(cd)
    headers = auth(cd)
    resp = client.post("/api/v1/productions", json=production_body(company.id), headers=headers)
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["members"] == [{"user_id": cd.id, "name": cd.name, "role": "casting_director",
                                "added_at": body["members"][0]["added_at"]}]
    assert body["company"] == {"id": company.id, "legal_name": company.legal_name, "verified": False}
    got = client.get(f"/api/v1/productions/{body['id']}", headers=headers).get_json()
    assert got["safeguarding_contact"] == "Priya Shah, safeguarding@example.com" and got["roles"] == []


@pytest.mark.parametrize("change, status, code", [
    ({"title": None}, 422, "validation_error"), ({"kind": "opera"}, 422, "validation_error"),
    ({"company_id": "7"}, 422, "validation_error"), ({"company_id": 987654}, 422, "validation_error"),
    ({"safeguarding_contact": ""}, 422, "validation_error"), ({"description": 5}, 422, "validation_error"),
])
def test_create_production_bad_input(client, app, change, status, code):
    cd = make_user("casting_director")
    company = make_company(cd)
    resp = client.post("/api/v1/productions", json={**production_body(company.id), **change}, headers=auth(cd))
    assert resp.status_code == status and error(resp)["code"] == code
    assert set(error(resp)["details"]["fields"]) == set(change)
    assert count(Production) == 0


def test_create_production_refusals(client, app):
    cd = make_user("casting_director")
    company = make_company(cd)
    body = production_body(company.id)
    outsider = client.post("/api/v1/productions", json=body, headers=auth(make_user("casting_director")))
    assert outsider.status_code == 403 and error(outsider)["code"] == "forbidden"
    assert client.post("/api/v1/productions", json=body, headers=auth(make_user("producer"))).status_code == 403
    assert client.post("/api/v1/productions", json=body).status_code == 401
    assert client.post("/api/v1/productions", data="{", headers=auth(cd),
                       content_type="application/json").status_code == 400
    assert count(Production) == 0


def test_list_shows_visible_productions_paginated(client, app):
    cd, producer = make_user("casting_director"), make_user("producer")
    mine = [make_production(cd, members={producer: "producer"}) for _ in range(3)]
    make_production(make_user("casting_director"))
    body = client.get("/api/v1/productions?per_page=2&page=2", headers=auth(producer)).get_json()
    assert (body["total"], body["page"], body["per_page"]) == (3, 2, 2)
    assert len(body["items"]) == 1 and body["items"][0]["id"] in {p.id for p in mine}
    assert client.get("/api/v1/productions", headers=auth(make_user("admin"))).get_json()["total"] == 4
    assert client.get("/api/v1/productions?page=0", headers=auth(cd)).status_code == 422
    assert client.get("/api/v1/productions", headers=auth(make_user("talent"))).status_code == 403


def test_get_production_is_404_for_non_members(client, app):
    production = make_production(make_user("casting_director"))
    db.session.commit()
    for user in (make_user("casting_director"), make_user("producer"), make_user("talent")):
        resp = client.get(f"/api/v1/productions/{production.id}", headers=auth(user))
        assert resp.status_code == 404 and error(resp)["code"] == "not_found"
    assert client.get("/api/v1/productions/99999", headers=auth(make_user("admin"))).status_code == 404


def test_add_members(client, app):
    cd, producer, coordinator = make_user("casting_director"), make_user("producer"), make_user("producer")
    production = make_production(cd)
    url, headers = f"/api/v1/productions/{production.id}/members", auth(cd)
    resp = client.post(url, json={"user_id": producer.id, "role": "producer"}, headers=headers)
    assert resp.status_code == 201 and resp.get_json()["role"] == "producer"
    resp = client.post(url, json={"user_id": coordinator.id, "role": "intimacy_coordinator"}, headers=headers)
    assert resp.status_code == 201
    dup = client.post(url, json={"user_id": producer.id, "role": "reader"}, headers=headers)
    assert dup.status_code == 409 and error(dup)["code"] == "duplicate"
    talent, spare = make_user("talent"), make_user("producer")
    db.session.commit()  # a refused request rolls back whatever the test left uncommitted
    for body, field in (({"user_id": 99999, "role": "reader"}, "user_id"),
                        ({"user_id": talent.id, "role": "reader"}, "user_id"),
                        ({"user_id": spare.id, "role": "boss"}, "role"),
                        ({"user_id": spare.id, "role": "casting_director"}, "role"),
                        ({"role": "reader"}, "user_id")):
        bad = client.post(url, json=body, headers=headers)
        assert bad.status_code == 422 and field in error(bad)["details"]["fields"], body
    refused = client.post(url, json={"user_id": spare.id, "role": "reader"}, headers=auth(producer))
    assert refused.status_code == 403
    assert count(ProductionMember) == 3


def test_roles_create_get_patch(client, app):
    cd = make_user("casting_director")
    production = make_production(cd)
    headers = auth(cd)
    resp = client.post(f"/api/v1/productions/{production.id}/roles", json=ROLE, headers=headers)
    assert resp.status_code == 201
    role = resp.get_json()
    assert role["status"] == "open" and role["sides"] == [] and role["age_min"] == 25
    got = client.get(f"/api/v1/roles/{role['id']}", headers=headers).get_json()
    assert {k: got[k] for k in ROLE} == ROLE and got["nudity_or_intimacy_details"] is None
    patched = client.patch(f"/api/v1/roles/{role['id']}", json={"age_max": 45, "compensation": None}, headers=headers)
    assert patched.status_code == 200 and (patched.get_json()["age_max"], patched.get_json()["compensation"]) == \
        (45, None)
    listed = client.get(f"/api/v1/productions/{production.id}/roles", headers=headers).get_json()
    assert [r["id"] for r in listed["items"]] == [role["id"]]


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"), ({"age_min": 50, "age_max": 20}, "age_max"), ({"age_min": 121}, "age_min"),
    ({"age_max": "forty"}, "age_max"), ({"nudity_or_intimacy": None}, "nudity_or_intimacy"),
    ({"nudity_or_intimacy": "false"}, "nudity_or_intimacy"), ({"description": ["x"]}, "description"),
])
def test_create_role_bad_input(client, app, change, field):
    cd = make_user("casting_director")
    production = make_production(cd)
    resp = client.post(f"/api/v1/productions/{production.id}/roles", json={**ROLE, **change}, headers=auth(cd))
    assert resp.status_code == 422 and field in error(resp)["details"]["fields"]
    assert count(ProductionRole) == 0


def test_patch_role_bad_input_changes_nothing(client, app):
    cd = make_user("casting_director")
    role = make_role(make_production(cd))
    db.session.commit()
    url, headers = f"/api/v1/roles/{role.id}", auth(cd)
    for body, status in (({"age_min": 99}, 422), ({"status": "cast"}, 422), ({"name": 3}, 422), ([], 400)):
        assert client.patch(url, json=body, headers=headers).status_code == status
    assert client.patch("/api/v1/roles/99999", json={"name": "X"}, headers=headers).status_code == 404
    db.session.expire_all()
    assert (role.age_min, role.status, role.name.startswith("Maya")) == (25, "open", True)


def test_patch_role_of_scheduled_session_failing_checklist_is_409(client, app):
    session = make_ready_session(scheduled=True)
    role = session.roles[0]
    headers = auth(session.lead_casting_director)
    resp = client.patch(f"/api/v1/roles/{role.id}", json={"description": "TBD"}, headers=headers)
    assert resp.status_code == 409 and error(resp)["code"] == "checklist_failed"
    assert "roles_specific" in error(resp)["details"]["failed"]
    db.session.expire_all()
    assert role.description == GOOD_DESCRIPTION


def test_role_status_cast_is_reported(client, app):
    cd = make_user("casting_director")
    role = make_role(make_production(cd))
    role.status = "cast"
    assert client.get(f"/api/v1/roles/{role.id}", headers=auth(cd)).get_json()["status"] == "cast"


def test_sides_upload_and_download(client, app):
    cd = make_user("casting_director")
    role = make_role(make_production(cd), with_sides=False)
    headers = auth(cd)
    data = pdf_bytes("EXT. PIER - DAWN")
    resp = client.post(f"/api/v1/roles/{role.id}/sides", headers=headers,
                       **multipart({"file": (data, "pier.pdf")}))
    assert resp.status_code == 201
    body = resp.get_json()
    assert set(body) >= {"id", "filename", "sha256", "size"}
    assert (body["filename"], body["size"]) == ("pier.pdf", len(data))
    pdf = client.get(f"/api/v1/sides/{body['id']}/pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data == data
    assert "EXT. PIER" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert client.get(f"/api/v1/roles/{role.id}", headers=headers).get_json()["sides"][0]["sha256"] == body["sha256"]


def test_sides_bad_uploads(client, app):
    cd = make_user("casting_director")
    role = make_role(make_production(cd), with_sides=False)
    url, headers = f"/api/v1/roles/{role.id}/sides", auth(cd)
    big = client.post(url, headers=headers, **multipart({"file": (oversize_pdf(), "big.pdf")}))
    assert big.status_code == 413 and error(big)["code"] == "too_large"
    fake = client.post(url, headers=headers, **multipart({"file": (png_bytes(), "scene.pdf")}))
    assert fake.status_code == 415 and error(fake)["code"] == "unsupported_media_type"
    missing = client.post(url, headers=headers, **multipart({"other": "x"}))
    assert missing.status_code == 422 and "file" in error(missing)["details"]["fields"]
    assert client.post("/api/v1/roles/99999/sides", headers=headers,
                       **multipart({"file": (pdf_bytes(), "s.pdf")})).status_code == 404
    assert count(Side) == 0


def test_sides_pdf_for_shortlisted_talent_only(client, app):
    cd = make_user("casting_director")
    role = make_role(make_production(cd))
    talent = make_talent(user=make_user("talent"))
    make_shortlist_entry(role, talent, by=cd)
    side_id = role.sides[0].id
    db.session.commit()
    assert client.get(f"/api/v1/sides/{side_id}/pdf", headers=auth(talent.user)).status_code == 200
    assert client.get(f"/api/v1/sides/{side_id}/pdf", headers=auth(make_user("talent"))).status_code == 404
    assert client.get("/api/v1/sides/99999/pdf", headers=auth(cd)).status_code == 404
