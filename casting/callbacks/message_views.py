"""The message thread page of one invitation (blueprint ``messages``), for the talent and the production alike."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casting.callbacks import access, messages, notify
from casting.callbacks.forms import MessageForm
from casting.callbacks.limits import message_limit
from casting.callbacks.models import InvitationMessage
from casting.core.errors import Forbidden, ValidationError
from casting.core.forms import apply_errors
from casting.core.pagination import after_arg, keyset

bp = Blueprint("messages", __name__)


def _page(inv, form):
    """The thread page: the latest THREAD_PAGE messages (``?after=<id>``: the ones before that id)."""
    page = keyset(messages.thread_query(inv).order_by(None), InvitationMessage.id, after_arg(request.args),
                  messages.THREAD_PAGE)
    try:
        side = access.thread_side(inv, current_user)
    except Forbidden:
        side = None
    return render_template("callbacks/messages.html", inv=inv, session=inv.session, page=page,
                           shown=list(reversed(page.items)), form=form if side else None, side=side,
                           author_name=messages.author_name, where=notify.where), 422 if form.errors else 200


@bp.get("/invitations/<int:invitation_id>/messages")
@login_required
def thread(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    return _page(inv, MessageForm())


@bp.post("/invitations/<int:invitation_id>/messages")
@login_required
@message_limit()
def post(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_user)
    access.thread_side(inv, current_user)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            messages.post(inv, actor=current_user, body=form.body.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash("Message sent.", "success")
            return redirect(url_for("messages.thread", invitation_id=inv.id) + "#latest")
    return _page(inv, form)
