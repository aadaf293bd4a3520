"""Open-call pages: the public page and applying, a production's calls, the submissions of a call."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.attributes import set_committed_value

from casting.calls import access, search, services, shortlists
from casting.calls.files import blob_response
from casting.calls.search import SubmissionFilters
from casting.calls.forms import BULK_NOTE_LABEL, ApplyForm, BulkShortlistForm, OpenCallForm
from casting.calls.models import OpenCall, OpenCallStatus, ShortlistEntry, Submission
from casting.core.auth import current_actor, public
from casting.core.errors import (
    NotFound,
    TooLarge,
    UnsupportedMediaType,
    ValidationError,
)
from casting.core.forms import apply_errors, choices
from casting.core.pagination import after_arg, page_args, paginate
from casting.core.permissions import MAX_ID, get_or_404
from casting.core.templating import template_globals
from casting.core.uploads import check_image, check_pdf
from casting.extensions import db
from casting.productions.access import (
    can_manage,
    can_see_production,
    require_manager,
    visible_production,
)
from casting.talent.profile import submission_media

bp = Blueprint("calls", __name__)
template_globals(bp, OpenCallStatus)
PER_PAGE = 50


def _public_call(call_id) -> tuple[OpenCall, bool]:
    """The call and whether this is a member's preview (a draft or closed call is 404 to everyone else)."""
    call = get_or_404(OpenCall, call_id)
    if services.is_open(call):
        return call, False
    if can_see_production(call.production, current_actor()):
        return call, True
    raise NotFound()


def _profile_media(user) -> tuple[str | None, str | None]:
    """The (headshot, résumé) an application by ``user`` takes from their profile when no file is sent."""
    if user is None or not user.is_talent or user.talent_profile is None:
        return None, None
    return submission_media(user.talent_profile)


def _apply_form(call: OpenCall, applied: dict, user=None) -> ApplyForm:
    form = ApplyForm()
    labels = {r.id: f"{r.name} (you applied)" if r.id in applied else r.name for r in call.roles}
    form.role_id.choices = choices([r.id for r in call.roles], labels)
    headshot, resume = _profile_media(user)
    if headshot:
        form.headshot.label.text = "Another headshot (optional)"
        form.headshot.description = ("Your profile's primary headshot is sent with this application unless you "
                                     "add another here: PNG, JPEG or WebP, at most 5 MB.")
    if resume:
        form.resume.label.text = "Another résumé (optional)"
        form.resume.description = "Your profile's résumé is sent unless you add another PDF here (at most 10 MB)."
    return form


def _applied(call: OpenCall, user) -> dict[int, Submission]:
    if user is None or not user.is_talent or user.talent_profile is None:
        return {}
    subs = db.session.scalars(sa.select(Submission).where(Submission.open_call_id == call.id,
                                                          Submission.talent_id == user.talent_profile.id))
    return {s.role_id: s for s in subs}


def _render_public(call, preview, form, applied, status=200):
    return render_template("calls/public_call.html", call=call, preview=preview, form=form, applied=applied,
                           is_open=services.is_open(call)), status


@bp.get("/calls/<int:call_id>")
@public
def public_call(call_id: int):
    call, preview = _public_call(call_id)
    applied = _applied(call, current_actor())
    return _render_public(call, preview, _apply_form(call, applied, current_actor()), applied)


def _read_uploads(form: ApplyForm, *, headshot_required: bool = True) -> dict:
    """The checked headshot and resume; every problem on its field, with the status of the worst one. The
    headshot may be left out when the talent's profile has a primary one (it is sent instead)."""
    out, errors, status = {}, {}, 422
    for name, check, required in (("headshot", check_image, headshot_required), ("resume", check_pdf, False)):
        storage = getattr(form, name).data
        if not storage and not required:
            out[name] = None
            continue
        if not storage:
            errors[name] = ["Add a headshot (or add one to your profile first)."]
            continue
        try:
            out[name] = check(storage, field=name)
        except ValidationError as exc:
            errors[name] = exc.fields.get(name, [exc.message])
        except (TooLarge, UnsupportedMediaType) as exc:
            errors[name], status = [exc.message], exc.status
    if errors:
        exc = ValidationError(errors)
        exc.status = status
        raise exc
    return out


@bp.post("/calls/<int:call_id>/apply")
@login_required
def apply(call_id: int):
    call = get_or_404(OpenCall, call_id)
    services.check_can_apply(call, current_user)
    applied = _applied(call, current_user)
    form = _apply_form(call, applied, current_user)
    status = 422
    if form.validate_on_submit():
        try:
            uploads = _read_uploads(form, headshot_required=_profile_media(current_user)[0] is None)
            sub = services.submit(call, actor=current_user, role_id=form.role_id.data, note=form.note.data,
                                  self_tape_url=form.self_tape_url.data, **uploads)
        except ValidationError as exc:
            apply_errors(form, exc)
            status = exc.status
        else:
            flash(f"Your application for {sub.role.name} is in. The casting office will contact you through "
                  "Callback if they would like to see you.", "success")
            return redirect(url_for("calls.public_call", call_id=call.id))
    return _render_public(call, False, form, applied, status)


