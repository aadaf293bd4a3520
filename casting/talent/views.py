"""Talent pages: one's own profile, a talent seen by staff, and casting directors adding talent."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.accounts import sessions
from casting.accounts.forms import ClaimForm
from casting.core.auth import public
from casting.core.database import writes
from casting.core.errors import Duplicate, ValidationError
from casting.core.forms import apply_errors
from casting.core.pagination import page_args, paginate
from casting.talent import access, services
from casting.talent.forms import NEVER_ASKED, AddTalentForm, ProfileForm

bp = Blueprint("talent", __name__)
PER_PAGE = 50
PROFILE_FIELDS = ("legal_name", "professional_name", "phone", "agent", "date_of_birth", "guardian_name",
                  "guardian_email", "guardian_phone")


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
@writes  # the first visit of an account without a profile creates it
def me():
    profile = services.profile_of(current_user)
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
    # The profile's submissions come from the calls feature, through its template global.
    return render_template("talent/me.html", profile=profile, form=form, never_asked=NEVER_ASKED, locked=locked), \
        422 if form.errors else 200


@bp.get("/talent")
@login_required
def index():
    query = services.visible_talent_query(current_user, request.args.get("q", ""))
    page = paginate(query, *page_args(request.args, per_page=PER_PAGE, lenient=True))
    return render_template("talent/index.html", talent=page.items, page=page.page, has_next=page.has_next,
                           q=request.args.get("q", ""))


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
                           minor=services.minor_today(talent),
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
