"""Running the real worker from a test: `flask --app casting worker` as a subprocess with the test app's settings.

Its output goes to a file (a pipe nobody reads until the end would fill up and stall the worker's logging)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casting.extensions import db
from casting.jobs.models import Job

ROOT = Path(__file__).resolve().parents[2]


def start_worker(app, workers: int = 2) -> subprocess.Popen:
    """`flask --app casting worker -w N` with the test app's settings, in this checkout."""
    cfg = app.config
    env = {**os.environ, "DATABASE_URL": cfg["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": cfg["SECRET_KEY"],
           "MAIL_OUTBOX_DIR": cfg["MAIL_OUTBOX_DIR"], "PUBLIC_BASE_URL": cfg["PUBLIC_BASE_URL"],
           "CASTING_JOBS_URL": cfg["CASTING_JOBS_URL"], "CASTING_JOBS_NAME": cfg["CASTING_JOBS_NAME"],
           "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1",
           "CALLBACK_CONFIG_JSON": json.dumps({"CASTING_JOBS_RETRY_DELAY": 1})}
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "casting", "worker", "-w", str(workers)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log_file = log
    return proc


def stop_worker(proc: subprocess.Popen) -> str:
    """Stop it as Ctrl-C does (huey finishes the tasks in hand); answer what it printed."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.log_file.seek(0)
    out = proc.log_file.read().decode(errors="replace")
    proc.log_file.close()
    return out


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
