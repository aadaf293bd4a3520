"""Security headers on every response, and redirects only to a path on this site."""
from __future__ import annotations

import pytest

from casting.core.security import CONTENT_SECURITY_POLICY, safe_redirect_target
from casting.extensions import db
from tests.conftest import login
from tests.factories import make_user

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("target", [
    "//evil.example", "/\t/evil.example", "/%09/evil.example".replace("%09", "\t"), "/\n/evil.example",
    "/\\evil.example", "\\\\evil.example", "https://evil.example/", "javascript:alert(1)", "evil.example",
    "/\x00", "", None, "/ok\r\nLocation: //evil.example",
])
def test_redirect_targets_off_this_site_are_refused(target):
    assert safe_redirect_target(target) is None


@pytest.mark.parametrize("target", ["/", "/productions/3", "/audit?action=session&page=2", "/me/callbacks#top"])
def test_paths_on_this_site_are_kept(target):
    assert safe_redirect_target(target) == target


@pytest.mark.parametrize("next_", ["%2F%09%2Fevil.example", "%2F%5Cevil.example", "%2F%2Fevil.example",
                                   "https%3A%2F%2Fevil.example", "%2F%0D%0A%2Fevil.example"])
def test_login_never_redirects_off_site(client, app, next_):
    user = make_user("producer", email="pat@example.com", password=PASSWORD)
    db.session.commit()
    resp = client.post(f"/login?next={next_}", data={"email": user.email, "password": PASSWORD})
    # A control character in the query string refuses the whole request (422 validation_error: back to
    # where the form came from, 303); otherwise the sign-in redirects (302) to a path on this site.
    assert resp.status_code == (303 if "%0" in next_ else 302)
    location = resp.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_login_keeps_a_path_on_this_site(client, app):
    user = make_user("producer", email="pat@example.com", password=PASSWORD)
    db.session.commit()
    resp = client.post("/login?next=%2Fvenues", data={"email": user.email, "password": PASSWORD})
    assert resp.headers["Location"] == "/venues"


def test_every_page_sends_the_security_headers(client, app):
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "no-store" not in resp.headers.get("Cache-Control", "")  # a public page may be cached
    assert "Strict-Transport-Security" not in resp.headers  # cookies are not Secure here
    assert client.get("/api/v1/me").headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_never_cached(client, app):
    user = make_user("producer")
    db.session.commit()
    login(client, user)
    resp = client.get("/productions")
    assert resp.status_code == 200
    assert "no-store" in resp.headers["Cache-Control"]


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_hsts_when_cookies_are_secure(client, app):
    assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_carry_no_inline_script_or_style(client, app):
    # The policy forbids inline script and style: the pages must not need them.
    user = make_user("casting_director")
    db.session.commit()
    login(client, user)
    for path in ("/", "/productions", "/venues", "/settings", "/verify", "/safety"):
        html = client.get(path).data.decode()
        assert "<script>" not in html and " onsubmit=" not in html and " onclick=" not in html, path
        assert " style=" not in html, path
