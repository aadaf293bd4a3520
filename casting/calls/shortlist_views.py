"""Shortlist pages (blueprint ``shortlists``): a role's ranked shortlist; add, move, note and remove entries."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.calls import access, shortlists
from casting.calls.forms import NoteForm, RankForm, ShortlistAddForm
from casting.core.errors import ValidationError
from casting.core.forms import apply_errors
from casting.core.pagination import page_args
from casting.productions.access import can_manage, require_manager, visible_role

bp = Blueprint("shortlists", __name__)


ENTRIES_PER_PAGE = 50


def _page(role, form=None, status=200):
    # ``form``: the add form a POST refused (its errors are shown); a GET renders none.
    page = shortlists.entry_rows_page(role, *page_args(request.args, per_page=ENTRIES_PER_PAGE, lenient=True))
    manager = can_manage(role.production, current_user)
    q = request.args.get("q", "").strip()[:100]
    candidates = shortlists.candidate_talent(role, current_user, q) if manager else []
    return render_template("calls/shortlist.html", role=role, entries=page.items, page=page, candidates=candidates,
                           q=q, form=form, manager=manager, candidates_limit=shortlists.CANDIDATES_LIMIT,
                           select_all=request.args.get("select") == "all"), status


@bp.get("/roles/<int:role_id>/shortlist/candidates")
@login_required
def candidates(role_id: int):
    """The add-talent search as JSON for the page's typeahead: at most 20 matches of ``q``."""
    role = visible_role(role_id, current_user)
    require_manager(role.production, current_user)
    found = shortlists.candidate_talent(role, current_user, request.args.get("q", "")[:100])
    return jsonify(items=[{"id": t.id, "name": t.display_name,
                           "legal_name": t.legal_name if t.professional_name else None} for t in found])


@bp.route("/roles/<int:role_id>/shortlist", methods=["GET", "POST"])
@login_required
def role(role_id: int):
    role = visible_role(role_id, current_user)
    if request.method == "GET":
        return _page(role)
    require_manager(role.production, current_user)
    form = ShortlistAddForm()
    if form.validate_on_submit():
        try:
            entry = shortlists.add(role, actor=current_user, talent_id=form.talent_id.data, note=form.note.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(f"{entry.talent.display_name} is on the shortlist for {role.name} at #{entry.rank}.", "success")
            return redirect(url_for("shortlists.role", role_id=role.id))
    return _page(role, form, 422)


def _validated(form):
    # These one-field forms sit inline on the shortlist page: a bad value is refused with a flash
    # (the central handler's 303 back), and the refusal is audited.
    if not form.validate_on_submit():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    return form


@bp.post("/shortlist-entries/<int:entry_id>/rank")
@login_required
def rank(entry_id: int):
    entry = access.visible_entry(entry_id, current_user)
    require_manager(entry.role.production, current_user)
    form = _validated(RankForm())
    shortlists.update(entry, actor=current_user, rank=form.rank.data)
    flash(f"{entry.talent.display_name} is now #{entry.rank}.", "success")
    return redirect(url_for("shortlists.role", role_id=entry.role_id))


@bp.post("/shortlist-entries/<int:entry_id>/note")
@login_required
def note(entry_id: int):
    entry = access.visible_entry(entry_id, current_user)
    require_manager(entry.role.production, current_user)
    form = _validated(NoteForm())
    shortlists.update(entry, actor=current_user, note=form.note.data or "")
    flash(f"Note on {entry.talent.display_name} saved.", "success")
    return redirect(url_for("shortlists.role", role_id=entry.role_id))


@bp.post("/shortlist-entries/<int:entry_id>/remove")
@login_required
def remove(entry_id: int):
    entry = access.visible_entry(entry_id, current_user)
    role_id, name = entry.role_id, entry.talent.display_name
    shortlists.remove(entry, actor=current_user)
    flash(f"{name} is off the shortlist.", "success")
    return redirect(url_for("shortlists.role", role_id=role_id))
