"""The talent portal (blueprint ``portal``): their callbacks page, responses, access needs, sides and
calendar downloads."""
from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from casting.callbacks import access, invitations, messages, notify, portal, shares
from casting.callbacks.forms import AccessNeedsForm, DeclineForm, RescheduleForm, ShareForm, shown_field
from casting.callbacks.limits import share_limit
from casting.callbacks.models import InvitationStatus
from casting.core.db import utcnow
from casting.core.downloads import download
from casting.core.errors import NotFound
from casting.core.permissions import get_or_404
from casting.core.timefmt import local_time
from casting.productions.models import Side
from casting.productions.sides import download_side
from casting.talent.services import profile_of

bp = Blueprint("portal", __name__)


@cache
def _fields() -> SimpleNamespace:
    """The portal's response forms' fields, rendered there as plain HTML (portal.html): what it reads of them."""
    return SimpleNamespace(decline_note=shown_field(DeclineForm.note), reschedule_note=shown_field(RescheduleForm.note),
                           share_name=shown_field(ShareForm.name), share_email=shown_field(ShareForm.email),
                           access_needs=shown_field(AccessNeedsForm.access_needs))


@bp.get("/me/callbacks")
@login_required
def index():
    """The talent portal: upcoming callbacks first, then past and cancelled ones."""
    talent = profile_of(current_user)
    upcoming, past = portal.talent_portal(talent, utcnow())
    return render_template("callbacks/portal.html", talent=talent, upcoming=upcoming, past=past,
                           threads=messages.summaries([i.id for i in upcoming]), author_name=messages.author_name,
                           fields=_fields(), where=notify.where, shares_by_invitation=shares.shares_of(upcoming),
                           guardian_of=shares.default_person)


def _back():
    return redirect(url_for("portal.index"))


@bp.post("/invitations/<int:invitation_id>/confirm")
@login_required
def confirm(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    invitations.confirm(inv, actor=current_user)
    when = local_time(inv.starts_at, inv.session.venue.timezone, "long")
    flash(f"Confirmed: your callback for the role of {inv.role.name} in {inv.session.production.title}, "
          f"{when}. See you there.", "success")
    return _back()


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    access.require_own(inv, current_user)
    form = DeclineForm(prefix="dec")
    form.validate()
    invitations.decline(inv, actor=current_user, note=form.note.data)
    flash("Declined. The production has been told.", "success")
    return _back()


@bp.post("/invitations/<int:invitation_id>/reschedule")
@login_required
def reschedule(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    access.require_own(inv, current_user)
    form = RescheduleForm(prefix="re")
    form.validate()
    invitations.request_reschedule(inv, actor=current_user, note=form.note.data or "")
    flash("Your request to reschedule has been sent to the casting director.", "success")
    return _back()


@bp.post("/invitations/<int:invitation_id>/access-needs")
@login_required
def access_needs(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    access.require_own(inv, current_user)
    form = AccessNeedsForm(prefix="acc")
    form.validate()
    invitations.set_access_needs(inv, actor=current_user, access_needs=form.access_needs.data or "")
    flash("Thank you: the production has your access needs.", "success")
    return _back()


@bp.post("/invitations/<int:invitation_id>/share")
@login_required
@share_limit()
def share(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    access.require_own(inv, current_user)
    form = ShareForm(prefix="share")
    form.validate()
    share = shares.start_share(inv, actor=current_user, name=form.name.data, email=form.email.data)
    flash(f"{share.name} ({share.email}) now knows where you will be, and will hear when you are checked in and "
          "when it ends.", "success")
    return _back()


@bp.post("/shares/<int:share_id>/stop")
@login_required
def stop_share(share_id: int):
    share = shares.stop_share(shares.visible_share(share_id, current_user), actor=current_user)
    flash(f"You stopped sharing this callback with {share.name}.", "success")
    return _back()


@bp.get("/invitations/<int:invitation_id>/sides/<int:side_id>")
@login_required
def side_pdf(invitation_id: int, side_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    side = get_or_404(Side, side_id)
    if side.role_id != inv.role_id or inv.status == InvitationStatus.cancelled:
        raise NotFound()
    return download_side(side, current_user, inline=False)


@bp.get("/invitations/<int:invitation_id>/calendar.ics")
@login_required
def calendar(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    return download(notify.calendar_bytes(inv, cancel=inv.status == InvitationStatus.cancelled), "text/calendar",
                    f"callback-{inv.id}.ics")
