"""The real worker: `flask --app casting worker` as a subprocess (process workers), on SqliteHuey storage and on
Redis (when it answers on 127.0.0.1:6379, as here and in CI), against the test's own app database."""
from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from casting.callbacks.models import Invitation
from casting.core.aftercommit import run_after_commit
from casting.documents import issuing
from casting.documents.models import Document, DocumentStatus
from casting.extensions import db
from casting.jobs.models import Job, JobStatus
from tests.callbacks.factories import make_ready_session
from tests.conftest import auth, read_outbox
from tests.documents.factories import make_callback
from tests.documents.helpers import pdf_of, text_of
from tests.factories import make_shortlist_entry, make_talent
from tests.jobs.worker import start_worker, stop_worker, wait_for

REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(params=["sqlite", "redis"])
def app_config(request, tmp_path):
    if request.param == "redis" and not redis_answers():
        if os.environ.get("CALLBACK_REQUIRE_REDIS"):  # .ci/run: the Redis path must be tested
            pytest.fail("no Redis on 127.0.0.1:6379 (CALLBACK_REQUIRE_REDIS is set)")
        pytest.skip("no Redis on 127.0.0.1:6379")
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}" if request.param == "sqlite" else "redis://127.0.0.1:6379/0"
    return {"CASTING_JOBS_IMMEDIATE": False, "CASTING_JOBS_URL": url,
            "CASTING_JOBS_NAME": f"callback-test-{uuid.uuid4().hex[:12]}"}


def test_the_worker_renders_documents_a_commit_left_pending(app, outbox):
    inv = make_callback(recorded=True)
    cd = inv.session.lead_casting_director
    documents = issuing.issue_invitation_documents(inv, actor=cd, defer=True)  # outside a request: a job renders
    ids = [d.id for d in documents]
    assert all(d.status == DocumentStatus.pending and d.blob_sha256 is None for d in documents)
    job_id = db.session.scalar(sa.select(Job.id).where(Job.kind == issuing.COMPLETE_JOB))
    db.session.commit()
    run_after_commit()  # enqueues it on the configured storage (no worker yet: it waits there)
    assert db.session.get(Job, job_id).status == JobStatus.queued
    worker = start_worker(app)
    try:
        job = wait_for(job_id, worker)
    finally:
        log = stop_worker(worker)
    assert job.status == JobStatus.done, log
    assert sorted(job.result_data["rendered"]) == sorted(ids)
    db.session.expire_all()
    for doc_id in ids:
        doc = db.session.get(Document, doc_id)
        assert doc.status == DocumentStatus.issued and doc.render_context is None
        assert doc.serial in text_of(pdf_of(doc))
    assert "process" in log and "worker" in log
    # The mail to the guardian-less talent carried no documents; the worker sent nothing it should not have.
    assert all("Please read and sign" not in m["Subject"] for m in read_outbox(outbox))


def test_a_bulk_invitation_posted_to_the_app_is_done_by_the_worker(app, client, outbox):
    s = make_ready_session(scheduled=True, slot_minutes=10)
    talents = [make_talent(legal_name=f"Worker Talent {i}") for i in range(3)]
    for t in talents:
        make_shortlist_entry(s.roles[0], t, by=s.lead_casting_director)
    db.session.commit()
    headers = auth(s.lead_casting_director)
    resp = client.post(f"/api/v1/sessions/{s.id}/invitations/bulk", headers=headers,
                       json={"role_id": s.roles[0].id, "talent_ids": [t.id for t in talents]})
    assert resp.status_code == 202
    job_id = resp.json["job_id"]
    assert client.get(f"/api/v1/jobs/{job_id}", headers=headers).json["status"] == "queued"  # no worker yet
    worker = start_worker(app)
    try:
        wait_for(job_id, worker)
        rendering = list(db.session.scalars(sa.select(Job.id).where(Job.kind == issuing.COMPLETE_JOB)))
        db.session.commit()
        for render_job in rendering:  # each invitation's letters: jobs of their own, on the other processes
            wait_for(render_job, worker)
    finally:
        log = stop_worker(worker)
    job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json
    assert (job["status"], job["done"], job["total"], job["result"]["skipped"]) == ("done", 3, 3, []), log
    assert len(rendering) == 3
    for n, inv_id in enumerate(job["result"]["invitations"]):
        inv = db.session.get(Invitation, inv_id)
        assert inv.starts_at == s.starts_at + timedelta(minutes=10 * n)
        [doc] = db.session.scalars(sa.select(Document).where(Document.invitation_id == inv_id)).all()
        assert doc.status == DocumentStatus.issued and inv.talent.legal_name in text_of(pdf_of(doc))
    invited = sorted(m["To"] for m in read_outbox(outbox) if "Callback invitation" in m["Subject"])
    assert invited == sorted(t.email for t in talents)
