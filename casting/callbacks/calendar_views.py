"""The calendar pages: a day or a week of callback sessions (all of the user's productions, or one production),
and moving an invitation from them (a "move to" control, and drag and drop that posts the same form)."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.callbacks import access, agenda, invitations
from casting.callbacks.models import CallbackSessionStatus, InvitationStatus
from casting.core.errors import ValidationError
from casting.core.permissions import require_staff
from casting.core.security import safe_redirect_target
from casting.core.templating import template_globals
from casting.core.timefmt import local_time
from casting.productions.access import visible_production

bp = Blueprint("calendar", __name__)
template_globals(bp, CallbackSessionStatus, InvitationStatus)


def _page(query, *, production=None):
    view = agenda.parse_view(request.args.get("view"))
    now = invitations.now()
    day = agenda.parse_day(request.args.get("date"), now.date())
    cal = agenda.build(query, view=view, day=day, viewer=current_user, now=now)
    return render_template("callbacks/calendar.html", cal=cal, production=production, now=now,
                           can_move=agenda.can_move, max_sessions=agenda.MAX_SESSIONS, here=request.full_path.rstrip("?"))


@bp.get("/calendar")
@login_required
def index():
    require_staff(current_user)
    return _page(agenda.sessions_query(user=current_user))


@bp.get("/productions/<int:production_id>/calendar")
@login_required
def production(production_id: int):
    production = visible_production(production_id, current_user)
    return _page(agenda.sessions_query(production=production), production=production)


@bp.post("/calendar/invitations/<int:invitation_id>/move")
@login_required
def move(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    try:
        starts_at = datetime.fromisoformat(request.form.get("starts_at") or "")
    except ValueError:
        starts_at = None
    if starts_at is None or starts_at.tzinfo is None:
        raise ValidationError({"starts_at": ["Choose a free slot to move the callback to."]})
    invitations.move(inv, actor=current_user, starts_at=starts_at)
    flash(f"{inv.talent.display_name} moved to {local_time(inv.starts_at, inv.session.venue.timezone, 'slot')}; "
          "they have been sent new letters and a calendar update, and asked to confirm.", "success")
    back = safe_redirect_target(request.form.get("next")) or url_for("calendar.index")
    return redirect(back + f"#invitation-{inv.id}")
