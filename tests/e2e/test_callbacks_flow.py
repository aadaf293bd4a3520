"""In the browser: a casting director fixes a failing checklist and schedules; a talent confirms."""
from __future__ import annotations

from casting.extensions import db
from tests.callbacks.factories import make_ready_session
from tests.e2e.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, make_shortlist_entry, make_talent, make_user


def test_fix_checklist_schedule_invite_and_confirm(live_server, page, app):
    s = make_ready_session(attest=False)
    cd = s.lead_casting_director
    producer = next(m.user for m in s.production.members if m.role == "producer")
    s.panel = [cd]
    talent_user = make_user("talent", name="Tara Talent", email="tara@example.com")
    make_shortlist_entry(s.roles[0], make_talent(user=talent_user), by=cd)
    sid, cd_email, producer_id, role_name = s.id, cd.email, producer.id, s.roles[0].name
    db.session.commit()

    ui_login(page, live_server, cd_email, PASSWORD)
    page.goto(f"{live_server}/sessions/{sid}")
    assert page.locator('li.fail[data-code="no_fees"]').is_visible()
    assert page.locator('li.fail[data-code="panel_of_two"]').is_visible()
    schedule = page.get_by_role("button", name="Schedule session")
    assert schedule.is_disabled()
    why = page.locator("#why-disabled").inner_text()
    assert "No fees asked of talent" in why and "Panel of at least two" in why and "no_fees" not in why

    page.click("text=Attest: no fees")
    page.wait_for_load_state("networkidle")
    assert page.locator('li.pass[data-code="no_fees"]').is_visible()

    page.locator('li[data-code="panel_of_two"] a.fix').click()
    page.wait_for_load_state("networkidle")
    page.check(f"input[name=panel_user_ids][value='{producer_id}']")
    page.click("button[type=submit]:has-text('Save session')")
    page.wait_for_load_state("networkidle")
    assert page.locator('li.pass[data-code="panel_of_two"]').is_visible()

    page.get_by_role("button", name="Schedule session").click()
    page.wait_for_load_state("networkidle")
    assert "Scheduled: every checklist item passes" in page.content()
    assert page.locator("h1 .status").inner_text() == "scheduled"

    page.select_option("select[name=invite-candidate]", index=0)
    page.select_option("select[name=invite-slot]", index=1)
    page.click("text=Invite and email")
    page.wait_for_load_state("networkidle")
    assert "Tara Talent invited" in page.content()
    assert page.locator("#timeline .slot.taken").count() == 1

    ui_logout(page)
    page.wait_for_load_state("networkidle")
    ui_login(page, live_server, "tara@example.com", PASSWORD)
    assert page.url.endswith("/me/callbacks")
    card = page.locator("section.callback")
    assert role_name in card.inner_text() and "10:20" in card.inner_text()
    card.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("section.callback > .spread .status").inner_text() == "confirmed"
