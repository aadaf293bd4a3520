"""Jobs: recorded in the caller's transaction, enqueued only after it commits, progress that resumes after a
failure, and who may see a job (API and page). The worker itself: tests/jobs/test_worker.py."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.core.aftercommit import after_commit, pending_work, run_after_commit
from casting.extensions import db
from casting.jobs import queue, services
from casting.jobs.models import Job, JobStatus
from casting.jobs.registry import handler
from tests.conftest import auth, count, login
from tests.factories import make_user

RUNS: list[tuple[int, object]] = []
FAIL_AT: dict[int, int] = {}


@handler("test.each")
def _each(run):
    """Counts items; fails once at item FAIL_AT[job id] (then the retry resumes)."""
    run.result.setdefault("seen", [])
    for item in run.each(run.payload["items"]):
        if FAIL_AT.get(run.job_id) == item:
            del FAIL_AT[run.job_id]
            raise RuntimeError(f"boom at {item}")
        RUNS.append((run.job_id, item))
        run.result["seen"].append(item)


def test_a_job_is_enqueued_only_after_its_transaction_commits(app):
    RUNS.clear()
    user = make_user("casting_director")
    db.session.commit()
    job = services.start("test.each", {"items": [1, 2]}, user)
    job_id = job.id
    assert pending_work() == 1 and RUNS == []
    db.session.rollback()  # nothing enqueued, no row
    assert pending_work() == 0 and count(Job) == 0
    run_after_commit()
    assert RUNS == []

    job = services.start("test.each", {"items": [1, 2, 3]}, user)
    job_id = job.id
    assert RUNS == []  # not before the commit
    db.session.commit()
    assert RUNS == []  # committed; the work runs when the committer runs it (a request does, right after)
    run_after_commit()
    assert RUNS == [(job_id, 1), (job_id, 2), (job_id, 3)]
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    assert (job.status, job.done, job.total, job.result_data) == (JobStatus.done, 3, 3, {"seen": [1, 2, 3]})
    assert job.created_by_id == user.id and job.started_at and job.finished_at


def test_a_failed_job_is_retried_and_resumes_after_the_last_committed_item(app):
    RUNS.clear()
    app.config["CASTING_JOBS_RETRIES"] = 2  # as a worker runs it (immediate mode gives up at once)
    job = services.start("test.each", {"items": [1, 2, 3, 4]})
    FAIL_AT[job.id] = 3
    job_id = job.id
    db.session.commit()
    run_after_commit()  # enqueued: in-process it runs now, fails at item 3 (huey logs it and would retry)
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    assert (job.status, job.done, job.attempts) == (JobStatus.queued, 2, 1) and "boom at 3" in job.error
    queue.run_job(job_id)  # the retry
    assert RUNS == [(job_id, 1), (job_id, 2), (job_id, 3), (job_id, 4)]  # 1 and 2 not done twice
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    assert (job.status, job.done, job.attempts, job.error) == (JobStatus.done, 4, 2, None)
    assert job.result_data == {"seen": [1, 2, 3, 4]}
    queue.run_job(job_id)  # enqueued twice (a sweep, a restart): a finished job is not run again
    assert len(RUNS) == 4


def test_a_job_failing_every_try_is_failed(app):
    app.config["CASTING_JOBS_RETRIES"] = 0
    job = services.start("test.each", {"items": [1]})
    FAIL_AT[job.id] = 1
    db.session.commit()
    with pytest.raises(RuntimeError):
        queue.run_job(job.id)  # what the worker runs: it raises, so huey retries (here: no retries left)
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.failed and job.finished_at and "boom" in job.error


def test_interrupted_and_stale_jobs_are_enqueued_again(app):
    RUNS.clear()
    job = Job(kind="test.each", payload='{"items": [7]}', status=JobStatus.running)  # its worker died
    db.session.add(job)
    db.session.commit()
    assert queue.requeue_interrupted() == [job.id]  # immediate mode: it ran at once
    assert RUNS == [(job.id, 7)] and db.session.get(Job, job.id).status == JobStatus.done
    assert queue.requeue_stale() == []


def test_after_commit_work_is_dropped_on_rollback_and_runs_in_order(app):
    ran = []
    after_commit(lambda: ran.append("a"))
    db.session.rollback()
    after_commit(lambda: ran.append("b"))
    after_commit(lambda: ran.append("c"))
    db.session.commit()
    run_after_commit()
    assert ran == ["b", "c"]


def _job_for(user):
    job = services.start("test.each", {"items": [1]}, user)
    db.session.commit()
    run_after_commit()
    return db.session.get(Job, job.id)


def test_who_may_see_a_job(app, client):
    owner = make_user("casting_director", name="Olive Owner")
    other = make_user("casting_director")
    admin = make_user("admin")
    db.session.commit()
    job = _job_for(owner)
    resp = client.get(f"/api/v1/jobs/{job.id}", headers=auth(owner))
    assert resp.status_code == 200
    assert resp.json == {"id": job.id, "kind": "test.each", "status": "done", "done": 1, "total": 1,
                         "result": {"seen": [1]}}
    assert client.get(f"/api/v1/jobs/{job.id}", headers=auth(admin)).status_code == 200
    assert client.get(f"/api/v1/jobs/{job.id}", headers=auth(other)).json["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/jobs/{job.id + 1}", headers=auth(owner)).status_code == 404


def test_the_job_page_shows_progress_and_reloads_itself_without_script(app, client):
    owner = make_user("casting_director")
    other = make_user("producer")
    db.session.commit()
    job = Job(kind="test.each", payload="{}", status=JobStatus.running, done=3, total=40, created_by_id=owner.id)
    db.session.add(job)
    db.session.commit()
    login(client, owner)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "running" in page and 'value="3"' in page and 'max="40"' in page and "3 of 40" in page
    assert '<noscript><meta http-equiv="refresh"' in page and "js/job.js" in page and "<script>" not in page
    assert client.get(f"/jobs/{job.id}/status").json["done"] == 3
    job.status, job.done = JobStatus.done, 40
    db.session.commit()
    assert "refresh" not in client.get(f"/jobs/{job.id}").get_data(as_text=True)
    login(client, other)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/jobs/{job.id}/status").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 1
