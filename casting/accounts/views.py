"""Sign in and out, talent sign-up, claiming a profile, settings and tokens, admin user pages."""
from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user
from markupsafe import Markup

from casting.accounts import mfa, passwords, services, sessions, throttle, verification
from casting.accounts.forms import (
    ChangePasswordForm,
    CredentialForm,
    EvidenceForm,
    ForgotPasswordForm,
    LoginForm,
    MfaCodeForm,
    MfaSetupForm,
    NewPasswordForm,
    RegisterForm,
    TokenForm,
    UserForm,
)
from casting.accounts.models import STAFF_ROLES, ApiToken, User, UserRole
from casting.core.auth import is_api_request
from casting.core.errors import DomainError, EmailUnverified, ValidationError
from casting.core.forms import apply_errors
from casting.core.pagination import page_args
from casting.core.permissions import get_or_404, require_admin
from casting.core.security import safe_redirect_target
from casting.core.templating import template_globals
from casting.extensions import db, limiter

bp = Blueprint("accounts", __name__)
bp.record_once(lambda state: throttle.init_app(state.app))
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


def _account_waits() -> bool:
    """A sign-in to an account that must wait is refused unchecked with that wait as its Retry-After: the
    per-address limit leaves it alone (its headers would replace that Retry-After with its own window's)."""
    return throttle.waiting(services.normalise_email(request.form.get("email") or ""))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], exempt_when=_account_waits)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except throttle.LoginThrottled as exc:
            db.session.commit()  # keep the auth.login_throttled entry
            g.refusal_audited = True
            form.password.errors.append(exc.message)
            return render_template("accounts/login.html", form=form), 429, {"Retry-After": str(exc.retry_after)}
        if user is None:
            db.session.commit()  # keep the auth.login_failed entry
            g.refusal_audited = True
            form.password.errors.append("That email and password do not match an account.")
            return render_template("accounts/login.html", form=form), 401
        target = safe_redirect_target(request.args.get("next"))
        if user.mfa_enabled:
            # The password is right; the session starts only after the second factor.
            session["mfa_pending"] = {"user_id": user.id, "remember": bool(form.remember.data), "next": target}
            return redirect(url_for("accounts.login_mfa"))
        sessions.sign_in(user, remember=form.remember.data)
        return redirect(target or _landing(user))
    return render_template("accounts/login.html", form=form)


def _pending_mfa_user() -> User | None:
    pending = session.get("mfa_pending") or {}
    user = db.session.get(User, pending.get("user_id")) if pending.get("user_id") else None
    return user if user is not None and user.active and user.mfa_enabled else None


@bp.route("/login/mfa", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_MFA"], methods=["POST"],
               key_func=lambda: f"mfa:{(session.get('mfa_pending') or {}).get('user_id')}")
def login_mfa():
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = _pending_mfa_user()
    if user is None:
        return redirect(url_for("accounts.login"))
    form = MfaCodeForm()
    if form.validate_on_submit():
        if not mfa.check(user, form.code.data):
            db.session.commit()  # keep the auth.mfa_failed entry
            g.refusal_audited = True
            form.code.errors.append("That code does not match. Type the code your app shows now, or a recovery code.")
            return render_template("accounts/login_mfa.html", form=form), 401
        pending = session.pop("mfa_pending")
        sessions.sign_in(user, remember=pending.get("remember", False))
        return redirect(pending.get("next") or _landing(user))
    return render_template("accounts/login_mfa.html", form=form), 422 if form.errors else 200


# What an account that must set up a second factor may open before it has (besides public views).
MFA_SETUP_ENDPOINTS = frozenset({"static", "accounts.logout", "accounts.mfa_setup", "accounts.login",
                                 "accounts.login_mfa"})


@bp.before_app_request
def require_second_factor():
    """Accounts of a kind that must have a second factor set it up before anything else."""
    if is_api_request() or not current_user.is_authenticated or current_user.mfa_enabled:
        return None
    if not mfa.required_for(current_user):
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if request.endpoint in MFA_SETUP_ENDPOINTS or view is None or getattr(view, "_public", False):
        return None
    flash("Set up a second factor for your account before you go on.", "info")
    return redirect(url_for("accounts.mfa_setup"))


