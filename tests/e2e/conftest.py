"""Browser tests: the app served on a real port, driven by Playwright on Debian's Chromium.

Playwright's own browser download is never used: we launch /usr/bin/chromium.
"""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (the one browser fixture is in tests/conftest.py)


@pytest.fixture
def live_server(app):
    """Serve ``app`` (and its test database) on 127.0.0.1 at a free port; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app.config["PUBLIC_BASE_URL"]
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def ui_login(page, base: str, email: str, password: str) -> None:
    """Sign in through the real login form."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def ui_logout(page) -> None:
    """Sign out as a user would: at phone width the account links sit behind the Menu button."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.click("text=Sign out")
