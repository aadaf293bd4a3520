"""Production pages: the list, creating one, its page and members, and the venues page.

Role and sides pages are in ``role_views`` (same blueprint).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.accounts.models import STAFF_ROLES
from casting.accounts.services import find_user_by_email
from casting.companies.services import member_companies
from casting.core.errors import Forbidden, ValidationError
from casting.core.forms import apply_errors, choices
from casting.core.permissions import can_manage, can_see_venues, require_manager, require_staff, visible_production
from casting.extensions import db
from casting.productions import services
from casting.productions.forms import MemberForm, ProductionForm, VenueForm
from casting.productions.models import PROFESSIONAL_VENUE_KINDS

bp = Blueprint("productions", __name__)


def _render_detail(production, status: int = 200, member_form=None):
    return render_template("productions/detail.html", production=production,
                           manager=can_manage(production, current_user),
                           member_form=member_form or MemberForm(prefix="member")), status


@bp.get("/productions")
@login_required
def index():
    if not current_user.is_admin:
        require_staff(current_user)
    productions = db.session.scalars(services.productions_for(current_user)).all()
    return render_template("productions/index.html", productions=productions)


@bp.route("/productions/new", methods=["GET", "POST"])
@login_required
def new():
    services.require_may_create(current_user)
    companies = member_companies(current_user)
    form = ProductionForm()
    form.company_id.choices = choices([c.id for c in companies],
                                      {c.id: c.legal_name + ("" if c.verified else " (not verified yet)")
                                       for c in companies})
    if request.method == "GET" and request.args.get("company_id", type=int):
        form.company_id.data = request.args.get("company_id", type=int)
    if form.validate_on_submit():
        try:
            production = services.create_production(actor=current_user, title=form.title.data,
                                                     company_id=form.company_id.data, kind=form.kind.data,
                                                     description=form.description.data,
                                                     safeguarding_contact=form.safeguarding_contact.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(f"{production.title} is created. Add its roles next.", "success")
            return redirect(url_for("productions.detail", production_id=production.id))
    return render_template("productions/new.html", form=form, companies=companies), 422 if form.errors else 200


@bp.get("/productions/<int:production_id>")
@login_required
def detail(production_id: int):
    return _render_detail(visible_production(production_id, current_user))


@bp.post("/productions/<int:production_id>/members")
@login_required
def add_member(production_id: int):
    production = visible_production(production_id, current_user)
    require_manager(production, current_user)
    form = MemberForm(prefix="member")
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        try:
            if user is None:
                raise ValidationError({"email": ["No account has this email."]})
            services.add_member(production, user, form.role.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, ValidationError({"email" if k == "user_id" else k: v for k, v in exc.fields.items()}))
        else:
            flash(f"{user.name} joined as {form.role.data.replace('_', ' ')}.", "success")
            return redirect(url_for("productions.detail", production_id=production.id))
    return _render_detail(production, 422, member_form=form)


@bp.route("/venues", methods=["GET", "POST"])
@login_required
def venues():
    if not can_see_venues(current_user):
        raise Forbidden("Venues are for casting offices.")
    form = VenueForm()
    if request.method == "POST":
        services.require_may_add_venue(current_user)
    if form.validate_on_submit():
        try:
            venue = services.create_venue(actor=current_user, name=form.name.data, kind=form.kind.data,
                                          address=form.address.data, timezone=form.timezone.data,
                                          meeting_url=form.meeting_url.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(f"Venue {venue.name} added.", "success")
            return redirect(url_for("productions.venues"))
    venues = db.session.scalars(services.all_venues()).all()
    return render_template("productions/venues.html", form=form, venues=venues,
                           may_add=current_user.role in STAFF_ROLES,
                           professional=PROFESSIONAL_VENUE_KINDS), 422 if form.errors else 200


from casting.productions import role_views  # noqa: E402,F401  (registers the role and sides routes on bp)