@bp.route("/settings/mfa", methods=["GET", "POST"])
@login_required
def mfa_setup():
    """Set up the second factor: scan the QR code, type a code from the app and the password."""
    user = current_user._get_current_object()
    if user.mfa_enabled:
        return render_template("accounts/mfa_setup.html", enabled=True, left=mfa.recovery_codes_left(user))
    form = MfaSetupForm()
    secret = session.get("mfa_setup_secret")
    if request.method == "GET" or not secret:
        secret = session["mfa_setup_secret"] = mfa.new_secret()
    if form.validate_on_submit():
        try:
            codes = services.enrol_second_factor(user, secret, form.code.data, password=form.password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            session.pop("mfa_setup_secret", None)
            return render_template("accounts/mfa_setup.html", enabled=True, codes=codes, left=len(codes))
    uri = mfa.provisioning_uri(user, secret)
    return render_template("accounts/mfa_setup.html", enabled=False, form=form, qr=Markup(mfa.qr_svg(uri)),
                           secret=secret, required=mfa.required_for(user)), 422 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    services.sign_out(current_user._get_current_object())
    sessions.forget_browser()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("public.home"))


# What an account whose email is not verified yet may open (besides views marked ``public``).
UNVERIFIED_ENDPOINTS = frozenset({
    "static", "accounts.login", "accounts.logout", "accounts.register", "accounts.check_email",
    "accounts.verify_email", "accounts.resend_verification", "accounts.forgot_password", "accounts.reset_password",
})


@bp.before_app_request
def require_verified_email():
    """An account sees nothing private until its email is proven: pages send it to "check your email"."""
    if is_api_request() or not current_user.is_authenticated or current_user.email_verified:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if request.endpoint in UNVERIFIED_ENDPOINTS or view is None or getattr(view, "_public", False):
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(url_for("accounts.check_email"))
    raise EmailUnverified()


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            verification.register(form.email.data, form.name.data, form.password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # The same answer whether or not the address already had an account.
            return render_template("accounts/check_email.html", email=services.normalise_email(form.email.data),
                                   registered=True)
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.get("/verify-email")
@login_required
def check_email():
    """The page an unverified account sees: check your email, or have the link sent again."""
    if current_user.email_verified:
        return redirect(_landing(current_user))
    return render_template("accounts/check_email.html", email=current_user.email, registered=False)


@bp.post("/verify-email/resend")
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_VERIFY_EMAIL"], key_func=lambda: f"user:{current_user.id}")
def resend_verification():
    if not current_user.email_verified:
        verification.send_verification(current_user)
    flash("We sent the link again. It works for 24 hours.", "success")
    return redirect(url_for("accounts.check_email"))


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    user = verification.verify_email(token)
    flash("Your email address is confirmed." + ("" if current_user.is_authenticated else " Sign in to go on."),
          "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(_landing(user))
    return redirect(url_for("accounts.login"))


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
        try:
            _, new_token = services.create_token_as_holder(current_user._get_current_object(), form.name.data,
                                                           password=form.password.data, code=form.code.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash("Token created. Copy it now: it is shown only once.", "success")
    return _settings_page(422 if form.errors else 200, form=form, new_token=new_token)


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
                                        verified=True,  # the admin vouches for the address
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
    filters = _user_filters(request.args)
    number, per_page = page_args(request.args, per_page=USERS_PER_PAGE, lenient=True)
    page = services.users_page(filters["q"], role=filters["kind"] or None, credential=filters["credential"],
                               page=number, per_page=per_page, actor=current_user)
    return render_template("accounts/admin_users.html", form=form, users=page.items, page=page, filters=filters,
                           kinds=list(UserRole), credential_filters=services.CREDENTIAL_FILTERS), \
        422 if form.errors else 200


def _user_filters(args) -> dict[str, str]:
    """The users page's search and filters. With none given the page shows credentials waiting for an admin
    (the work to do); a search alone looks at every account."""
    q = args.get("q", "").strip()[:100]
    kind = args.get("kind", "")
    credential = args.get("credential") or ("any" if q or kind else "pending")
    return {"q": q, "kind": kind if kind in set(UserRole) else "",
            "credential": credential if credential in services.CREDENTIAL_FILTERS else "pending"}


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
