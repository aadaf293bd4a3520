"""Browser: a casting director ticks submissions (select all on the page, then untick one with the keyboard),
shortlists them in one action, and reads who was skipped and why."""
from __future__ import annotations

import sqlalchemy as sa

from casting.calls import shortlists
from casting.calls.models import ShortlistEntry
from casting.extensions import db
from tests.calls.factories import calls_world
from tests.e2e.conftest import ui_login
from tests.factories import PASSWORD, make_submission, make_talent


def test_select_all_untick_one_shortlist_selected_and_see_who_was_skipped(live_server, page, app):
    w = calls_world()
    third = make_talent(legal_name="Rhea Third")
    subs = [make_submission(w.call, w.role, t) for t in (w.talent, w.talent2, third)]
    db.session.commit()
    call_id, role_id, cd_id, cd_email = w.call.id, w.role.id, w.cd.id, w.cd.email
    sub_ids, talent_ids = [s.id for s in subs], [w.talent.id, w.talent2.id, third.id]
    db.session.commit()

    ui_login(page, live_server, cd_email, PASSWORD)
    page.goto(f"{live_server}/calls/{call_id}/submissions")
    page.get_by_role("link", name="Select all on this page").click()
    assert page.locator("[data-selected-count]").inner_text() == "3 selected"
    assert page.url.endswith("/submissions")  # script ticked the boxes in place
    # Keyboard: focus the second row's box and untick it with the space bar.
    page.focus(f"#pick-{sub_ids[1]}")
    page.keyboard.press("Space")
    assert page.locator("[data-selected-count]").inner_text() == "2 selected"

    # Meanwhile a colleague shortlists Rhea: she is skipped, said in plain words.
    actor = db.session.get(type(w.cd), cd_id)
    shortlists.add(db.session.get(type(w.role), role_id), actor=actor, talent_id=talent_ids[2])
    db.session.commit()

    page.fill("#bulk input[name=note]", "From the tapes")
    page.get_by_role("button", name="Shortlist selected").click()
    page.wait_for_load_state("networkidle")
    assert "1 shortlisted: Talia Able (Maya #2)." in page.inner_text(".flash-success")
    assert "Rhea Third is already on the shortlist for Maya." in page.inner_text(".flash-error")
    assert page.locator(f"#submission-{sub_ids[0]}").inner_text().count("shortlisted #2") == 1

    db.session.expire_all()
    rows = db.session.execute(sa.select(ShortlistEntry.talent_id, ShortlistEntry.note)
                              .where(ShortlistEntry.role_id == role_id).order_by(ShortlistEntry.rank)).all()
    db.session.commit()
    assert [tuple(r) for r in rows] == [(talent_ids[2], ""), (talent_ids[0], "From the tapes")]

    # The headshot grid keeps the filters in the URL.
    page.goto(f"{live_server}/calls/{call_id}/submissions?shortlisted=no")
    page.get_by_role("link", name="Headshot grid").click()
    page.wait_for_load_state("networkidle")
    assert "shortlisted=no" in page.url and "view=grid" in page.url
    assert page.locator(".headshot-grid > li").count() == 1
