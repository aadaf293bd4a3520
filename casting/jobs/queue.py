"""The huey queue: one per app, built from CASTING_JOBS_URL, and the task that runs a recorded job.

- ``sqlite:///<path>``: SqliteHuey, a file beside the database (the embedded default: nothing to start).
- ``redis://...``: RedisHuey (production; several app servers and workers share it).
- CASTING_JOBS_IMMEDIATE: each job runs in-process as soon as it is enqueued (tests).

Features' periodic tasks (``registry.periodic``, e.g. the hourly reminders) run on the worker's schedule too.

The queue carries only job ids; what to do and how far it got are in the ``jobs`` table, so a job
retried (after an error, or because its worker died) resumes where its last commit left it.
"""
from __future__ import annotations

import json
import time
import traceback
from datetime import timedelta
from typing import Iterable, Iterator

import sqlalchemy as sa
from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab

from casting.core.aftercommit import run_after_commit
from casting.core.database import background_writer, lock_for_write
from casting.core.db import utcnow
from casting.extensions import db
from casting.jobs.models import Job, JobStatus
from casting.jobs.registry import PERIODIC, handler_for

RUN_TASK = "casting.jobs.run"
SWEEP_TASK = "casting.jobs.sweep"
# A running job that has not reported progress for this long is taken to be lost (its worker died).
STALE_AFTER = timedelta(minutes=10)
# After each item a job commits, it leaves the write lock free this long before taking it for the next one, so a
# request waiting for the lock (it tries every millisecond: core/database.py) gets in between two items.
ITEM_GAP_SECONDS = 0.005


def make_huey(app: Flask):
    """The huey instance of ``app``'s settings, with the job task and the sweep registered on it."""
    cfg = app.config
    url, name = cfg["CASTING_JOBS_URL"], cfg["CASTING_JOBS_NAME"]
    if cfg["CASTING_JOBS_IMMEDIATE"]:
        huey = MemoryHuey(name, immediate=True)
    elif url.startswith("sqlite:///"):
        huey = SqliteHuey(name, filename=url[len("sqlite:///"):])
    elif url.startswith(("redis://", "rediss://", "unix://")):
        huey = RedisHuey(name, url=url)
    else:
        raise ValueError(f"CASTING_JOBS_URL must be sqlite:///<path> or redis://..., not {url!r}")
    # In-process (immediate) runs are not retried by huey; the job stays queued for a worker's sweep unless
    # CASTING_JOBS_RETRIES is 0.
    retries = 0 if cfg["CASTING_JOBS_IMMEDIATE"] else cfg["CASTING_JOBS_RETRIES"]

    @huey.task(name=RUN_TASK, retries=retries, retry_delay=cfg["CASTING_JOBS_RETRY_DELAY"])
    def run(job_id: int) -> None:
        with app.app_context():
            background_writer()
            run_job(job_id)

    @huey.periodic_task(crontab(minute="*/5"), name=SWEEP_TASK)
    def sweep() -> None:
        with app.app_context():
            background_writer()
            requeue_stale()

    for name, (schedule, fn) in sorted(PERIODIC.items()):
        _periodic(app, huey, name, schedule, fn)

    @huey.on_startup()
    def fresh_connections() -> None:
        # A forked worker must not share the parent's database connections.
        with app.app_context():
            db.engine.dispose(close=False)

    huey.callback_run_task = run
    return huey


def _periodic(app: Flask, huey, name: str, schedule: dict, fn) -> None:
    """A feature's periodic task (``registry.periodic``) on ``huey``, run in an app context as background work."""
    @huey.periodic_task(crontab(**schedule), name=name)
    def task() -> None:
        with app.app_context():
            background_writer()
            fn()


def get_huey(app: Flask | None = None):
    """The app's huey (built on first use)."""
    app = app or current_app._get_current_object()
    if "huey" not in app.extensions:
        app.extensions["huey"] = make_huey(app)
    return app.extensions["huey"]


