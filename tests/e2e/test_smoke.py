"""The browser can reach the app and sign in."""
from __future__ import annotations

from casting.extensions import db
from tests.e2e.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, make_user


def test_sign_in_and_out(live_server, page, app):
    make_user("admin", email="admin@example.com", name="Ada Admin")
    db.session.commit()  # end the test thread's transaction: the server needs SQLite's write lock
    page.goto(live_server + "/")
    assert "Callbacks you can trust" in page.content()
    ui_login(page, live_server, "admin@example.com", PASSWORD)
    assert page.url.endswith("/admin/users")
    assert page.locator(".account").inner_text().startswith("Ada Admin")
    ui_logout(page)
    page.wait_for_load_state("networkidle")
    assert "Sign in" in page.locator(".account").inner_text()
