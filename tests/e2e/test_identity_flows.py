"""Browser: a talent a casting office added claims the profile from the emailed link; a user who forgot their
password resets it from the emailed link, and the old password no longer works."""
from __future__ import annotations

import re

from casting.extensions import db
from casting.talent.services import create_talent
from tests.conftest import read_outbox
from tests.e2e.conftest import ui_login
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "tin roof rusted again"


def _link(outbox, to: str, path: str) -> str:
    mail = [m for m in read_outbox(outbox) if to in m["To"]][-1]
    return re.search(rf"(http://127\.0\.0\.1:\d+{path}\S+)", mail.get_body().get_content()).group(1)


def test_talent_claims_the_profile_a_casting_office_added(live_server, page, app, outbox):
    cd = make_user("casting_director")
    create_talent(actor=cd, legal_name="Clara Claimant", email="clara@example.com")
    db.session.commit()
    page.goto(_link(outbox, "clara@example.com", "/claim/"))
    assert "Clara Claimant" in page.inner_text("main")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/me/callbacks")
    # The claim link proved the address: the profile is there, nothing waits for a verification email.
    page.goto(f"{live_server}/me/profile")
    assert page.url.endswith("/me/profile") and "Clara Claimant" in page.content()


def test_forgotten_password_reset_from_the_emailed_link(live_server, page, app, outbox):
    make_user("producer", email="paula@example.com", name="Paula Reset")
    db.session.commit()
    page.goto(f"{live_server}/login")
    page.click("text=Forgot your password?")
    page.fill("input[name=email]", "paula@example.com")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(_link(outbox, "paula@example.com", "/reset-password/"))
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/login")
    ui_login(page, live_server, "paula@example.com", PASSWORD)
    assert page.url.startswith(f"{live_server}/login")  # the old password is refused
    ui_login(page, live_server, "paula@example.com", NEW_PASSWORD)
    assert page.url.endswith("/productions")
    assert page.locator(".account").inner_text().startswith("Paula Reset")
