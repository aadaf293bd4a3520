"""Sign in and out, talent sign-up, claiming a profile, settings and tokens, admin user pages."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from casting.accounts import passwords, services, sessions
from casting.accounts.forms import (
    ChangePasswordForm,
    CredentialForm,
    EvidenceForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
    TokenForm,
    UserForm,
)
from casting.accounts.models import STAFF_ROLES, ApiToken, User, UserRole
from casting.core.errors import DomainError, ValidationError
from casting.core.forms import apply_errors
from casting.core.pagination import page_args, paginate
from casting.core.permissions import get_or_404, require_admin
from casting.core.security import safe_redirect_target
from casting.core.templating import template_globals
from casting.extensions import db, limiter

bp = Blueprint("accounts", __name__)
template_globals(bp, UserRole, STAFF_ROLES=STAFF_ROLES)
# Sessions that end (casting/accounts/sessions.py): the idle timeout before each page, the remember-me cookie after.
bp.before_app_request(sessions.end_idle_session)
bp.after_app_request(sessions.write_remember_cookie)
USERS_PER_PAGE = 50


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _landing(user) -> str:
    if user.is_talent:
        return url_for("portal.index")
    if user.is_admin:
        return url_for("accounts.admin_users")
    return url_for("productions.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.commit()  # keep the auth.login_failed entry
            g.refusal_audited = True
            form.password.errors.append("That email and password do not match an account.")
            return render_template("accounts/login.html", form=form), 401
        sessions.sign_in(user, remember=form.remember.data)
        return redirect(safe_redirect_target(request.args.get("next")) or _landing(user))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.sign_out(current_user._get_current_object())
    sessions.forget_browser()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("public.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.email.data, form.name.data, UserRole.talent, form.password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except DomainError as exc:
            form.email.errors.append(exc.message)
        else:
            sessions.sign_in(user)
            flash("Welcome to Callback. Your profile is ready.", "success")
            return redirect(url_for("talent.me"))
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        passwords.request_reset(form.email.data)
        # The same page whether or not the address is an account's (no enumeration).
        return render_template("accounts/forgot_password.html", form=form, sent=True)
    return render_template("accounts/forgot_password.html", form=form, sent=False), 422 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    link = passwords.link_for(token)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.use_link(token, form.password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Not signed in here (every session of the account just ended): the new password is proven at the
            # sign-in page, and a second factor there, if the account has one.
            flash("Your password is set. Sign in with it.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, link=link), 422 if form.errors else 200


def _settings_page(status: int = 200, *, form=None, password_form=None, new_token=None):
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)).all()
    return render_template("accounts/settings.html", form=form or TokenForm(), cred_form=CredentialForm(prefix="cred"),
                           password_form=password_form or ChangePasswordForm(formdata=None), tokens=tokens,
                           new_token=new_token), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        _, new_token = services.issue_token(current_user, form.name.data)
        flash("Token created. Copy it now: it is shown only once.", "success")
    return _settings_page(form=form, new_token=new_token)


@bp.post("/settings/password")
@login_required
@limiter.limit(_login_limit)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        remembered_until = sessions.remembered_until()
        try:
            passwords.change_password(user, form.current_password.data, form.password.data, actor=user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Every other session ended; this browser stays signed in (and remembered, if it was).
            sessions.sign_in(user)
            if remembered_until is not None:
                sessions.remember_browser(user, remembered_until)
            flash("Your password is changed. Your other sessions are signed out.", "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(422, password_form=form)


@bp.post("/settings/credential")
@login_required
def submit_credential():
    form = CredentialForm(prefix="cred")
    if not form.validate_on_submit():
        flash("Give the registry and your reference.", "error")
        return redirect(url_for("accounts.settings"))
    services.submit_credential(current_user, form.registry.data, form.reference.data, actor=current_user)
    flash("Credential submitted. An admin will verify it.", "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    token = get_or_404(ApiToken, token_id)
    services.revoke_token(token, actor=current_user)
    flash("Token revoked.", "success")
    return redirect(url_for("accounts.settings"))


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def admin_users():
    require_admin(current_user)
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.email.data, form.name.data, form.role.data, form.password.data or None,
                                        actor=current_user)
        except ValidationError as exc:
            apply_errors(form, exc)
        except DomainError as exc:
            form.email.errors.append(exc.message)
        else:
            if user.password_hash is None:
                passwords.send_set_password_link(user, actor=current_user)
                flash(f"User created. We emailed {user.email} a link to choose a password.", "success")
            else:
                flash("User created.", "success")
            return redirect(url_for("accounts.admin_users"))
    q = request.args.get("q", "").strip()
    page = paginate(services.users_query(q), *page_args(request.args, per_page=USERS_PER_PAGE, lenient=True))
    return render_template("accounts/admin_users.html", form=form, users=page.items, page=page, q=q,
                           evidence_form=EvidenceForm()), 422 if form.errors else 200


@bp.post("/admin/users/<int:user_id>/credential/verify")
@login_required
def verify_credential(user_id: int):
    require_admin(current_user)
    user = get_or_404(User, user_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        flash("Say what you checked and where (at least 10 characters).", "error")
        return redirect(url_for("accounts.admin_users"))
    services.verify_credential(user, form.evidence.data, actor=current_user)
    flash(f"Credential of {user.name} verified.", "success")
    return redirect(url_for("accounts.admin_users"))


@bp.post("/admin/users/<int:user_id>/active")
@login_required
def set_active(user_id: int):
    require_admin(current_user)
    user = get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    services.set_active(user, active, actor=current_user)
    flash(f"{user.name} is {'enabled' if active else 'disabled: every session of the account has ended'}.", "success")
    return redirect(url_for("accounts.admin_users"))
