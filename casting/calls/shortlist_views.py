"""Shortlist pages (blueprint ``shortlists``): a role's ranked shortlist; add, move, note and remove entries."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.calls import access, shortlists
from casting.calls.forms import NoteForm, RankForm, ShortlistAddForm
from casting.core.errors import ValidationError
from casting.core.forms import apply_errors
from casting.productions.access import can_manage, require_manager, visible_role

bp = Blueprint("shortlists", __name__)


def _page(role, form, status=200):
    entries = shortlists.entries(role)
    listed = {e.talent_id for e in entries}
    candidates = [t for t in shortlists.candidate_talent(role, current_user) if t.id not in listed]
    return render_template("calls/shortlist.html", role=role, entries=entries, candidates=candidates, form=form,
                           manager=can_manage(role.production, current_user)), status


@bp.route("/roles/<int:role_id>/shortlist", methods=["GET", "POST"])
@login_required
def role(role_id: int):
    role = visible_role(role_id, current_user)
    form = ShortlistAddForm()
    if request.method == "GET":
        return _page(role, form)
    require_manager(role.production, current_user)
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
