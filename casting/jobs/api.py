"""JSON API: a job's progress (API.md "Bulk work")."""
from __future__ import annotations

from flask import jsonify

from casting.core.api import api_blueprint
from casting.core.auth import current_actor
from casting.jobs.services import job_json, visible_job

bp = api_blueprint("jobs_api", __name__)


@bp.get("/jobs/<int:job_id>")
def get_job(job_id: int):
    return jsonify(job_json(visible_job(job_id, current_actor())))
