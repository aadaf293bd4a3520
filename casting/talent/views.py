"""Talent pages: one's own profile, a talent seen by staff, and casting directors adding talent."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.accounts import sessions
from casting.accounts.forms import ClaimForm
from casting.core.auth import public
from casting.core.database import writes
from casting.core.errors import Duplicate, InvalidState, TooLarge, UnsupportedMediaType, ValidationError
from casting.core.forms import apply_errors
from casting.core.pagination import page_args, paginate
from casting.core.uploads import check_image, check_pdf
from casting.talent import access, files, profile as talent_profile, search, services
from casting.talent.forms import NEVER_ASKED, AddTalentForm, DetailsForm, HeadshotForm, ProfileForm, ResumeForm

bp = Blueprint("talent", __name__)
PER_PAGE = 50
PROFILE_FIELDS = ("legal_name", "professional_name", "phone", "agent", "date_of_birth", "guardian_name",
                  "guardian_email", "guardian_phone")


def _render_me(profile, *, form=None, details=None, headshot_form=None, resume_form=None, status=200):
    """The profile page with its forms (the one posted keeps what was typed and its errors)."""
    locked = services.locked_fields(profile)
    if form is None:
        form = ProfileForm(formdata=None, obj=profile)
        for name in locked:
            delattr(form, name)
    if details is None:
        details = DetailsForm(formdata=None)
        details.fill(profile)
    # The profile's submissions come from the calls feature, through its template global.
    return render_template("talent/me.html", profile=profile, form=form, details=details,
                           headshot_form=headshot_form or HeadshotForm(formdata=None),
                           resume_form=resume_form or ResumeForm(formdata=None), never_asked=NEVER_ASKED,
                           locked=locked, max_headshots=talent_profile.MAX_HEADSHOTS), status


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
@writes  # the first visit of an account without a profile creates it
def me():
    profile = services.profile_of(current_user)
    if request.method == "GET":
        return _render_me(profile)
    form = ProfileForm(obj=profile)
    locked = services.locked_fields(profile)
    for name in locked:  # set by the casting office: shown, not editable
        delattr(form, name)
    if form.validate_on_submit():
        data = {k: getattr(form, k).data for k in PROFILE_FIELDS if k not in locked}
        try:
            services.update_profile(profile, actor=current_user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("talent.me"))
    return _render_me(profile, form=form, status=422 if form.errors else 200)


@bp.post("/me/profile/details")
@login_required
def update_details():
    profile = services.profile_of(current_user)
    details = DetailsForm()
    if details.validate_on_submit():
        try:
            talent_profile.update_profile_details(profile, actor=current_user, **details.values())
        except ValidationError as exc:
            apply_errors(details, exc)
        else:
            flash("Your casting profile is saved.", "success")
            return redirect(url_for("talent.me") + "#casting-profile")
    return _render_me(profile, details=details, status=422)


def _upload(form, check, save, profile, **render) -> tuple:
    """Check the posted ``file`` and save it; a problem goes beside the field with its status (413, 415, 422)."""
    if form.validate_on_submit():
        try:
            save(profile, check(form.file.data, field="file"), actor=current_user)
        except (ValidationError, TooLarge, UnsupportedMediaType, InvalidState) as exc:
            form.file.errors = [*form.file.errors, *(getattr(exc, "fields", {}).get("file") or [exc.message])]
            return _render_me(profile, status=exc.status, **{render["name"]: form})
        return None
    return _render_me(profile, status=422, **{render["name"]: form})


@bp.post("/me/profile/headshots")
@login_required
def add_headshot():
    profile = services.profile_of(current_user)
    failed = _upload(HeadshotForm(), check_image, talent_profile.add_headshot, profile, name="headshot_form")
    if failed:
        return failed
    flash("Your headshot is added.", "success")
    return redirect(url_for("talent.me") + "#headshots")


@bp.post("/me/profile/headshots/<int:headshot_id>/primary")
@login_required
def primary_headshot(headshot_id: int):
    talent_profile.set_primary_headshot(services.profile_of(current_user), headshot_id, actor=current_user)
    flash("That headshot now goes with your applications.", "success")
    return redirect(url_for("talent.me") + "#headshots")


@bp.post("/me/profile/headshots/<int:headshot_id>/delete")
@login_required
def delete_headshot(headshot_id: int):
    talent_profile.delete_headshot(services.profile_of(current_user), headshot_id, actor=current_user)
    flash("The headshot is deleted. Applications you already sent keep theirs.", "success")
    return redirect(url_for("talent.me") + "#headshots")


@bp.post("/me/profile/resume")
@login_required
def upload_resume():
    profile = services.profile_of(current_user)
    failed = _upload(ResumeForm(), check_pdf, talent_profile.set_resume, profile, name="resume_form")
    if failed:
        return failed
    flash("Your résumé is saved.", "success")
    return redirect(url_for("talent.me") + "#resume")


@bp.post("/me/profile/resume/delete")
@login_required
def delete_resume():
    talent_profile.delete_resume(services.profile_of(current_user), actor=current_user)
    flash("Your résumé is removed from your profile. Applications you already sent keep theirs.", "success")
    return redirect(url_for("talent.me") + "#resume")


@bp.get("/talent/<int:talent_id>/headshots/<int:headshot_id>")
@login_required
def headshot(talent_id: int, headshot_id: int):
    return files.headshot_response(talent_id, headshot_id, current_user, thumb=request.args.get("size") == "small")


@bp.get("/talent/<int:talent_id>/resume")
@login_required
def resume(talent_id: int):
    return files.resume_response(access.visible_talent(talent_id, current_user), current_user)


@bp.get("/talent")
@login_required
def index():
    filters = search.parse_filters(request.args)  # a bad filter on a page is left out, not an error
    view = request.args.get("view") if request.args.get("view") in search.VIEWS else "list"
    page = paginate(search.search_query(current_user, filters), *page_args(request.args, per_page=PER_PAGE,
                                                                            lenient=True))
    headshots = search.primary_headshots([t.id for t in page.items])
    return render_template("talent/index.html", talent=page.items, page=page.page, has_next=page.has_next,
                           filters=filters, args=filters.args(), view=view, headshots=headshots,
                           q=filters.q)


@bp.route("/talent/new", methods=["GET", "POST"])
@login_required
def create():
    access.require_may_add_talent(current_user)
    form = AddTalentForm()
    status = 200
    if form.validate_on_submit():
        data = {k: getattr(form, k).data for k in AddTalentForm.FIELDS}
        try:
            profile = services.create_talent(actor=current_user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except Duplicate as exc:
            form.email.errors.append(exc.message)
            status = 409
        else:
            flash(f"{profile.display_name} is added. We emailed {profile.email} a one-time link to claim the profile.",
                  "success")
            return redirect(url_for("talent.detail", talent_id=profile.id))
    if form.errors and status == 200:
        status = 422
    return render_template("talent/new.html", form=form, never_asked=NEVER_ASKED), status


@bp.get("/talent/<int:talent_id>")
@login_required
def detail(talent_id: int):
    talent = access.visible_talent(talent_id, current_user)
    if talent.user_id == current_user.id:
        return redirect(url_for("talent.me"))
    # Its submissions and shortlist entries come from the calls feature, through its template global.
    return render_template("talent/detail.html", talent=talent, age=services.age_today(talent),
                           minor=services.minor_today(talent), parts=access.private_parts(talent, current_user),
                           may_confirm=access.may_confirm_date_of_birth(talent, current_user))


@bp.post("/talent/<int:talent_id>/confirm-date-of-birth")
@login_required
def confirm_date_of_birth(talent_id: int):
    talent = access.visible_talent(talent_id, current_user)
    services.confirm_date_of_birth(talent, actor=current_user)
    flash(f"{talent.display_name}'s date of birth is confirmed.", "success")
    return redirect(url_for("talent.detail", talent_id=talent.id))


@bp.route("/claim/<token>", methods=["GET", "POST"])
@public
def claim(token: str):
    profile = services.profile_for_claim(token)
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            user = services.claim_profile(token, form.password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            sessions.sign_in(user)
            flash("Your account is ready.", "success")
            return redirect(url_for("portal.index"))
    return render_template("accounts/claim.html", form=form, profile=profile), 422 if form.errors else 200
