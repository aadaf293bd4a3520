"""Company pages: the list, registering one, its page, members, logo and verification."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from casting.accounts.services import find_user_by_email
from casting.companies import access, services
from casting.companies.forms import CompanyForm, CompanyMemberForm, LogoForm, VerifyForm
from casting.core.blobs import load_blob
from casting.core.errors import (
    NotFound,
    TooLarge,
    UnsupportedMediaType,
    ValidationError,
)
from casting.core.forms import apply_errors
from casting.core.handlers import audit_blocked
from casting.core.pagination import page_args, paginate

bp = Blueprint("companies", __name__)


def _render_detail(company, status: int = 200, **forms):
    # The company's productions come from the productions feature, through its template global.
    forms.setdefault("member_form", CompanyMemberForm(prefix="member"))
    forms.setdefault("logo_form", LogoForm(prefix="logo"))
    forms.setdefault("verify_form", VerifyForm(prefix="verify"))
    return render_template("companies/detail.html", company=company,
                           is_member=company.is_member(current_user),
                           may_verify=access.may_verify(company, current_user), **forms), status


COMPANIES_PER_PAGE = 50


@bp.get("/companies")
@login_required
def index():
    access.require_may_create(current_user)
    page = paginate(services.companies_for(current_user), *page_args(request.args, per_page=COMPANIES_PER_PAGE,
                                                                      lenient=True))
    return render_template("companies/index.html", companies=page.items, page=page, may_verify=access.may_verify)


@bp.route("/companies/new", methods=["GET", "POST"])
@login_required
def new():
    access.require_may_create(current_user)
    form = CompanyForm()
    if form.validate_on_submit():
        try:
            company = services.create_company(actor=current_user, **{f.name: f.data or "" for f in form
                                                                       if f.name != "csrf_token"})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(f"{company.legal_name} is registered. An admin will verify it before open calls can be "
                  "published.", "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return render_template("companies/new.html", form=form), 422 if form.errors else 200


@bp.get("/companies/<int:company_id>")
@login_required
def detail(company_id: int):
    return _render_detail(access.visible_company(company_id, current_user))


@bp.post("/companies/<int:company_id>/members")
@login_required
def add_member(company_id: int):
    company = access.member_company(company_id, current_user)
    form = CompanyMemberForm(prefix="member")
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        try:
            services.add_member(company, user, actor=current_user)
        except ValidationError as exc:
            form.email.errors = list(form.email.errors) + [m for msgs in exc.fields.values() for m in msgs]
        else:
            flash(f"{user.name} is now a member of {company.legal_name}.", "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return _render_detail(company, 422, member_form=form)


@bp.post("/companies/<int:company_id>/logo")
@login_required
def upload_logo(company_id: int):
    company = access.member_company(company_id, current_user)
    form = LogoForm(prefix="logo")
    try:
        services.set_logo(company, form.file.data, actor=current_user)
    except (ValidationError, TooLarge, UnsupportedMediaType) as exc:
        if not isinstance(exc, ValidationError):
            audit_blocked(exc)
        form.file.errors = [exc.message if not isinstance(exc, ValidationError) else "Choose a PNG file."]
        return _render_detail(company, exc.status, logo_form=form)
    flash("Logo uploaded: it appears on this company's letters.", "success")
    return redirect(url_for("companies.detail", company_id=company.id))


@bp.get("/companies/<int:company_id>/logo")
@login_required
def logo(company_id: int):
    company = access.visible_company(company_id, current_user)
    blob = load_blob(company.logo_sha256) if company.logo_sha256 else None
    if blob is None:
        raise NotFound("This company has no logo yet.")
    resp = Response(blob.data, mimetype=blob.content_type)
    # Logos are PNGs now; an SVG stored earlier is kept inert (no script, sandboxed).
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.post("/companies/<int:company_id>/verify")
@login_required
def verify(company_id: int):
    company = access.visible_company(company_id, current_user)
    access.require_may_verify(company, current_user)
    form = VerifyForm(prefix="verify")
    if form.validate_on_submit():
        try:
            services.verify_company(company, form.evidence.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(f"{company.legal_name} is verified.", "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return _render_detail(company, 422, verify_form=form)
