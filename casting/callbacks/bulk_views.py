"""Bulk invitation pages (blueprint ``bulk_invites``): pick many shortlisted talent of a role, preview who lands in
which slot of a scheduled session (and who is skipped, and why), confirm; a job invites them (the job page shows
its progress). The preview and the job decide with the same plan (``callbacks.bulk.plan``)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from casting.callbacks import access, bulk, invitations
from casting.callbacks.forms import BulkInviteForm
from casting.callbacks.models import CallbackSession, CallbackSessionStatus, session_roles
from casting.calls import shortlists
from casting.core.db import utcnow
from casting.core.errors import ValidationError
from casting.core.pagination import page_args
from casting.core.permissions import MAX_ID
from casting.core.timefmt import local_time
from casting.extensions import db
from casting.productions.access import require_manager, visible_role
from casting.talent.models import TalentProfile

bp = Blueprint("bulk_invites", __name__)

# The picker offers a page of the shortlist (a rank range) and the role's next scheduled sessions.
ENTRIES_PER_PAGE = 50
SESSIONS_LIMIT = 20


def _ids(values: list[str]) -> list[int]:
    out = [int(v) for v in values if v.isdigit() and 0 < int(v) <= MAX_ID]
    return list(dict.fromkeys(out))[:bulk.MAX_BULK]


def _names(talent_ids: list[int]) -> dict[int, str]:
    """Each talent's display name (one query)."""
    if not talent_ids:
        return {}
    return dict(db.session.execute(sa.select(TalentProfile.id, sa.func.coalesce(
        sa.func.nullif(TalentProfile.professional_name, ""), TalentProfile.legal_name))
        .where(TalentProfile.id.in_(talent_ids))).all())


def _sessions(role) -> list[CallbackSession]:
    """The role's scheduled sessions that have not ended, soonest first (a bounded few)."""
    return list(db.session.scalars(
        sa.select(CallbackSession).join(session_roles, session_roles.c.session_id == CallbackSession.id)
        .where(session_roles.c.role_id == role.id, CallbackSession.status == CallbackSessionStatus.scheduled,
               CallbackSession.ends_at > utcnow())
        .options(joinedload(CallbackSession.venue), selectinload(CallbackSession.roles))
        .order_by(CallbackSession.starts_at).limit(SESSIONS_LIMIT)))


def _start(session: CallbackSession, value: str | None) -> datetime:
    """The chosen start slot if it is one of the session's, else the session's start."""
    starts = {s.isoformat(): s for s, _ in invitations.slot_grid(session)}
    return starts.get(value or "", session.starts_at)


@bp.route("/roles/<int:role_id>/invite-many", methods=["GET", "POST"])
@login_required
def pick(role_id: int):
    """Pick talent and a session (GET, or POST from the shortlist page's "Invite selected"), then the preview.
    Reads only: nothing changes until the confirm form is posted."""
    role = visible_role(role_id, current_user)
    require_manager(role.production, current_user)
    values = request.values
    sessions = _sessions(role)
    session = next((s for s in sessions if str(s.id) == values.get("session_id")), None)
    if session is None and len(sessions) == 1:
        session = sessions[0]
    talent_ids = _ids(values.getlist("talent_ids"))
    page = shortlists.entries_page(role, *page_args(request.args, per_page=ENTRIES_PER_PAGE, lenient=True))
    starts_at = _start(session, values.get("starts_at")) if session else None
    placements, names = [], {}
    if session and talent_ids and values.get("preview"):
        placements = bulk.preview(session, actor=current_user, role_id=role.id, talent_ids=talent_ids,
                                  starts_at=starts_at)
        names = _names(talent_ids)
    tz = session.venue.timezone if session else None
    slots = [(s.isoformat(), local_time(s, tz, "slot")) for s, _ in invitations.slot_grid(session)] if session else []
    return render_template("callbacks/bulk_invite.html", role=role, sessions=sessions, session=session,
                           entries=page.items, page=page, talent_ids=set(talent_ids), ordered_ids=talent_ids,
                           starts_at=starts_at, slots=slots, placements=placements, names=names, tz=tz,
                           form=BulkInviteForm(), local_time=local_time,
                           invited=sum(1 for p in placements if not p.code))


@bp.post("/sessions/<int:session_id>/invite-many")
@login_required
def confirm(session_id: int):
    """Confirm the preview: start the job, then show its progress."""
    session = access.managed_session(session_id, current_user)
    form = BulkInviteForm()
    if not form.validate_on_submit():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    talent_ids = _ids(request.form.getlist("talent_ids"))
    names = _names(talent_ids)
    job = bulk.start_bulk_invite(session, actor=current_user, role_id=form.role_id.data, talent_ids=talent_ids,
                                 starts_at=_start(session, form.starts_at.data), labels=names,
                                 back=(url_for("callbacks.session_detail", session_id=session.id) + "#invitations",
                                       f"Back to {session.title}"))
    return redirect(url_for("jobs.show", job_id=job.id))
