"""Signals: receivers run inside the sender's transaction, a refusal rolls the whole action back,
and a safety check with nobody to answer fails closed."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from blinker import Namespace

from casting.audit.models import AuditEntry
from casting.callbacks import invitations
from casting.callbacks.signals import check_in_missing
from casting.core.errors import InvalidState
from casting.core.signals import NoReceiver, flat_values_from, values_from
from casting.documents import receivers as document_receivers
from casting.extensions import db
from casting.productions import services as productions
from casting.productions.signals import role_changed
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import login
from tests.productions.test_pages import ROLE


def refuse(role, **_):
    """A receiver that refuses every role edit."""
    raise InvalidState("Refused by a receiver.", entity=role, production_id=role.production_id)


def test_values_from_collects_answers_and_fails_closed_when_required():
    ns = Namespace()
    asked = ns.signal("asked")
    assert values_from(asked) == []
    with pytest.raises(NoReceiver):
        values_from(asked, require=True)

    def one(sender, **kw):
        return [sender, kw["x"]]

    def silent(sender, **kw):
        return None

    asked.connect(one)
    asked.connect(silent)
    assert values_from(asked, "s", x=1) == [["s", 1]]
    assert flat_values_from(asked, "s", x=2, require=True) == ["s", 2]


def test_a_receivers_refusal_reaches_the_services_caller(app):
    session = make_ready_session()
    role, cd = session.roles[0], session.lead_casting_director
    before = role.compensation
    db.session.commit()

    role_changed.connect(refuse)
    try:
        with pytest.raises(InvalidState, match="Refused by a receiver"):
            productions.update_role(role, actor=cd, compensation="Changed")
    finally:
        role_changed.disconnect(refuse)
    db.session.rollback()
    db.session.expire_all()
    assert role.compensation == before


def test_a_refusal_through_the_page_changes_nothing_and_lands_in_the_audit_log(app, client):
    session = make_ready_session()
    role, cd = session.roles[0], session.lead_casting_director
    before = role.compensation
    db.session.commit()

    role_changed.connect(refuse)
    try:
        login(client, cd)
        form = {**ROLE, "compensation": "GBP 1 a day"}
        resp = client.post(f"/roles/{role.id}/edit", data=form, headers={"Referer": f"/roles/{role.id}/edit"})
    finally:
        role_changed.disconnect(refuse)
    assert resp.status_code == 303
    db.session.expire_all()
    assert role.compensation == before
    last = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert last.action == "blocked.invalid_state" and last.entity_id == role.id


def test_check_in_fails_closed_when_nobody_answers_what_is_missing(app):
    session = make_ready_session(scheduled=True)
    inv = make_invitation(session, status="confirmed")
    cd = session.lead_casting_director
    check_in_missing.disconnect(document_receivers.unsigned_consents)
    try:
        with pytest.raises(NoReceiver):
            invitations.check_in(inv, actor=cd)
    finally:
        check_in_missing.connect(document_receivers.unsigned_consents)
    db.session.rollback()
    db.session.expire_all()
    assert inv.status == "confirmed" and inv.checked_in_at is None
