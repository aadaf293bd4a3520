"""Sign-in attempts are rate-limited per client address."""
from __future__ import annotations

import pytest


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "5 per minute"}


def test_login_is_rate_limited(app, client):
    from casting.extensions import limiter

    limiter.reset()
    statuses = [client.post("/login", data={"email": "x@example.com", "password": "wrong password"}).status_code
                for _ in range(7)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]
    assert client.get("/login").status_code == 200  # reading the form is not limited
    limiter.reset()


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_DEFAULT": "2 per minute"}])
def test_a_default_limit_still_applies_to_every_page(app, client):
    """Pages without a limit of their own skip Flask-Limiter's per-request check (core/ratelimit.py) only while
    no default, application or blueprint limit is declared."""
    from casting.extensions import limiter

    limiter.reset()
    assert [client.get("/safety").status_code for _ in range(3)] == [200, 200, 429]
    limiter.reset()
