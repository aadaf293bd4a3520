"""In the browser: on the session page a casting director moves one talent with the keyboard-friendly "move to"
control, keeps the time of a reschedule request, and cancels another callback with a reason."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from casting.callbacks import invitations
from casting.callbacks.models import Invitation
from casting.core.aftercommit import run_after_commit
from casting.extensions import db
from tests.callbacks.factories import make_ready_session
from tests.e2e.conftest import ui_login
from tests.factories import PASSWORD, make_shortlist_entry, make_talent


def test_move_keep_the_time_and_cancel_on_the_session_page(live_server, page, app):
    s = make_ready_session(scheduled=True)
    cd = s.lead_casting_director
    people = []
    for i, name in enumerate(("Tara Talent", "Sam Second")):
        talent = make_talent(legal_name=name)
        make_shortlist_entry(s.roles[0], talent, by=cd)
        people.append(invitations.invite(s, actor=cd, talent_id=talent.id, role_id=s.roles[0].id,
                                         starts_at=s.starts_at + timedelta(minutes=20 * i)))
    tara, sam = people
    sam.status, sam.talent_note = "reschedule_requested", "Mornings are hard for me"
    sid, tara_id, sam_id, cd_email = s.id, tara.id, sam.id, cd.email
    target = s.starts_at + timedelta(minutes=60)
    db.session.commit()
    run_after_commit()

    ui_login(page, live_server, cd_email, PASSWORD)
    page.goto(f"{live_server}/sessions/{sid}")
    # Move Tara: the select is labelled, reachable by keyboard, and offers only free slots to come.
    select = page.get_by_label("Move to").first
    assert select.get_attribute("id") == f"move-slot-{tara_id}"
    select.focus()
    select.select_option(target.isoformat())
    page.locator(f"#invitation-{tara_id} form.move-to button").press("Enter")
    page.wait_for_load_state("networkidle")
    assert "Tara Talent moved to" in page.content()
    # Sam asked to reschedule: keep the time, with a note.
    row = page.locator(f"#invitation-{sam_id}")
    assert "Asked to reschedule." in row.inner_text() and "Mornings are hard for me" in row.inner_text()
    row.get_by_label("Note to the talent (optional)").fill("Only mornings, sorry.")
    row.get_by_role("button", name="Keep the time (decline the request)").click()
    page.wait_for_load_state("networkidle")
    assert "told the time stays as it is" in page.content()
    # Cancel Sam's callback, with a reason (the browser asks first).
    page.on("dialog", lambda dialog: dialog.accept())
    row = page.locator(f"#invitation-{sam_id}")
    row.locator("summary", has_text="Cancel this callback").click()
    row.get_by_label("Reason (the talent is told)").fill("The role was recast.")
    row.get_by_role("button", name="Cancel callback and tell the talent").click()
    page.wait_for_load_state("networkidle")
    assert "callback is cancelled" in page.content()
    assert page.locator(f"#invitation-{sam_id} .status").first.inner_text() == "cancelled"

    db.session.expire_all()
    got = {i.id: (i.status, i.starts_at) for i in db.session.scalars(sa.select(Invitation))}
    assert got[tara_id] == ("invited", target) and got[sam_id][0] == "cancelled"
