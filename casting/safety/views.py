"""Safety pages: the report form (anyone), the reporter's own reports, the admins' queue, suspending and
reinstating a production."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.callbacks.models import CallbackSession, Invitation
from casting.calls.models import OpenCall, OpenCallStatus
from casting.core.auth import current_actor, public
from casting.core.errors import ValidationError
from casting.core.forms import apply_errors
from casting.core.pagination import page_args, paginate
from casting.core.permissions import require_admin, valid_id
from casting.documents.codes import format_code, normalise_code
from casting.extensions import db
from casting.productions.access import can_see_production, visible_production
from casting.productions.models import Production
from casting.safety import reports, suspension
from casting.safety.forms import ReportForm, ReportStatusForm, SuspendForm, about_choices
from casting.safety.limits import report_limit
from casting.safety.models import ReportStatus

bp = Blueprint("safety", __name__)

REPORTS_PER_PAGE = 50


def may_name(production: Production | None, user) -> bool:
    """Whether a report page may print ``production``'s title to ``user``: a production in public (a published
    open call), one the user may see (a member, an admin), or one that invited or shortlisted this talent. Any
    other id stays "a production": a report form must not tell strangers what a draft production is called."""
    if production is None:
        return False
    if can_see_production(production, user):
        return True
    public = sa.select(OpenCall.id).where(OpenCall.production_id == production.id,
                                          OpenCall.status == OpenCallStatus.published).limit(1)
    if db.session.scalar(public) is not None:
        return True
    talent = getattr(user, "talent_profile", None) if user is not None else None
    if talent is None:
        return False
    invited = (sa.select(Invitation.id).join(CallbackSession, CallbackSession.id == Invitation.session_id)
               .where(CallbackSession.production_id == production.id, Invitation.talent_id == talent.id).limit(1))
    return db.session.scalar(invited) is not None


def _prefilled_production() -> Production | None:
    """The production named by ``?production_id=``, when the reporter may see its name (``may_name``); an id out
    of range, unknown or not theirs to name is none."""
    try:
        production_id = valid_id(request.values.get("production_id") or "")
    except ValueError:
        return None
    production = db.session.get(Production, production_id)
    return production if may_name(production, current_actor()) else None


@bp.route("/report", methods=["GET", "POST"])
@public
@report_limit()
def report_form():
    production = _prefilled_production()
    form = ReportForm()
    form.about.choices = about_choices(production)
    if request.method == "GET":
        code = request.args.get("code", "")[:40]
        form.verification_code.data = format_code(normalise_code(code)) if normalise_code(code) else code
        form.company_name.data = request.args.get("company", "")[:reports.REPORT_LIMITS["company_name"]]
        if production:
            form.production_id.data = str(production.id)
            form.about.data = "production"
        elif form.company_name.data:
            form.about.data = "company_name"
    elif form.validate_on_submit():
        try:
            report = reports.create_report(about=form.about_dict(), details=form.details.data,
                                           contact_email=form.contact_email.data, reporter=current_actor())
        except ValidationError as exc:
            fields = dict(exc.fields)
            if "about" in fields:  # shown on the field the reporter filled in
                fields[{"verification_code": "verification_code", "company_name": "company_name"}.get(
                    form.about.data, "about")] = fields.pop("about")
            apply_errors(form, ValidationError(fields))
        else:
            return render_template("safety/report_sent.html", report=report)
    return render_template("safety/report_form.html", form=form, production=production), \
        422 if form.errors else 200


@bp.get("/reports/mine")
@login_required
def my_reports():
    page = paginate(reports.reports_by(current_user), *page_args(request.args, per_page=REPORTS_PER_PAGE,
                                                                  lenient=True))
    return render_template("safety/my_reports.html", reports=page.items, page=page,
                           may_name=lambda production: may_name(production, current_user))


@bp.get("/admin/reports")
@login_required
def queue():
    require_admin(current_user)
    page = paginate(reports.queue(), *page_args(request.args, per_page=REPORTS_PER_PAGE, lenient=True))
    return render_template("safety/queue.html", reports=page.items, page=page, describe=reports.describe_about)


def _render_report(report, form=None, status: int = 200):
    form = form or ReportStatusForm(status=ReportStatus.investigating if report.status == ReportStatus.open
                                    else report.status)
    return render_template("safety/report_detail.html", report=report, form=form,
                           about=reports.describe_about(report)), status


def _admin_report(report_id: int):
    require_admin(current_user)
    report = reports.report_with_notes(report_id)
    if report is None:
        abort(404)
    return report


@bp.get("/admin/reports/<int:report_id>")
@login_required
def report_detail(report_id: int):
    return _render_report(_admin_report(report_id))


@bp.post("/admin/reports/<int:report_id>/status")
@login_required
def report_status(report_id: int):
    report = _admin_report(report_id)
    form = ReportStatusForm()
    if form.validate_on_submit():
        try:
            reports.set_status(report, status=form.status.data, note=form.note.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(f"Report {report.reference} is now {report.status}.", "success")
            return redirect(url_for("safety.report_detail", report_id=report.id))
    return _render_report(report, form, 422)


@bp.route("/productions/<int:production_id>/suspend", methods=["GET", "POST"])
@login_required
def suspend(production_id: int):
    production = visible_production(production_id, current_user)
    require_admin(current_user)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            suspension.suspend_production(production, reason=form.reason.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(f"{production.title} is suspended. Another admin must reinstate it.", "success")
            return redirect(url_for("productions.detail", production_id=production.id))
    return render_template("safety/suspend.html", production=production, form=form), 422 if form.errors else 200


@bp.post("/productions/<int:production_id>/reinstate")
@login_required
def reinstate(production_id: int):
    production = visible_production(production_id, current_user)
    require_admin(current_user)
    suspension.reinstate_production(production, actor=current_user)
    flash(f"{production.title} is reinstated.", "success")
    return redirect(url_for("productions.detail", production_id=production.id))
