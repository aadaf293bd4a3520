"""In the browser: a talent checks their letter, finds the place differs and reports it from the verify page; an
admin suspends the production, cannot reinstate it themselves, and another admin reinstates it."""
from __future__ import annotations

import sqlalchemy as sa

from casting.core.aftercommit import run_after_commit
from casting.documents import services as documents
from casting.extensions import db
from casting.productions.models import Production
from casting.safety.models import Report
from tests.documents.factories import make_callback
from tests.documents.helpers import by_kind
from tests.e2e.conftest import ui_login
from tests.factories import PASSWORD, make_user


def test_talent_reports_from_the_verify_page_and_admins_suspend_and_reinstate(live_server, page, browser, app):
    talent_user = make_user("talent", name="Tara Talent", email="tara@example.com")
    inv = make_callback(talent_user=talent_user)
    letter = by_kind(documents.issue_invitation_documents(inv, actor=None))["callback_confirmation"]
    make_user("admin", name="Ada Admin", email="ada@example.com")
    make_user("admin", name="Bea Admin", email="bea@example.com")
    code, production_id, venue_name = letter.verification_code, inv.session.production_id, inv.session.venue.name
    role_name = inv.role.name
    db.session.commit()  # the server needs SQLite's write lock: no reads in this thread from here on
    run_after_commit()

    # The talent checks the code printed on their letter: the page shows where and when, to compare.
    ui_login(page, live_server, "tara@example.com", PASSWORD)
    page.goto(f"{live_server}/verify")
    page.fill("input[name=code]", code)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    facts = page.locator("#callback-facts").inner_text()
    assert "Compare these with your letter" in facts and venue_name in facts and role_name in facts
    page.click("#report-mismatch")
    page.wait_for_load_state("networkidle")
    assert page.locator("input[name=verification_code]").input_value().replace("-", "") == code
    page.fill("textarea[name=details]", "My letter says a hotel room on Park Lane at 21:00, not this studio.")
    page.click("#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    reference = page.locator("#report-reference").inner_text()
    assert reference.startswith("R-")
    page.click("text=your reports")
    page.wait_for_load_state("networkidle")
    assert reference in page.content() and "received" in page.content()

    # Ada reads it in the queue and suspends the production.
    ada = browser.new_context(viewport={"width": 390, "height": 844})  # a phone-sized screen
    admin_page = ada.new_page()
    ui_login(admin_page, live_server, "ada@example.com", PASSWORD)
    admin_page.goto(f"{live_server}/admin/reports")
    admin_page.click(f"text={reference}")
    admin_page.wait_for_load_state("networkidle")
    admin_page.click("text=Suspend")
    admin_page.wait_for_load_state("networkidle")
    admin_page.fill("textarea[name=reason]", "A talent reports a forged letter sending them to a hotel room.")
    admin_page.click("button:has-text('Suspend the production')")
    admin_page.wait_for_load_state("networkidle")
    assert "Suspended by Callback" in admin_page.locator("#suspended-notice").inner_text()
    # Ada cannot lift her own suspension.
    admin_page.click("button:has-text('Reinstate this production')")
    admin_page.wait_for_load_state("networkidle")
    assert "another admin must reinstate it" in admin_page.content()
    ada.close()

    # Bea reinstates it.
    bea = browser.new_context(viewport={"width": 1280, "height": 900})
    bea_page = bea.new_page()
    ui_login(bea_page, live_server, "bea@example.com", PASSWORD)
    bea_page.goto(f"{live_server}/productions/{production_id}")
    bea_page.click("button:has-text('Reinstate this production')")
    bea_page.wait_for_load_state("networkidle")
    assert "is reinstated" in bea_page.content()
    assert bea_page.locator("#suspended-notice").count() == 0
    bea.close()

    db.session.expire_all()
    assert db.session.get(Production, production_id).suspended_at is None
    assert db.session.scalar(sa.select(Report.reference)) == reference