def _open_call_form(production) -> OpenCallForm:
    form = OpenCallForm()
    labels = {r.id: f"{r.name} — invitation only (nudity or intimacy)" if r.nudity_or_intimacy else r.name
              for r in production.roles}
    form.role_ids.choices = choices([r.id for r in production.roles], labels)
    return form


@bp.route("/productions/<int:production_id>/calls", methods=["GET", "POST"])
@login_required
def production_calls(production_id: int):
    production = visible_production(production_id, current_user)
    form = _open_call_form(production)
    status = 200
    if request.method == "POST":
        require_manager(production, current_user)
        status = 422
        if form.validate_on_submit():
            try:
                services.create_open_call(
                    production, actor=current_user, title=form.title.data, role_ids=form.role_ids.data,
                    closes_at=form.closes_at.utc, instructions=form.instructions.data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                flash("Draft saved. Read it over, then publish it.", "success")
                return redirect(url_for("calls.production_calls", production_id=production.id))
    page = paginate(services.calls_of_production_query(production),
                    *page_args(request.args, per_page=PER_PAGE, lenient=True))
    ids = [c.id for c in page.items]
    counts = dict(db.session.execute(sa.select(Submission.open_call_id, sa.func.count())
                                     .where(Submission.open_call_id.in_(ids)).group_by(Submission.open_call_id)).all()) \
        if ids else {}
    return render_template("calls/production_calls.html", production=production, calls=page.items, page=page,
                           form=form, manager=can_manage(production, current_user), counts=counts,
                           is_open=services.is_open), status


def _managed_call(call_id) -> OpenCall:
    call = get_or_404(OpenCall, call_id)
    # Keep the production the check loaded on the call: the session holds objects weakly, so once let go,
    # call.production would load it (and its members) again.
    set_committed_value(call, "production", visible_production(call.production_id, current_user))
    return call


@bp.post("/calls/<int:call_id>/publish")
@login_required
def publish(call_id: int):
    call = services.publish_open_call(_managed_call(call_id), actor=current_user)
    flash(f"“{call.title}” is published: talent can apply until it closes.", "success")
    return redirect(url_for("calls.production_calls", production_id=call.production_id))


@bp.post("/calls/<int:call_id>/close")
@login_required
def close(call_id: int):
    call = services.close_open_call(_managed_call(call_id), actor=current_user)
    flash(f"“{call.title}” is closed to new submissions.", "success")
    return redirect(url_for("calls.production_calls", production_id=call.production_id))


@bp.get("/calls/<int:call_id>/submissions")
@login_required
def submissions(call_id: int):
    call = _managed_call(call_id)
    filters = SubmissionFilters.from_args(request.args)
    page = search.submissions_page(call, filters, after_arg(request.args), PER_PAGE)
    return render_template("calls/submissions.html", call=call, submissions=page.items, page=page, filters=filters,
                           roles=search.role_choices(call), manager=can_manage(call.production, current_user),
                           note_label=BULK_NOTE_LABEL, select_all=request.args.get("select") == "all",
                           sorts=search.SORTS, shortlisted_choices=search.SHORTLISTED, views=search.VIEWS)


@bp.post("/calls/<int:call_id>/submissions/shortlist")
@login_required
def shortlist_many(call_id: int):
    """The submissions page's "Shortlist selected": each ticked submission's talent, for the role they applied
    for; who was skipped is said in plain words."""
    call = _managed_call(call_id)
    require_manager(call.production, current_user)
    back = url_for("calls.submissions", call_id=call.id, **SubmissionFilters.from_args(request.form).args())
    form = BulkShortlistForm()
    if not form.validate_on_submit():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    picked = [int(v) for v in request.form.getlist("pick") if v.isdigit() and 0 < int(v) <= MAX_ID]
    if not picked:
        raise ValidationError({"pick": ["Tick at least one submission, then choose Shortlist selected."]})
    added, skipped = shortlists.shortlist_submissions(call, actor=current_user, submission_ids=picked,
                                                      note=form.note.data or "")
    if added:
        flash(f"{len(added)} shortlisted: " + ", ".join(f"{e.talent.display_name} ({e.role.name} #{e.rank})"
                                                        for e in added) + ".", "success")
    for item in skipped:
        flash(f"Not shortlisted: {item['reason']}" if item["name"] in item["reason"]
              else f"Not shortlisted: {item['name']} — {item['reason']}", "error")
    return redirect(back)


@bp.get("/submissions/<int:submission_id>/<any(headshot, resume):kind>")
@login_required
def submission_file(submission_id: int, kind: str):
    return blob_response(access.visible_submission(submission_id, current_user), kind)


@bp.app_template_global("talent_submissions")
def talent_submissions(profile) -> list[Submission]:
    """A talent's own submissions, newest first (their profile page)."""
    return services.submissions_of_talent(profile)


@bp.app_template_global("talent_history")
def talent_history(profile) -> tuple[list[Submission], list[ShortlistEntry]]:
    """A talent's submissions and shortlist entries in productions the signed-in user sees."""
    return services.talent_history(profile, current_user)
