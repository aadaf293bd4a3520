"""Role pages (the parts being cast): adding and editing roles, uploading and downloading sides (blueprint ``roles``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.core.errors import TooLarge, UnsupportedMediaType, ValidationError
from casting.core.forms import apply_errors
from casting.core.handlers import audit_blocked
from casting.productions import access, services
from casting.productions.forms import RoleForm, SideForm
from casting.productions.sides import download_side

bp = Blueprint("roles", __name__)


def _render_role(role, status: int = 200, side_form=None):
    return render_template("productions/role.html", role=role, production=role.production,
                           manager=access.can_manage(role.production, current_user),
                           side_form=side_form or SideForm(prefix="side")), status


@bp.route("/productions/<int:production_id>/roles/new", methods=["GET", "POST"])
@login_required
def new(production_id: int):
    production = access.managed_production(production_id, current_user)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            role = services.create_role(production, actor=current_user, **form.data_for_service())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(f"Role {role.name} added. Upload its sides so talent can prepare.", "success")
            return redirect(url_for("roles.detail", role_id=role.id))
    return render_template("productions/role_form.html", form=form, production=production, role=None), \
        422 if form.errors else 200


@bp.get("/roles/<int:role_id>")
@login_required
def detail(role_id: int):
    return _render_role(access.visible_role(role_id, current_user))


@bp.route("/roles/<int:role_id>/edit", methods=["GET", "POST"])
@login_required
def edit(role_id: int):
    role = access.managed_role(role_id, current_user)
    form = RoleForm(obj=role)
    if form.validate_on_submit():
        try:
            services.update_role(role, actor=current_user, **form.data_for_service())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash("Role saved.", "success")
            return redirect(url_for("roles.detail", role_id=role.id))
    return render_template("productions/role_form.html", form=form, production=role.production, role=role), \
        422 if form.errors else 200


@bp.post("/roles/<int:role_id>/sides")
@login_required
def upload_side(role_id: int):
    role = access.managed_role(role_id, current_user)
    form = SideForm(prefix="side")
    try:
        side = services.upload_side(role, form.file.data, actor=current_user)
    except (ValidationError, TooLarge, UnsupportedMediaType) as exc:
        if not isinstance(exc, ValidationError):
            audit_blocked(exc)
        form.file.errors = [" ".join(m for msgs in exc.fields.values() for m in msgs)
                            if isinstance(exc, ValidationError) else exc.message]
        return _render_role(role, exc.status, side_form=form)
    flash(f"Sides {side.filename} uploaded.", "success")
    return redirect(url_for("roles.detail", role_id=role.id))


@bp.get("/sides/<int:side_id>/pdf")
@login_required
def side_pdf(side_id: int):
    return download_side(access.visible_side(side_id, current_user), current_user,
                         inline=request.args.get("inline") == "1")