def enqueue(job_id: int) -> None:
    """Put the job on the queue (in immediate mode: run it now, in a fresh app context)."""
    get_huey().callback_run_task(job_id)


class JobRun:
    """What a handler is given: the payload, the result it builds, and ``each`` for resumable progress."""

    def __init__(self, job: Job) -> None:
        self.job_id = job.id
        self.kind = job.kind
        self.payload = job.payload_data
        self.result: dict = job.result_data or {}
        self.created_by_id = job.created_by_id

    def each(self, items: Iterable) -> Iterator:
        """Yield the items not done yet. The work done for an item and the job's progress (``done`` and
        ``result``) commit together after it, in one short transaction each, so a retry resumes after the
        last item committed and never does one twice."""
        items = list(items)
        job = db.session.get(Job, self.job_id)
        job.total = len(items)
        db.session.commit()
        for index, item in enumerate(items):
            lock_for_write()
            job = db.session.get(Job, self.job_id)
            db.session.refresh(job)
            if job.done > index:  # committed by an earlier try (or by a twin run of this job)
                self.result = job.result_data or {}
                continue
            yield item
            job.done = index + 1
            job.result = json.dumps(self.result)
            job.updated_at = utcnow()
            db.session.commit()
            run_after_commit()
            time.sleep(ITEM_GAP_SECONDS)


def run_job(job_id: int) -> None:
    """Run one recorded job to the end, or record why it failed (and raise, so huey retries it)."""
    job = db.session.get(Job, job_id)
    if job is None or job.finished:
        db.session.rollback()
        return
    job.status = JobStatus.running
    job.started_at = job.started_at or utcnow()
    job.attempts += 1
    job.updated_at = utcnow()
    db.session.commit()
    run = JobRun(job)
    try:
        answer = handler_for(run.kind)(run)
        if db.session().in_transaction():
            db.session.commit()
        run_after_commit()
    except Exception as exc:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        final = job.attempts > current_app.config["CASTING_JOBS_RETRIES"]
        job.status = JobStatus.failed if final else JobStatus.queued
        job.error = "".join(traceback.format_exception_only(exc)).strip()[:2000]
        job.updated_at = utcnow()
        if final:
            job.finished_at = utcnow()
        db.session.commit()
        current_app.logger.warning("job %s (%s) failed, try %s: %s", job_id, run.kind, job.attempts, job.error)
        raise
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    if answer is not None:
        run.result = answer
    job.status = JobStatus.done
    job.result = json.dumps(run.result)
    job.error = None
    job.done = max(job.done, job.total)
    job.finished_at = job.updated_at = utcnow()
    db.session.commit()


def requeue_stale(now=None) -> list[int]:
    """Enqueue again the jobs whose worker seems lost: running without progress for STALE_AFTER, or queued
    for as long (their queue entry was lost). Handlers are idempotent, so a job enqueued twice is harmless."""
    cutoff = (now or utcnow()) - STALE_AFTER
    ids = list(db.session.scalars(sa.select(Job.id).where(
        Job.status.in_((JobStatus.queued, JobStatus.running)), Job.updated_at < cutoff).order_by(Job.id)))
    if ids:  # stamped, so the next sweep leaves them alone for another STALE_AFTER (no pile of copies)
        lock_for_write()
        db.session.execute(sa.update(Job).where(Job.id.in_(ids)).values(updated_at=utcnow()))
        db.session.commit()
    else:
        db.session.rollback()
    for job_id in ids:
        enqueue(job_id)
    return ids


def requeue_interrupted() -> list[int]:
    """At worker start: enqueue again every job left running (its worker stopped mid-way)."""
    ids = list(db.session.scalars(sa.select(Job.id).where(Job.status == JobStatus.running).order_by(Job.id)))
    db.session.rollback()
    for job_id in ids:
        enqueue(job_id)
    return ids
