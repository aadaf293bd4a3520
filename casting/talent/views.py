"""Talent pages: one's own profile, a talent seen by staff, and casting directors adding talent."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.accounts.models import UserRole
from casting.core.database import writes
from casting.core.errors import Duplicate, Forbidden, ValidationError
from casting.core.forms import apply_errors
from casting.core.permissions import visible_talent
from casting.extensions import db
from casting.talent import services
from casting.talent.forms import NEVER_ASKED, AddTalentForm, ProfileForm

bp = Blueprint("talent", __name__)
PER_PAGE = 50
PROFILE_FIELDS = ("legal_name", "professional_name", "phone", "agent", "date_of_birth", "guardian_name",
                  "guardian_email", "guardian_phone")


@bp.get("/me/callbacks")
@login_required
def portal():
    from casting.callbacks.portal import render_portal

    return render_portal()


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
@writes  # the first visit of an account without a profile creates it
def me():
    from casting.calls.services import submissions_of_talent

    profile = services.profile_of(current_user)
    form = ProfileForm(obj=profile)
    if form.validate_on_submit():
        data = {k: getattr(form, k).data for k in PROFILE_FIELDS}
        try:
            services.update_profile(profile, actor=current_user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("talent.me"))
    return render_template("talent/me.html", profile=profile, form=form, never_asked=NEVER_ASKED,
                           submissions=submissions_of_talent(profile)), 422 if form.errors else 200


@bp.get("/talent")
@login_required
def index():
    query = services.visible_talent_query(current_user, request.args.get("q", ""))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = db.session.scalars(query.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    return render_template("talent/index.html", talent=rows[:PER_PAGE], page=page, has_next=len(rows) > PER_PAGE,
                           q=request.args.get("q", ""))


@bp.route("/talent/new", methods=["GET", "POST"])
@login_required
def create():
    if current_user.role != UserRole.casting_director:
        raise Forbidden("Only casting directors add talent profiles.")
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
    talent = visible_talent(talent_id, current_user)
    if talent.user_id == current_user.id:
        return redirect(url_for("talent.me"))
    submissions, entries = services.history_seen_by(talent, current_user)
    return render_template("talent/detail.html", talent=talent, submissions=submissions, entries=entries,
                           age=services.age_today(talent))
