"""POST /api/v1/audit/verify walks the chain in a background job (issue 9): the job's result is the same answer
GET /audit/verify gives, its progress reaches the chain's length, and a broken chain is reported by the job."""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit import services as audit
from casting.audit.models import AuditEntry
from casting.extensions import db
from tests.audit.helpers import drop_triggers, restore_triggers
from tests.conftest import auth as auth_header
from tests.factories import make_user


def _entries(n: int) -> None:
    for i in range(n):
        audit.record("note.added", entity_type="note", entity_id=i, data={"i": i})
    db.session.commit()


def test_a_verify_job_answers_what_the_request_answers(app, client):
    admin = make_user("admin")
    _entries(30)
    headers = auth_header(admin)
    started = client.post("/api/v1/audit/verify", headers=headers)
    assert started.status_code == 202
    job = client.get(f"/api/v1/jobs/{started.json['job_id']}", headers=headers).json
    assert job["kind"] == "audit.verify" and job["status"] == "done"
    direct = client.get("/api/v1/audit/verify", headers=headers).json
    # Reading adds no entry, so both walked the same chain.
    assert job["result"]["ok"] is True and job["result"]["head"] == direct["head"]
    assert job["result"]["entries"] == direct["entries"] >= 30
    assert job["done"] == job["total"] == direct["entries"]


def test_a_verify_job_reports_a_rewritten_entry(app, client):
    admin = make_user("admin")
    _entries(5)
    victim = db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == "note.added")
                               .order_by(AuditEntry.id).limit(1))
    db.session.rollback()  # the test's own transaction holds SQLite's write lock
    with db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(sa.text("UPDATE audit_entries SET data = :d WHERE id = :i"), {"d": '{"i":99}', "i": victim})
        restore_triggers(conn)
    headers = auth_header(admin)
    job_id = client.post("/api/v1/audit/verify", json={}, headers=headers).json["job_id"]
    result = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json["result"]
    assert result["ok"] is False and result["first_bad_id"] == victim


def test_only_admins_start_a_verify_job(app, client):
    producer = make_user("producer")
    response = client.post("/api/v1/audit/verify", headers=auth_header(producer))
    assert response.status_code in (403, 404)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("jobs"))) == 0
