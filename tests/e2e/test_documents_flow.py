"""In the browser: a talent opens their confirmation and signs a recording release; the casting
director sees what check-in waits for, then checks them in."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from casting.callbacks.invitations import invite
from casting.core.aftercommit import run_after_commit
from casting.documents.models import Document
from casting.extensions import db
from tests.callbacks.factories import make_ready_session, set_clock
from tests.e2e.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, make_shortlist_entry, make_talent, make_user

USE = "Shown only to the director and producers to choose the cast, then deleted."


def _open_pdf(page) -> None:
    """Click "Open the PDF" (a new tab); headless Chromium shows or downloads it: either way it is fetched."""
    with page.context.expect_page() as popup:
        page.click("#open-pdf")
    tab = popup.value
    try:
        tab.wait_for_load_state("load", timeout=5000)
    except Exception:  # a download leaves the tab blank; the request has been made
        pass
    tab.close()
    page.reload()


def test_talent_opens_and_signs_then_is_checked_in(live_server, page, app, monkeypatch):
    session = make_ready_session(recorded=True, recording_use=USE, scheduled=True)
    cd = session.lead_casting_director
    talent_user = make_user("talent", name="Tara Talent", email="tara@example.com")
    talent = make_talent(user=talent_user)
    make_shortlist_entry(session.roles[0], talent, by=cd)
    inv = invite(session, actor=cd, talent_id=talent.id, role_id=session.roles[0].id, starts_at=session.starts_at)
    docs = {d.kind: d for d in db.session.scalars(sa.select(Document).where(Document.invitation_id == inv.id))}
    sid, cd_email, letter_id, release_id = session.id, cd.email, docs["callback_confirmation"].id, docs["recording_release"].id
    release_serial, inv_id, starts_at = docs["recording_release"].serial, inv.id, inv.starts_at
    db.session.commit()  # the server needs SQLite's write lock: no reads in this thread from here on
    run_after_commit()  # the letters are rendered after the commit (here by the job, in-process)

    ui_login(page, live_server, "tara@example.com", PASSWORD)
    card = page.locator("section.callback")
    assert "Open and sign" in card.inner_text()
    card.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")

    # The confirmation letter: opened, nothing to sign.
    page.goto(f"{live_server}/documents/{letter_id}")
    assert "This letter is not signed" in page.content()
    _open_pdf(page)
    assert "First opened" in page.content()

    # The release: signing before opening is refused; after opening, a wrong name is refused; then signed.
    page.goto(f"{live_server}/me/documents")
    page.click(f"tr:has-text('{release_serial}') >> text=Open and sign")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=full_name]", "Tara Talent")
    page.check("input[name=agree]")
    page.click("#signing button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Open the document and read it before signing." in page.content()
    _open_pdf(page)
    assert "Open the PDF and read it first" not in page.content()
    page.fill("input[name=full_name]", "Tara Talented")
    page.check("input[name=agree]")
    page.click("#signing button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "exactly as the document gives it" in page.content()
    page.fill("input[name=full_name]", "Tara Talent")
    page.check("input[name=agree]")
    page.click("#signing button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Signed. Your signed copy is" in page.content() and "This is the signed copy" in page.content()
    assert page.url.rstrip("/").split("/")[-1] != str(release_id)

    # On the callback day, the casting director sees nothing missing and checks the talent in.
    set_clock(monkeypatch, starts_at - timedelta(minutes=20))
    ui_logout(page)
    page.wait_for_load_state("networkidle")
    ui_login(page, live_server, cd_email, PASSWORD)
    page.goto(f"{live_server}/sessions/{sid}")
    row = page.locator(f"tr[data-invitation='{inv_id}']")
    assert row.locator(".docs-missing li.fail").count() == 0
    assert "Recording release" in row.inner_text() and "signed" in row.inner_text()
    row.get_by_role("button", name="Check in").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f"tr[data-invitation='{inv_id}'] .status").first.inner_text() == "checked in"
