"""Browser: a producer approves a proposal on the review page; the talent reads and signs the offer; the role is cast."""
from __future__ import annotations

import re

from casting.decisions.models import Proposal
from casting.extensions import db
from casting.productions.models import ProductionRole
from tests.conftest import read_outbox
from tests.decisions.factories import make_casting, make_proposal
from tests.e2e.conftest import ui_login, ui_logout
from tests.factories import PASSWORD


def test_producer_approves_and_talent_signs(live_server, page, app, outbox):
    c = make_casting()
    proposal = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.commit()
    production_id, proposal_id, role_id = c.production.id, proposal.id, c.role.id
    producer_email, talent_email, legal_name = c.producer.email, c.talents[0].email, c.talents[0].legal_name
    others = sorted(t.email for t in c.talents[1:3])          # called back, not cast
    db.session.commit()

    ui_login(page, live_server, producer_email, PASSWORD)
    page.goto(f"{live_server}/productions/{production_id}/review")
    assert "Lovely stillness 0" in page.content()          # the panel's notes are on the page
    page.fill(f"#comment-{proposal_id}", "Wonderful at the callback.")
    page.click("text=Approve and send the offer")
    page.wait_for_load_state("networkidle")
    # The confirmation step: the offer's terms, then an explicit yes (issue 11 item 4).
    assert "Approve the offer?" in page.content() and "SAG-AFTRA scale" in page.content()
    assert page.input_value("textarea[name=comment]") == "Wonderful at the callback."
    db.session.expire_all()
    assert db.session.get(Proposal, proposal_id).status == "proposed"
    db.session.commit()
    page.click("text=Yes, approve and send the offer")
    page.wait_for_load_state("networkidle")
    assert "Approved: the offer for Maya" in page.content()
    ui_logout(page)
    page.wait_for_load_state("networkidle")

    ui_login(page, live_server, talent_email, PASSWORD)
    page.goto(f"{live_server}/me/offers")
    assert "awaiting your answer" in page.content()
    page.click("text=Read and sign the offer")
    page.wait_for_load_state("networkidle")
    # Opening the PDF is what lets the talent sign (fetched with the page's own session cookie).
    pdf_url = page.locator("#open-pdf").get_attribute("href")
    assert page.request.get(live_server + pdf_url).headers["content-type"] == "application/pdf"
    page.reload()
    page.fill("input[name=full_name]", legal_name)
    page.check("input[name=agree]")
    page.click("#signing button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Signed." in page.content()
    page.goto(f"{live_server}/me/offers")
    assert "signed: you are cast" in page.content()

    db.session.expire_all()
    assert db.session.get(Proposal, proposal_id).status == "accepted"
    assert db.session.get(ProductionRole, role_id).status == "cast"
    db.session.commit()
    thanked = [m["To"] for m in read_outbox(outbox) if re.search(r"thank you for your callback", m["Subject"])]
    assert sorted(thanked) == others


def test_review_at_390px_comment_and_withdraw(live_server, browser, app, outbox):
    """On a phone the candidates' cards stack with no sideways scroll; a producer comments without deciding;
    the casting director withdraws the approved offer with a reason."""
    from casting.decisions.models import ReviewComment
    from tests.decisions.factories import make_offer_document

    c = make_casting()
    proposal = make_proposal(c.role, c.talents[0], by=c.cd, status="approved", decided_by=c.producer)
    make_offer_document(proposal)
    db.session.commit()
    production_id, proposal_id, role_id = c.production.id, proposal.id, c.role.id
    talent_b = c.talents[1].id
    producer_email, cd_email = c.producer.email, c.cd.email
    db.session.commit()

    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        ui_login(page, live_server, producer_email, PASSWORD)
        page.goto(f"{live_server}/productions/{production_id}/review")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        lefts = page.eval_on_selector_all(".candidate-card", "els => els.map(e => Math.round(e.getBoundingClientRect().left))")
        assert len(lefts) == 4 and len(set(lefts)) == 1          # one column: the cards stack
        card = page.locator(f"#candidate-{role_id}-{talent_b}")
        card.locator("summary").click()
        card.locator("textarea[name=body]").fill("Could we see her with Jonah?")
        card.locator("text=Save the comment").click()
        page.wait_for_load_state("networkidle")
        assert "Nothing was approved or rejected" in page.content()
        assert "Could we see her with Jonah?" in page.locator(f"#candidate-{role_id}-{talent_b}").inner_text()
        db.session.expire_all()
        assert db.session.query(ReviewComment).count() == 1
        assert db.session.get(Proposal, proposal_id).status == "approved"
        db.session.commit()
        ui_logout(page)
        page.wait_for_load_state("networkidle")

        ui_login(page, live_server, cd_email, PASSWORD)
        page.goto(f"{live_server}/productions/{production_id}/review")
        page.click("text=Withdraw the offer")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("button:has-text('Withdraw the offer')")        # no reason: refused, nothing changes
        page.wait_for_load_state("networkidle")
        assert "Say why the offer is withdrawn" in page.content()
        page.fill("textarea[name=reason]", "The scene was cut in the new draft.")
        page.click("button:has-text('Withdraw the offer')")
        page.wait_for_load_state("networkidle")
        assert "is withdrawn; they have been told by email" in page.content()
    finally:
        context.close()
    db.session.expire_all()
    assert db.session.get(Proposal, proposal_id).status == "withdrawn"
    db.session.commit()
    assert any("withdrawn" in m["Subject"] for m in read_outbox(outbox))
