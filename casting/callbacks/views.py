"""Callback session pages for the production side: list, create, edit, the checklist page, invite, check in, notes.

Talent-facing pages are in ``casting.callbacks.portal_views`` (their read model in ``casting.callbacks.portal``).
"""
from __future__ import annotations

from datetime import datetime
from functools import cache
from types import SimpleNamespace

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError
from wtforms.fields import SelectChoice

from casting.callbacks import access, gate, invitations, services
from casting.callbacks.forms import (
    AttestForm,
    CancelForm,
    CancelInvitationForm,
    InviteForm,
    MoveForm,
    NoteForm,
    RescheduleAnswerForm,
    SessionForm,
    shown_field,
)
from casting.callbacks.models import (
    ACTIVE_INVITATION_STATUSES,
    CONFIRMED_INVITATION_STATUSES,
    CallbackSession,
    CallbackSessionStatus,
    InvitationStatus,
)
from casting.calls.models import ShortlistEntry
from casting.core.errors import ValidationError, VenueConflict
from casting.core.forms import apply_errors
from casting.core.handlers import audit_blocked
from casting.core.pagination import page_args, paginate
from casting.core.permissions import valid_id
from casting.core.templating import template_globals
from casting.core.timefmt import local_span, local_time
from casting.extensions import db
from casting.productions.access import (
    can_manage,
    managed_production,
    membership,
    visible_production,
)
from casting.productions.models import ProductionMember, Venue
from casting.talent.models import TalentProfile

bp = Blueprint("callbacks", __name__)
template_globals(bp, CallbackSessionStatus, InvitationStatus,
                 CONFIRMED_INVITATION_STATUSES=CONFIRMED_INVITATION_STATUSES)

FIX_ENDPOINTS = {
    "company": [("companies.detail", "company_id"), ("companies.index", None)],
    "credential": [("accounts.settings", None)],
    "role": [("roles.edit", "role_id"), ("roles.detail", "role_id")],
    "production": [("productions.detail", "production_id")],
    "venue": [("productions.venues", None)],
    "session_edit": [("callbacks.edit_session", "session_id")],
}
FIX_LABELS = {"company": "Open the company", "credential": "Open settings", "role": "Edit the role",
              "production": "Open the production", "venue": "Open venues", "session_edit": "Edit the session",
              "attestation": "Record the attestation"}


def fix_link(fix) -> tuple[str, str] | None:
    """(url, label) of the page where a failing item is fixed."""
    if fix is None:
        return None
    if fix.target == "attestation":
        return "#attest", FIX_LABELS["attestation"]
    for endpoint, arg in FIX_ENDPOINTS.get(fix.target, []):
        try:
            return url_for(endpoint, **({arg: fix.ident} if arg else {})), FIX_LABELS[fix.target]
        except BuildError:
            continue
    return None


# The session form's venue picker: venues are shared by every office, so it offers a bounded few (the newest
# the user added or the production used), plus the session's own and any posted one.
VENUE_CHOICES = 100


def _venues(production, session=None):
    used = sa.select(CallbackSession.venue_id).where(CallbackSession.production_id == production.id)
    wanted = {v for v in (session.venue_id if session else None, request.form.get("venue_id", type=valid_id)) if v}
    near = (sa.select(Venue.id).where((Venue.created_by_id == current_user.id) | Venue.id.in_(used))
            .order_by(Venue.id.desc()).limit(VENUE_CHOICES))
    return db.session.scalars(sa.select(Venue).where(Venue.id.in_(near) | Venue.id.in_(wanted))
                              .order_by(Venue.name, Venue.id)).all()


def _members(production) -> None:
    # The panel picker reads each member's user: load them in one query (then production.members finds them).
    db.session.scalars(sa.select(ProductionMember).where(ProductionMember.production_id == production.id)
                       .options(joinedload(ProductionMember.user))).all()


def _form_page(form, production, session, status: int | None = None):
    rules = gate.rules()
    form.show_zone()
    return render_template("callbacks/session_form.html", form=form, production=production, session=session,
                           business_hours=rules.business_hours.describe(), min_notice=rules.min_notice_hours), \
        status or (422 if form.errors else 200)


