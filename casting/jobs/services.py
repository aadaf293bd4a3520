"""Starting jobs, and who may see them."""
from __future__ import annotations

import json
from functools import partial

import sqlalchemy as sa

from casting.core.aftercommit import after_commit
from casting.core.db import utcnow
from casting.core.errors import NotFound
from casting.core.permissions import get_or_404
from casting.extensions import db
from casting.jobs import queue
from casting.jobs.models import Job, JobStatus
from casting.jobs.registry import handler_for


def start(kind: str, payload: dict | None = None, actor=None) -> Job:
    """Record a job in the caller's transaction; it is enqueued only once that transaction commits
    (nothing is enqueued if it rolls back)."""
    handler_for(kind)  # an unknown kind fails now, not in the worker
    job = Job(kind=kind, status=JobStatus.queued, payload=json.dumps(payload or {}),
              created_by_id=getattr(actor, "id", None))
    db.session.add(job)
    db.session.flush()
    after_commit(partial(queue.enqueue, job.id))
    return job


def report_progress(job_id: int, done: int, total: int) -> None:
    """Record a long handler's progress at once, on a connection of its own: the handler may be inside a
    read transaction (e.g. walking the audit chain) that must not become a writer."""
    with db.engine.begin() as connection:
        connection.execute(sa.update(Job).where(Job.id == job_id).values(done=done, total=total, updated_at=utcnow()))


def visible_job(job_id, user) -> Job:
    """The job if ``user`` started it or is an admin; else 404."""
    job = get_or_404(Job, job_id)
    if user is None or not (user.is_admin or job.created_by_id == user.id):
        raise NotFound()
    return job


def job_json(job: Job) -> dict:
    """The API's view of a job (API.md "Bulk work")."""
    return {"id": job.id, "kind": job.kind, "status": job.status, "done": job.done, "total": job.total,
            "result": job.result_data}
