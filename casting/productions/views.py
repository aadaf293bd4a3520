"""Production pages: the list, creating one, its page and members, and the venues page.

Role and sides pages are in ``role_views`` (blueprint ``roles``).
"""
from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from flask import Blueprint, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from casting.accounts.services import find_user_by_email
from casting.companies.services import member_companies
from casting.core.errors import Conflict, NotFound, ValidationError
from casting.core.forms import apply_errors, choices
from casting.core.handlers import audit_blocked
from casting.core.pagination import page_args, paginate
from casting.core.permissions import get_or_404, require_staff, valid_id
from casting.core.templating import template_globals
from casting.extensions import db
from casting.productions import access, services
from casting.productions.forms import MemberForm, ProductionEditForm, ProductionForm, VenueForm
from casting.productions.models import (
    PROFESSIONAL_VENUE_KINDS,
    MemberRole,
    Production,
    ProductionMember,
    Venue,
    ProductionKind,
    ProductionRole,
    ProductionRoleStatus,
    Side,
    VenueKind,
)

bp = Blueprint("productions", __name__)
template_globals(bp, MemberRole, ProductionKind, ProductionRoleStatus, VenueKind)


class RoleLine(NamedTuple):
    """A role as the production page lists it."""
    id: int
    name: str
    age_min: int | None
    age_max: int | None
    status: str
    sides: int
    nudity_or_intimacy: bool


def _role_lines_statement() -> sa.Select:
    r, side = ProductionRole.__table__, Side.__table__
    sides = sa.select(sa.func.count(side.c.id)).where(side.c.role_id == r.c.id).scalar_subquery()
    return (sa.select(r.c.id, r.c.name, r.c.age_min, r.c.age_max, r.c.status, sides, r.c.nudity_or_intimacy)
            .where(r.c.production_id == sa.bindparam("production_id")).order_by(r.c.id))


_ROLE_LINES: list[sa.Select] = []   # built once (its cache key is memoised), on first use


def _role_lines(production) -> list[RoleLine]:
    """Every role of ``production`` with its count of sides: one query of plain rows."""
    if not _ROLE_LINES:
        _ROLE_LINES.append(_role_lines_statement())
    return [RoleLine(*row) for row in db.session.connection().execute(_ROLE_LINES[0], {"production_id": production.id})]


# What the production page shows of a production, loaded with it: its company and members (with their users).
_DETAIL_OPTIONS = ()


# The add-member form is empty on every GET of the page: its fields are rendered once, by the forms macro from
# MemberForm, and reused (a form built and rendered per request cost about 1 ms). A refused POST renders the
# bound form instead, with what was typed and its errors.
_BLANK_MEMBER_FIELDS: list[Markup] = []


def _blank_member_fields() -> Markup:
    if not _BLANK_MEMBER_FIELDS:
        form = MemberForm(prefix="member", formdata=None, meta={"csrf": False})
        field = get_template_attribute("macros/forms.html", "field")
        _BLANK_MEMBER_FIELDS.append(Markup("").join(Markup("    ") + field(f) + Markup("\n") for f in form))
    return _BLANK_MEMBER_FIELDS[0]


def _render_detail(production, status: int = 200, member_form=None):
    manager = access.can_manage(production, current_user)
    return render_template("productions/detail.html", production=production, roles=_role_lines(production),
                           manager=manager, member_form=member_form,
                           blank_member_fields=_blank_member_fields() if manager and member_form is None else None
                           ), status


@bp.get("/productions")
@login_required
def index():
    if not current_user.is_admin:
        require_staff(current_user)
    query = services.productions_for(current_user).options(
        joinedload(Production.company), selectinload(Production.members), selectinload(Production.roles))
    page = paginate(query, *page_args(request.args, per_page=PRODUCTIONS_PER_PAGE, lenient=True))
    return render_template("productions/index.html", productions=page.items, page=page)


PRODUCTIONS_PER_PAGE = 50
COMPANY_CHOICES = 100
VENUES_PER_PAGE = 50


@bp.route("/productions/new", methods=["GET", "POST"])
@login_required
def new():
    access.require_may_create(current_user)
    # A picker, not a list: the companies joined last (and the one asked for), never every membership.
    companies = member_companies(current_user, limit=COMPANY_CHOICES,
                                 include=request.values.get("company_id", type=valid_id))
    form = ProductionForm()
    form.company_id.choices = choices([c.id for c in companies],
                                      {c.id: c.legal_name + ("" if c.verified else " (not verified yet)")
                                       for c in companies})
    if request.method == "GET" and request.args.get("company_id", type=valid_id):
        form.company_id.data = request.args.get("company_id", type=valid_id)
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
    return _render_detail(access.visible_production(production_id, current_user, options=_DETAIL_OPTIONS))


