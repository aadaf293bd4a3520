"""Browser: a casting director reviews the submissions of their open call, shortlists, reorders and notes."""
from __future__ import annotations

import sqlalchemy as sa

from casting.calls.models import ShortlistEntry
from casting.extensions import db
from tests.calls.factories import calls_world
from tests.e2e.conftest import ui_login
from tests.factories import PASSWORD, make_submission


def test_casting_director_shortlists_then_reorders_and_notes(live_server, page, app):
    w = calls_world()
    first = make_submission(w.call, w.role, w.talent, note="Trained at LAMDA")
    second = make_submission(w.call, w.role, w.talent2, note="Seen at the Almeida")
    db.session.commit()
    call_id, role_id, cd_email = w.call.id, w.role.id, w.cd.email
    first_id, second_id = first.id, second.id
    talent_id, talent2_id = w.talent.id, w.talent2.id
    db.session.commit()

    ui_login(page, live_server, cd_email, PASSWORD)
    page.goto(f"{live_server}/calls/{call_id}/submissions")
    # Headshots come through the access-checked route and render.
    loaded = page.eval_on_selector(f"#submission-{first_id} img.headshot", "img => img.complete && img.naturalWidth")
    assert loaded > 0
    page.fill(f"#submission-{first_id} input[name=note]", "Lovely stillness")
    page.click(f"#submission-{first_id} button:has-text('Shortlist')")
    page.wait_for_url(f"{live_server}/roles/{role_id}/shortlist")
    assert "is on the shortlist for Maya at #1" in page.inner_text(".flash-success")

    page.goto(f"{live_server}/calls/{call_id}/submissions")
    assert "shortlisted #1" in page.inner_text(f"#submission-{first_id}")
    page.click(f"#submission-{second_id} button:has-text('Shortlist')")
    page.wait_for_url(f"{live_server}/roles/{role_id}/shortlist")

    # Move the second talent up, then write a note on them.
    entry2 = f"#entry-{_entry_id(role_id, talent2_id)}"
    page.click(f"{entry2} button:has-text('Up')")
    page.wait_for_load_state("networkidle")
    assert "is now #1" in page.inner_text(".flash-success")
    page.fill(f"{entry2} textarea[name=note]", "Recall opposite Father")
    page.click(f"{entry2} button:has-text('Save note')")
    page.wait_for_load_state("networkidle")
    assert page.locator("ol.shortlist > li").first.inner_text().startswith("#1")
    assert "Recall opposite Father" in page.locator("ol.shortlist > li").first.inner_html()

    db.session.expire_all()
    rows = db.session.execute(sa.select(ShortlistEntry.talent_id, ShortlistEntry.rank, ShortlistEntry.note)
                              .where(ShortlistEntry.role_id == role_id).order_by(ShortlistEntry.rank)).all()
    db.session.commit()
    assert [tuple(r) for r in rows] == [(talent2_id, 1, "Recall opposite Father"), (talent_id, 2, "Lovely stillness")]

    # Remove asks first, then takes the talent off (its form is not nested in the note's form, which the parser
    # would drop, making Remove save the note instead).
    entry1 = f"#entry-{_entry_id(role_id, talent_id)}"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"{entry1} button:has-text('Remove')")
    page.wait_for_load_state("networkidle")
    assert "is off the shortlist" in page.inner_text(".flash-success")
    db.session.expire_all()
    left = db.session.scalars(sa.select(ShortlistEntry.talent_id).where(ShortlistEntry.role_id == role_id)).all()
    db.session.commit()
    assert left == [talent2_id]


def _entry_id(role_id: int, talent_id: int) -> int:
    db.session.expire_all()
    entry_id = db.session.scalar(sa.select(ShortlistEntry.id).where(ShortlistEntry.role_id == role_id,
                                                                    ShortlistEntry.talent_id == talent_id))
    db.session.commit()
    return entry_id
