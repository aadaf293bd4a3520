"""Reporting a concern (anyone, API and page), who is told, the admins' queue with notes, the reporter following
its status; all audited; hostile input and flooding refused."""
from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.documents import services as documents
from casting.extensions import db
from casting.safety.models import Report, ReportNote
from tests.calls.factories import calls_world
from tests.conftest import auth, count, login, read_outbox
from tests.documents.factories import make_callback
from tests.documents.helpers import by_kind
from tests.factories import make_user


def last_actions(n: int = 3) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(n)))


@pytest.fixture
def world(app):
    w = calls_world()
    w.admin2 = make_user("admin", name="Bea Admin")
    db.session.commit()
    return w


def test_anyone_reports_a_production_and_the_safeguarding_contact_and_admins_are_told(client, world, outbox):
    r = client.post("/api/v1/reports", json={
        "about": {"production_id": world.production.id},
        "details": "They asked me for a £50 registration fee by text message.",
        "contact_email": "worried.talent@example.com"})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert set(body) == {"id", "reference"} and body["reference"].startswith("R-")
    report = db.session.get(Report, body["id"])
    assert report.production_id == world.production.id and report.status == "open" and report.reporter_id is None
    mails = read_outbox(outbox)
    to_admins = next(m for m in mails if world.admin.email in m["To"])
    assert world.admin2.email in to_admins["To"] and body["reference"] in to_admins["Subject"]
    assert "registration fee by text" in to_admins.get_content() and "worried.talent@example.com" in to_admins.get_content()
    to_contact = next(m for m in mails if "safeguarding@harbourlight.example" in m["To"])
    assert world.production.title in to_contact.get_content()
    # The reporter's own address goes to the admins only.
    assert "worried.talent@example.com" not in to_contact.get_content()
    assert last_actions(1) == ["report.created"]
    entry = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    # Under no production: its members read their productions' entries, and must not learn who reported them.
    assert entry.production_id is None and entry.entity_type == "reports" and entry.entity_id == body["id"]
    assert json.loads(entry.data)["reference"] == body["reference"]


def test_reports_about_a_code_a_session_or_a_company(client, app):
    inv = make_callback()
    doc = by_kind(documents.issue_invitation_documents(inv, actor=None))["callback_confirmation"]
    db.session.commit()
    cases = [({"verification_code": doc.verification_code.lower()}, inv.session.production_id),
             ({"verification_code": "ZZZZ-ZZZZ-ZZZZ"}, None),  # a forged code is reported too
             ({"session_id": inv.session_id}, inv.session.production_id),
             ({"company_name": "Starmaker Global Talent"}, None)]
    for about, production_id in cases:
        r = client.post("/api/v1/reports", json={"about": about, "details": "Something is wrong with this."})
        assert r.status_code == 201, (about, r.get_json())
        assert db.session.get(Report, r.get_json()["id"]).production_id == production_id
    assert db.session.scalar(sa.select(Report.verification_code).where(Report.about == "verification_code")
                             .order_by(Report.id).limit(1)) == doc.verification_code


@pytest.mark.parametrize("payload,field", [
    ({"about": {}, "details": "Something is wrong."}, "about"),
    ({"about": {"production_id": 1, "company_name": "X"}, "details": "Something is wrong."}, "about"),
    ({"about": {"production_id": 424242}, "details": "Something is wrong."}, "about"),
    ({"about": {"production_id": "1"}, "details": "Something is wrong."}, "about"),
    ({"about": {"nonsense": 1}, "details": "Something is wrong."}, "about"),
    ({"about": {"company_name": "X"}, "details": "short"}, "details"),
    ({"about": {"company_name": "X"}, "details": "Something is wrong.", "contact_email": "not-an-email"}, "contact_email"),
    ({"about": {"company_name": "X\u0000"}, "details": "Something is wrong."}, "about"),
    ({"about": {"company_name": "X" * 201}, "details": "Something is wrong."}, "about"),
    ({"about": {"company_name": "X"}, "details": "x" * 5001}, "details"),
])
def test_bad_reports_are_422_and_change_nothing(client, world, payload, field):
    r = client.post("/api/v1/reports", json=payload)
    assert r.status_code == 422, r.get_json()
    assert field in r.get_json()["error"]["details"]["fields"]
    assert count(Report) == 0