SESSIONS_PER_PAGE = 50


@bp.get("/productions/<int:production_id>/sessions")
@login_required
def production_sessions(production_id: int):
    production = visible_production(production_id, current_user)
    query = services.sessions_query(production).options(*gate.checklist_options())
    page = paginate(query, *page_args(request.args, per_page=SESSIONS_PER_PAGE, lenient=True))
    checklists = gate.checklists_for(production, page.items)
    invited = services.invited_counts([s.id for s in page.items])
    return render_template("callbacks/sessions.html", production=production, page=page, invited=invited,
                           rows=[(s, checklists[s.id]) for s in page.items],
                           manager=can_manage(production, current_user))


@bp.route("/productions/<int:production_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(production_id: int):
    production = managed_production(production_id, current_user)
    form = SessionForm()
    _members(production)
    form.set_choices(production, _venues(production))
    if not form.is_submitted():
        form.panel_user_ids.data = [current_user.id]
        form.preselect()
    if form.validate_on_submit():
        try:
            session = services.create_session(production, actor=current_user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash("Session drafted. Work through the checklist below, then schedule it.", "success")
            return redirect(url_for("callbacks.session_detail", session_id=session.id))
    return _form_page(form, production, None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_id: int):
    session = access.managed_session(session_id, current_user)
    form = SessionForm()
    _members(session.production)
    form.set_choices(session.production, _venues(session.production, session))
    if not form.is_submitted():
        form.load(session)
    if form.validate_on_submit():
        try:
            changed = services.update_session(session, actor=current_user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        except VenueConflict as exc:
            # Said beside the venue and times, with what the user typed kept; the refusal is on the record.
            audit_blocked(exc)
            form.venue_id.errors = list(form.venue_id.errors) + [exc.message]
            return _form_page(form, session.production, session, status=409)
        else:
            flash("Session saved." if changed else "Nothing changed.", "success")
            if session.reissue_job_id:
                flash("The letters are being reissued to each invited talent; the job page shows how far it got.",
                      "success")
                return redirect(url_for("jobs.show", job_id=session.reissue_job_id))
            return redirect(url_for("callbacks.session_detail", session_id=session.id))
    return _form_page(form, session.production, session)


# The invite form offers the top of each role's shortlist (a rank range); a talent further down is invited
# from the API, or moved up the shortlist first.
INVITE_CANDIDATES_PER_ROLE = 50


@cache
def _candidate_queries() -> tuple[sa.Select, sa.Select]:
    # The shortlisted talent of some roles as plain rows: the top of each shortlist, or one posted entry. Built
    # once (building a select costs more than running it); a function: the mappers must be configured first.
    base = (sa.select(ShortlistEntry.role_id, ShortlistEntry.talent_id, ShortlistEntry.rank,
                      services.display_name_sql())
            .join(TalentProfile, TalentProfile.id == ShortlistEntry.talent_id)
            .where(ShortlistEntry.role_id.in_(sa.bindparam("role_ids", expanding=True)))
            .order_by(ShortlistEntry.role_id, ShortlistEntry.rank))
    return (base.where(ShortlistEntry.rank <= sa.bindparam("top")),
            base.where(ShortlistEntry.role_id == sa.bindparam("role_id"),
                       ShortlistEntry.talent_id == sa.bindparam("talent_id")))


def _invite_choices(session, invs, roles: dict[int, str], tz: str, submitted: str | None = None):
    """(candidates, slots): the invite form's choices, the shortlisted talent of the session's ``roles`` (id:
    name) not invited yet and the free slots (``invs``: the session's invitations; ``tz``: the venue's
    timezone). ``submitted``: a posted candidate, checked against the shortlist itself, wherever it ranks."""
    active = [i for i in invs if i.status in ACTIVE_INVITATION_STATUSES]
    top, one = _candidate_queries()
    role_id, _, talent_id = (submitted or "").partition(":")
    if not roles:
        entries = []
    elif submitted and role_id.isdigit() and talent_id.isdigit():
        entries = db.session.execute(one, {"role_ids": list(roles), "role_id": int(role_id),
                                           "talent_id": int(talent_id)}).all()
    else:
        entries = db.session.connection().execute(top, {"role_ids": list(roles),
                                                        "top": INVITE_CANDIDATES_PER_ROLE}).all()
    invited = {(i.role_id, i.talent_id) for i in active}
    candidates = [SelectChoice(f"{e.role_id}:{e.talent_id}", f"{e.display_name} — {roles[e.role_id]} (#{e.rank})")
                  for e in entries if (e.role_id, e.talent_id) not in invited]
    return candidates, _slot_choices(tz, invitations.free_slots(session, active))


def _slot_choices(tz: str, starts) -> list[SelectChoice]:
    return [SelectChoice(s.isoformat(), local_time(s, tz, "slot")) for s in starts]


@cache
def _session_page_fields() -> SimpleNamespace:
    """The session page's form fields, rendered there as plain HTML (same names, ids and labels): read once
    from the forms, which the posts still validate with."""
    return SimpleNamespace(
        candidate=shown_field(InviteForm.candidate), slot=shown_field(InviteForm.slot),
        rating=shown_field(NoteForm.rating), note=shown_field(NoteForm.note),
        answer_note=shown_field(RescheduleAnswerForm.note),
        cancel_invitation_reason=shown_field(CancelInvitationForm.reason),
        cancel_reason=shown_field(CancelForm.reason))


@cache
def _detail_options() -> tuple:
    # A function: building loader options configures the mappers, which must wait until every model is imported.
    # The venue: what the documents' check-in list reads of each invitation's session (its timezone).
    return (joinedload(CallbackSession.production), joinedload(CallbackSession.venue))


@bp.get("/sessions/<int:session_id>")
@login_required
def session_detail(session_id: int):
    # The session with its production (the access check reads its members); the checklist's facts, which are
    # also what the page shows of the venue, roles, panel, lead and attestations, are read as plain rows.
    session = access.visible_session(session_id, current_user, options=_detail_options())
    result, facts = gate.checklist_shown(session)
    invs = services.session_invitation_rows(session)
    now = invitations.now()
    tz = facts.timezone
    by_slot: dict[datetime, list] = {}
    for inv in invs:
        if inv.status != InvitationStatus.cancelled:
            by_slot.setdefault(inv.starts_at, []).append(inv)
    grid = [(local_span(start, end, tz, "time", zone=False), by_slot.get(start, []))
            for start, end in invitations.slot_grid(session)]
    production = session.production
    manager = can_manage(production, current_user)
    invite = (_invite_choices(session, invs, {r.id: r.name for r in facts.roles}, tz)
              if manager and session.can("invite") else None)
    return render_template(
        "callbacks/session.html", session=session, production=production, result=result, facts=facts, grid=grid,
        fixes={i.code: fix_link(i.fix) for i in result.items if i.failed}, manager=manager,
        on_panel=any(p.user_id == current_user.id for p in facts.panel),
        member=membership(production, current_user) is not None,
        production_side=access.is_production_side_user(production, current_user),
        invitations=invs, check_in_ready=[inv for inv in invs if inv.can("check_in")], invite=invite,
        move_slots=_slot_choices(tz, invitations.free_slots(session, invs, after=now)) if manager else [],
        fields=_session_page_fields(), now=now, checkin_window=invitations.checkin_window,
    )


@bp.post("/sessions/<int:session_id>/schedule")
@login_required
def schedule(session_id: int):
    session = access.visible_session(session_id, current_user)
    services.schedule_session(session, actor=current_user)
    flash("Scheduled: every checklist item passes. You can now invite talent.", "success")
    return redirect(url_for("callbacks.session_detail", session_id=session.id))


@bp.post("/sessions/<int:session_id>/attest")
@login_required
def attest(session_id: int):
    session = access.managed_session(session_id, current_user)
    form = AttestForm(prefix="attest")
    form.validate()
    services.attest(session, actor=current_user, code="no_fees", statement=form.statement.data)
    flash("Attestation recorded, with your name and the time.", "success")
    return redirect(url_for("callbacks.session_detail", session_id=session.id) + "#checklist")


@bp.post("/sessions/<int:session_id>/cancel")
@login_required
def cancel(session_id: int):
    session = access.managed_session(session_id, current_user)
    form = CancelForm(prefix="cancel")
    form.validate()
    services.cancel_session(session, actor=current_user, reason=form.reason.data or "")
    flash("Session cancelled; invited talent have been told.", "success")
    return redirect(url_for("callbacks.session_detail", session_id=session.id))


@bp.post("/sessions/<int:session_id>/invitations")
@login_required
def invite(session_id: int):
    session = access.managed_session(session_id, current_user)
    form = InviteForm(prefix="invite")
    form.candidate.choices, form.slot.choices = _invite_choices(
        session, services.session_invitation_rows(session), {r.id: r.name for r in session.roles},
        session.venue.timezone, submitted=form.candidate.data if form.is_submitted() else None)
    if not form.validate_on_submit():
        raise ValidationError({"candidate": ["Choose a shortlisted talent and a free slot."]})
    role_id, _, talent_id = form.candidate.data.partition(":")
    inv = invitations.invite(session, actor=current_user, talent_id=int(talent_id), role_id=int(role_id),
                             starts_at=datetime.fromisoformat(form.slot.data))
    flash(f"{inv.talent.display_name} invited; they have been emailed the details and a calendar invite.", "success")
    return redirect(url_for("callbacks.session_detail", session_id=session.id) + "#invitations")


@bp.post("/invitations/<int:invitation_id>/check-in")
@login_required
def check_in(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    invitations.check_in(inv, actor=current_user)
    flash(f"{inv.talent.display_name} checked in.", "success")
    return redirect(url_for("callbacks.session_detail", session_id=inv.session_id) + "#invitations")


@bp.post("/invitations/<int:invitation_id>/notes")
@login_required
def add_note(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    access.require_panel(inv, current_user)
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        raise ValidationError({"rating": ["Give a rating from 1 to 5."]})
    invitations.add_note(inv, actor=current_user, rating=form.rating.data, note=form.note.data or "")
    flash("Note saved (visible to the production only).", "success")
    return redirect(url_for("callbacks.session_detail", session_id=inv.session_id) + "#invitations")



def _back_to(inv):
    return redirect(url_for("callbacks.session_detail", session_id=inv.session_id) + f"#invitation-{inv.id}")


@bp.post("/sessions/<int:session_id>/complete")
@login_required
def complete(session_id: int):
    session = access.managed_session(session_id, current_user)
    services.complete_session(session, actor=current_user)
    flash("Session completed: everyone who was checked in is marked as attended.", "success")
    return redirect(url_for("callbacks.session_detail", session_id=session.id))


@bp.post("/invitations/<int:invitation_id>/no-show")
@login_required
def no_show(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    invitations.no_show(inv, actor=current_user)
    flash(f"{inv.talent.display_name} is recorded as a no-show.", "success")
    return _back_to(inv)


@bp.post("/invitations/<int:invitation_id>/cancel")
@login_required
def cancel_invitation(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    form = CancelInvitationForm(prefix="cancel-inv")
    form.validate()
    invitations.cancel(inv, actor=current_user, reason=form.reason.data or "")
    flash(f"{inv.talent.display_name}'s callback is cancelled; they have been told and its letters are void.",
          "success")
    return _back_to(inv)


@bp.post("/invitations/<int:invitation_id>/move")
@login_required
def move(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    raw = MoveForm(prefix="move").slot.data or ""
    try:
        starts_at = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"slot": ["Choose a free slot to move the callback to."]}) from None
    invitations.move(inv, actor=current_user, starts_at=starts_at)
    tz = inv.session.venue.timezone
    flash(f"{inv.talent.display_name} moved to {local_time(inv.starts_at, tz, 'slot')}; they have been sent new "
          "letters and a calendar update, and asked to confirm.", "success")
    return _back_to(inv)


@bp.post("/invitations/<int:invitation_id>/reschedule-request/decline")
@login_required
def decline_reschedule(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    form = RescheduleAnswerForm(prefix="answer")
    form.validate()
    invitations.decline_reschedule(inv, actor=current_user, note=form.note.data)
    flash(f"{inv.talent.display_name} has been told the time stays as it is and asked to confirm it.", "success")
    return _back_to(inv)
