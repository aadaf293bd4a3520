"""The jobs API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.core import openapi as oa
from casting.jobs.models import JobStatus

JOB = oa.schema("Job", oa.obj({
    "id": oa.ident(), "kind": oa.string(), "status": oa.string(enum=[s.value for s in JobStatus]),
    "done": oa.integer(minimum=0), "total": oa.integer(minimum=0), "result": oa.nullable(oa.any_object()),
}))

oa.declare("jobs_api", "Jobs", {
    "get_job": oa.Operation(
        "A background job's progress",
        "Whoever started the job, and admins, see its status (queued, running, done, failed), how many items "
        "are done of how many, and its result: the per-item outcome, e.g. `{invitations: [ids], skipped: "
        "[{talent_id, code}]}` for a bulk invitation. Anyone else gets 404.",
        {200: JOB}),
}, description="Work that touches many rows or renders many PDFs runs in the background.", last=True)
