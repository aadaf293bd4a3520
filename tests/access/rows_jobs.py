"""Matrix rows for background jobs: whoever started a job and admins see it; everyone else is told it does not
exist."""
from __future__ import annotations

import json

from casting.extensions import db
from casting.jobs.models import Job, JobStatus
from tests.access.matrix import Row, expect

SEE_PAGE = expect(404, anonymous=302, admin=200, cd_own=200)
SEE_API = expect(404, anonymous=401, admin=200, cd_own=200)


def extend(world) -> None:
    job = Job(kind="callbacks.bulk_invite", status=JobStatus.done, done=1, total=1, payload="{}",
              result=json.dumps({"invitations": [], "skipped": []}), created_by_id=world.users["cd_own"].id)
    db.session.add(job)
    db.session.flush()
    world.extra["job"] = job


ROWS = [
    Row("GET", "jobs.show", lambda w: f"/jobs/{w.job.id}", SEE_PAGE),
    Row("GET", "jobs.status", lambda w: f"/jobs/{w.job.id}/status", SEE_PAGE),
    Row("GET", "jobs_api.get_job", lambda w: f"/api/v1/jobs/{w.job.id}", SEE_API),
]
