"""JSON API: reporting a concern, the admins' queue, suspending and reinstating a production."""
from __future__ import annotations

from flask import jsonify

from casting.core.api import Field, api_blueprint, created, iso, json_body, optional_json_body, paginate, validate
from casting.core.auth import current_actor, public
from casting.core.errors import NotFound
from casting.core.permissions import get_or_404, require_admin
from casting.productions.access import visible_production
from casting.safety import reports, suspension
from casting.safety.limits import report_limit
from casting.safety.models import Report, ReportStatus

bp = api_blueprint("safety_api", __name__)

REPORT_FIELDS = {
    # ``about`` is checked by the service (exactly one of production_id, session_id, verification_code,
    # company_name) so the form and the API give the same answers.
    "about": Field("dict"),
    "details": Field("text", max_length=reports.REPORT_LIMITS["details"]),
    "contact_email": Field("email", required=False, nullable=True,
                           max_length=reports.REPORT_LIMITS["contact_email"]),
}
STATUS_FIELDS = {
    "status": Field(choices=[s.value for s in ReportStatus]),
    "note": Field("text", max_length=reports.REPORT_LIMITS["note"]),
}
SUSPEND_FIELDS = {"reason": Field("text", max_length=suspension.SUSPENSION_LIMITS["reason"])}


def about_json(r: Report) -> dict:
    value = {"production": r.production_id, "session": r.session_id, "verification_code": r.verification_code,
             "company_name": r.company_name}[r.about]
    key = {"production": "production_id", "session": "session_id"}.get(r.about, r.about)
    return {key: value}


def report_json(r: Report, *, admin: bool = True) -> dict:
    out = {"id": r.id, "reference": r.reference, "about": about_json(r), "status": r.status,
           "created_at": iso(r.created_at), "updated_at": iso(r.updated_at)}
    if admin:
        out.update({"details": r.details, "contact_email": r.contact_email, "production_id": r.production_id,
                    "reporter_id": r.reporter_id})
    return out


def report_detail_json(r: Report) -> dict:
    return {**report_json(r), "notes": [{"id": n.id, "status": n.status, "note": n.note, "author_id": n.author_id,
                                         "author": n.author.name, "created_at": iso(n.created_at)} for n in r.notes]}


def production_state_json(p) -> dict:
    return {"id": p.id, "suspended": p.suspended, "suspended_at": iso(p.suspended_at),
            "suspended_by": p.suspended_by_id, "suspension_reason": p.suspension_reason}


@bp.post("/reports")
@public
@report_limit()
def create_report():
    data = validate(json_body(), REPORT_FIELDS)
    report = reports.create_report(about=data["about"], details=data["details"],
                                   contact_email=data.get("contact_email"), reporter=current_actor())
    return created({"id": report.id, "reference": report.reference})


@bp.get("/reports")
def queue():
    require_admin(current_actor())
    return paginate(reports.queue(), report_json)


@bp.get("/reports/<int:report_id>")
def get_report(report_id: int):
    actor = current_actor()
    report = reports.report_with_notes(report_id)
    if report is None:
        raise NotFound()
    if actor.is_admin:
        return jsonify(report_detail_json(report))
    if report.reporter_id != actor.id:
        raise NotFound()
    return jsonify(report_json(report, admin=False))


@bp.post("/reports/<int:report_id>/status")
def set_status(report_id: int):
    actor = current_actor()
    require_admin(actor)
    report = get_or_404(Report, report_id)
    data = validate(json_body(), STATUS_FIELDS)
    reports.set_status(report, status=data["status"], note=data["note"], actor=actor)
    return jsonify(report_detail_json(reports.report_with_notes(report.id)))


@bp.post("/productions/<int:production_id>/suspend")
def suspend(production_id: int):
    actor = current_actor()
    production = visible_production(production_id, actor)
    require_admin(actor)
    data = validate(json_body(), SUSPEND_FIELDS)
    return jsonify(production_state_json(suspension.suspend_production(production, reason=data["reason"],
                                                                       actor=actor)))


@bp.post("/productions/<int:production_id>/reinstate")
def reinstate(production_id: int):
    actor = current_actor()
    production = visible_production(production_id, actor)
    require_admin(actor)
    optional_json_body()
    return jsonify(production_state_json(suspension.reinstate_production(production, actor=actor)))
