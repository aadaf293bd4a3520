"""The real worker: `flask --app casting worker` as a subprocess (process workers), on SqliteHuey storage and on
Redis (when it answers on 127.0.0.1:6379, as here and in CI), against the test's own app database."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from casting.core.aftercommit import run_after_commit
from casting.documents import issuing
from casting.documents.models import Document, DocumentStatus
from casting.extensions import db
from casting.jobs.models import Job, JobStatus
from tests.conftest import read_outbox
from tests.documents.factories import make_callback
from tests.documents.helpers import pdf_of, text_of

ROOT = Path(__file__).resolve().parents[2]
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
        pytest.skip("no Redis on 127.0.0.1:6379")
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}" if request.param == "sqlite" else "redis://127.0.0.1:6379/0"
    return {"CASTING_JOBS_IMMEDIATE": False, "CASTING_JOBS_URL": url,
            "CASTING_JOBS_NAME": f"callback-test-{uuid.uuid4().hex[:12]}"}


def start_worker(app, workers: int = 2) -> subprocess.Popen:
    """`flask --app casting worker -w N` with the test app's settings, in this checkout."""
    cfg = app.config
    env = {**os.environ, "DATABASE_URL": cfg["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": cfg["SECRET_KEY"],
           "MAIL_OUTBOX_DIR": cfg["MAIL_OUTBOX_DIR"], "PUBLIC_BASE_URL": cfg["PUBLIC_BASE_URL"],
           "CASTING_JOBS_URL": cfg["CASTING_JOBS_URL"], "CASTING_JOBS_NAME": cfg["CASTING_JOBS_NAME"],
           "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1", "CALLBACK_CONFIG_JSON": json.dumps({"CASTING_JOBS_RETRY_DELAY": 1})}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "casting", "worker", "-w", str(workers)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def stop_worker(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT if not os.environ.get("DEBUG_WORKER") else signal.SIGABRT)  # huey's graceful stop
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out.decode(errors="replace")


def wait_for(job_id: int, worker: subprocess.Popen, timeout: float = 120) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.poll() is None:
        job = db.session.get(Job, job_id)
        db.session.refresh(job)
        finished = job.finished
        db.session.commit()  # hold no lock while waiting (reading job.* now would begin a new transaction)
        if finished:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} not finished; worker said:\n" + stop_worker(worker))


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
