"""Browser: an admin must set up a second factor at their first sign-in, keeps the recovery codes, and
signs in again with a code computed from the secret (as an authenticator app would)."""
from __future__ import annotations

import pyotp
import pytest

from casting.extensions import db
from tests.e2e.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, make_user


@pytest.mark.parametrize("app_config", [{"CASTING_MFA_REQUIRED_ROLES": "admin"}])
def test_admin_enrols_then_signs_in_with_a_code(live_server, page, app):
    make_user("admin", email="admin@example.com", name="Ada Admin")
    db.session.commit()
    ui_login(page, live_server, "admin@example.com", PASSWORD)
    page.wait_for_url(f"{live_server}/settings/mfa")
    assert page.locator(".qr svg").count() == 1
    secret = page.inner_text("#mfa-secret").strip()
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.goto(f"{live_server}/admin/users")
    assert page.url.endswith("/admin/users")
    ui_logout(page)
    page.wait_for_load_state("networkidle")
    # Signing in again: the password, then a code the app would show (the next time step, as the one
    # used for enrolment is spent), or a recovery code.
    ui_login(page, live_server, "admin@example.com", PASSWORD)
    page.wait_for_url(f"{live_server}/login/mfa")
    page.fill("input[name=code]", codes[0])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/users")
    assert page.locator(".account").inner_text().startswith("Ada Admin")