def test_the_queue_is_for_admins_and_notes_move_a_report_along(client, world, outbox):
    talent_headers = auth(world.talent_user)
    ids = [client.post("/api/v1/reports", headers=talent_headers if i == 0 else {},
                       json={"about": {"company_name": f"Fake Co {i}"}, "details": "Asked for money upfront."}
                       ).get_json()["id"] for i in range(3)]
    for who in (world.cd, world.producer, world.talent_user):
        assert client.get("/api/v1/reports", headers=auth(who)).status_code == 403
    assert client.get("/api/v1/reports").status_code == 401
    admin = auth(world.admin)
    page = client.get("/api/v1/reports?per_page=2", headers=admin).get_json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["items"][0]["id"] == ids[-1]
    r = client.post(f"/api/v1/reports/{ids[0]}/status", headers=admin,
                    json={"status": "investigating", "note": "Called the reporter; asked for the texts."})
    assert r.status_code == 200 and r.get_json()["status"] == "investigating"
    assert r.get_json()["notes"][0]["author"] == world.admin.name
    # Open ones first: the report being investigated moves below the open ones.
    items = client.get("/api/v1/reports", headers=admin).get_json()["items"]
    assert [i["id"] for i in items] == [ids[2], ids[1], ids[0]]
    r = client.post(f"/api/v1/reports/{ids[0]}/status", headers=admin, json={"status": "done", "note": "x"})
    assert r.status_code == 422
    r = client.post(f"/api/v1/reports/{ids[0]}/status", headers=auth(world.cd),
                    json={"status": "closed", "note": "Nothing to see."})
    assert r.status_code == 403
    assert client.post(f"/api/v1/reports/{ids[0]}/status", headers=admin,
                       json={"status": "closed", "note": "Passed to Action Fraud."}).status_code == 200
    assert client.post(f"/api/v1/reports/{ids[0]}/status", headers=admin,
                       json={"status": "closed", "note": "Again."}).get_json()["error"]["code"] == "invalid_state"
    assert count(ReportNote) == 2
    assert "report.status_changed" in last_actions(3)
    # The signed-in reporter follows the status (never the admins' notes); anyone else gets 404.
    mine = client.get(f"/api/v1/reports/{ids[0]}", headers=talent_headers).get_json()
    assert mine["status"] == "closed" and "notes" not in mine and "details" not in mine
    assert client.get(f"/api/v1/reports/{ids[1]}", headers=talent_headers).status_code == 404
    assert client.get(f"/api/v1/reports/{ids[0]}", headers=auth(world.talent2_user)).status_code == 404
    assert client.get("/api/v1/reports/424242", headers=admin).status_code == 404


def test_the_form_from_a_letter_is_prefilled_and_works_without_an_account(client, app, outbox):
    inv = make_callback()
    doc = by_kind(documents.issue_invitation_documents(inv, actor=None))["callback_confirmation"]
    admin = make_user("admin")
    db.session.commit()
    page = client.get(f"/verify/{doc.verification_code}").get_data(as_text=True)
    assert f"/report?code={doc.verification_code}" in page
    form = client.get(f"/report?code={doc.verification_code}")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="verification_code"', html) and doc.verification_code[:4] in html
    r = client.post("/report", data={"about": "verification_code", "verification_code": doc.verification_code,
                                     "details": "The letter I got says a hotel on Park Lane, not this studio."})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    report = db.session.scalar(sa.select(Report))
    assert report.reference in html and report.production_id == inv.session.production_id
    assert any(admin.email in m["To"] for m in read_outbox(outbox))
    # Errors are shown on the fields, in plain words.
    r = client.post("/report", data={"about": "company_name", "company_name": "", "details": "hm"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Give the name of the company or person." in html and "at least 10 characters" in html.lower()
    assert "company_name:" not in html and "validation_error" not in html


def test_a_signed_in_talent_follows_the_status_of_their_reports(client, world):
    login(client, world.talent_user)
    r = client.post(f"/report?production_id={world.production.id}",
                    data={"about": "production", "production_id": str(world.production.id),
                          "details": "The casting director asked to meet me alone in a car park."})
    assert r.status_code == 200
    report = db.session.scalar(sa.select(Report))
    assert report.reporter_id == world.talent_user.id and report.production_id == world.production.id
    mine = client.get("/reports/mine").get_data(as_text=True)
    assert report.reference in mine and "received" in mine
    login(client, world.admin)
    queue = client.get("/admin/reports").get_data(as_text=True)
    assert report.reference in queue
    r = client.post(f"/admin/reports/{report.id}/status", data={"status": "investigating",
                                                               "note": "Production suspended meanwhile."})
    assert r.status_code == 302
    detail = client.get(f"/admin/reports/{report.id}").get_data(as_text=True)
    assert "Production suspended meanwhile." in detail and world.admin.name in detail
    login(client, world.talent_user)
    assert "being looked into" in client.get("/reports/mine").get_data(as_text=True)
    assert "Production suspended meanwhile." not in client.get("/reports/mine").get_data(as_text=True)
    assert client.get("/admin/reports").status_code == 403
    assert client.get(f"/admin/reports/{report.id}").status_code == 403


def test_the_form_escapes_hostile_input(client, world):
    login(client, world.admin)
    details = "<script>alert(1)</script> they asked for money"
    client.post("/report", data={"about": "company_name", "company_name": "<img src=x onerror=alert(1)>",
                                 "details": details})
    report = db.session.scalar(sa.select(Report))
    html = client.get(f"/admin/reports/{report.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    r = client.post("/report", data={"about": "company_name", "company_name": "Bad\u0000Co",
                                     "details": "Something is wrong here."})
    assert r.status_code == 422 and count(Report) == 1


def test_the_report_form_names_only_a_production_the_reporter_may_know(client, app):
    """A stranger cannot read a draft production's title by putting its id in the report link."""
    from tests.factories import make_production, make_user

    cd = make_user("casting_director")
    secret = make_production(cd, title="Untitled Bond Project")
    db.session.commit()
    page = client.get(f"/report?production_id={secret.id}").get_data(as_text=True)
    assert "Untitled Bond Project" not in page
    login(client, cd)
    assert "Untitled Bond Project" in client.get(f"/report?production_id={secret.id}").get_data(as_text=True)
