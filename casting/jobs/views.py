"""A job's progress page: static/js/job.js polls the JSON; without script the page reloads itself."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required

from casting.jobs.services import job_json, visible_job

bp = Blueprint("jobs", __name__)


@bp.get("/jobs/<int:job_id>")
@login_required
def show(job_id: int):
    job = visible_job(job_id, current_user)
    return render_template("jobs/show.html", job=job, data=job_json(job))


@bp.get("/jobs/<int:job_id>/status")
@login_required
def status(job_id: int):
    """The same JSON as the API's, for the page's script (session cookie, no token)."""
    return jsonify(job_json(visible_job(job_id, current_user)))