@bp.post("/productions/<int:production_id>/members")
@login_required
def add_member(production_id: int):
    production = access.managed_production(production_id, current_user)
    form = MemberForm(prefix="member")
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        try:
            services.add_member(production, user, form.role.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, ValidationError({"email" if k == "user_id" else k: v for k, v in exc.fields.items()}))
        else:
            flash(f"{user.name} joined as {form.role.data.replace('_', ' ')}.", "success")
            return redirect(url_for("productions.detail", production_id=production.id))
    return _render_detail(production, 422, member_form=form)


def _save_edit(form, save, saved: str, back: str):
    """An edit form's POST: ``save()`` (the service; it returns the changed fields) when the form validates.
    Returns (redirect, None) when saved, else (None, the status to render the form with): 422 with the fields'
    errors, or the refusal's status (a scheduled session would fail its checklist, a room taken, another
    office's talent booked there) flashed in words and audited, with what was typed kept and nothing changed."""
    if not form.validate_on_submit():
        return None, 422 if form.errors else 200
    try:
        changed = save()
    except ValidationError as exc:
        apply_errors(form, exc)
        return None, 422
    except Conflict as exc:
        audit_blocked(exc)
        flash(exc.message, "error")
        return None, exc.status
    flash(saved if changed else "Nothing changed.", "success")
    return redirect(back), None


@bp.route("/productions/<int:production_id>/edit", methods=["GET", "POST"])
@login_required
def edit(production_id: int):
    production = access.managed_production(production_id, current_user)
    form = ProductionEditForm(obj=production if request.method == "GET" else None)
    done, status = _save_edit(form, lambda: services.update_production(production, actor=current_user,
                                                                         **form.values()),
                              "Production saved.", url_for("productions.detail", production_id=production.id))
    if done:
        return done
    return render_template("productions/edit.html", form=form, production=production), status


@bp.post("/productions/<int:production_id>/members/<int:member_id>/remove")
@login_required
def remove_member(production_id: int, member_id: int):
    production = access.managed_production(production_id, current_user)
    member = get_or_404(ProductionMember, member_id)
    if member.production_id != production.id:
        raise NotFound()
    name = member.user.name
    services.remove_member(production, member, actor=current_user)
    flash(f"{name} is no longer a member of {production.title}.", "success")
    return redirect(url_for("productions.detail", production_id=production.id))


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@login_required
def edit_venue(venue_id: int):
    access.require_venue_reader(current_user)
    venue = get_or_404(Venue, venue_id)
    access.require_may_edit_venue(venue, current_user)
    form = VenueForm(obj=venue if request.method == "GET" else None)
    done, status = _save_edit(form, lambda: services.update_venue(venue, actor=current_user, **form.values()),
                              f"Venue {venue.name} saved.", url_for("productions.venues"))
    if done:
        return done
    return render_template("productions/venue_form.html", form=form, venue=venue), status


@bp.post("/productions/<int:production_id>/leave")
@login_required
def leave(production_id: int):
    production = access.visible_production(production_id, current_user)
    services.leave_production(production, actor=current_user)
    flash(f"You have left {production.title}.", "success")
    return redirect(url_for("productions.index"))


@bp.route("/venues", methods=["GET", "POST"])
@login_required
def venues():
    access.require_venue_reader(current_user)
    form = VenueForm()
    if request.method == "POST":
        access.require_may_add_venue(current_user)
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
    page = paginate(services.all_venues(), *page_args(request.args, per_page=VENUES_PER_PAGE, lenient=True))
    return render_template("productions/venues.html", form=form, venues=page.items, page=page,
                           may_add=access.may_add_venue(current_user),
                           professional=PROFESSIONAL_VENUE_KINDS), 422 if form.errors else 200


@bp.app_template_global("company_productions")
def company_productions(company, limit: int = 50) -> list:
    """The first ``limit`` productions under ``company`` that the signed-in user sees (the company's page; the
    productions page lists them all, a page at a time)."""
    query = services.productions_for(current_user).where(Production.company_id == company.id)
    return list(db.session.scalars(query.limit(limit)))
