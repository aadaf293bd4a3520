"""Sign-in throttling that holds: per account whatever the client address, in the shared limiter storage (Redis
across workers), with a wait that doubles and never locks an account for good; client addresses from
X-Forwarded-For only behind trusted proxies."""
from __future__ import annotations

import json
import shutil
import time
import uuid

import pytest
import redis
import sqlalchemy as sa

from casting import create_app
from casting.accounts import throttle
from casting.audit.models import AuditEntry
from casting.config import ConfigError
from casting.extensions import db
from tests.conftest import base_config
from tests.factories import PASSWORD, make_user

REDIS_URL = "redis://127.0.0.1:6379"
THROTTLE = {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "1000 per minute", "CASTING_LOGIN_FAILURE_LIMIT": 3,
            "CASTING_LOGIN_FAILURE_WINDOW_SECONDS": 10, "CASTING_LOGIN_FAILURE_DELAY_SECONDS": 1}


@pytest.fixture
def app_config():
    return dict(THROTTLE)


def sign_in(client, password, email="ana@example.com", ip="203.0.113.1", **kw):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}, **kw)


def audit_actions() -> list[str]:
    db.session.expire_all()
    return db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()


def first_failure_ip() -> str:
    db.session.expire_all()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "auth.login_failed")
                              .order_by(AuditEntry.id).limit(1))
    return json.loads(entry.data)["ip"]


def test_failures_from_many_addresses_throttle_the_account_until_the_wait_ends(app, client):
    make_user("producer", email="ana@example.com")
    make_user("producer", email="ben@example.com")
    db.session.commit()
    for n in range(3):
        assert sign_in(client, "not my password", ip=f"198.51.100.{n}").status_code == 401
    # The right password, from yet another address, is refused without being checked while the account waits.
    page = sign_in(client, PASSWORD, ip="192.0.2.77")
    assert page.status_code == 429 and page.headers["Retry-After"] == "1"
    assert b"Too many failed sign-ins to this account. Wait 1 second and try again." in page.data
    assert audit_actions()[-1] == "auth.login_throttled"
    # Another account is not affected.
    assert sign_in(client, PASSWORD, email="ben@example.com", ip="198.51.100.0").status_code == 302
    client.post("/logout")
    time.sleep(1.1)
    assert sign_in(client, PASSWORD, ip="192.0.2.77").status_code == 302  # the wait is over
    client.post("/logout")
    # A success forgets the failures: three more are allowed before the next wait.
    assert [sign_in(client, "nope nope").status_code for _ in range(3)] == [401, 401, 401]
    assert sign_in(client, "nope nope").status_code == 429


def test_the_wait_doubles_after_each_further_failure(app, client):
    make_user("producer", email="ana@example.com")
    db.session.commit()
    for n in range(3):
        assert sign_in(client, "wrong guess", ip=f"198.51.100.{n}").status_code == 401
    assert sign_in(client, "wrong guess").headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert sign_in(client, "wrong guess").status_code == 401  # one more try after the wait, which fails
    page = sign_in(client, PASSWORD)
    assert page.status_code == 429 and page.headers["Retry-After"] == "2"
    time.sleep(2.1)
    assert sign_in(client, "wrong guess").status_code == 401
    assert sign_in(client, PASSWORD).headers["Retry-After"] == "4"
    actions = audit_actions()
    assert actions.count("auth.login_failed") == 5 and actions.count("auth.login_throttled") == 3
    assert "auth.login" not in actions


def test_the_count_ends_with_its_window(app, client):
    app.config.update(CASTING_LOGIN_FAILURE_LIMIT=2, CASTING_LOGIN_FAILURE_WINDOW_SECONDS=1)
    make_user("producer", email="ana@example.com")
    db.session.commit()
    assert sign_in(client, "wrong guess").status_code == 401
    time.sleep(1.1)
    assert sign_in(client, "wrong guess").status_code == 401  # the first failure is forgotten: one of two
    assert sign_in(client, PASSWORD).status_code == 302


def test_unknown_emails_are_throttled_alike(app, client):
    for _ in range(3):
        assert sign_in(client, "wrong guess", email="nobody@example.com").status_code == 401
    assert sign_in(client, "wrong guess", email="nobody@example.com").status_code == 429


def test_no_throttle_when_rate_limiting_is_off(app, client):
    app.config["RATELIMIT_ENABLED"] = False
    make_user("producer", email="ana@example.com")
    db.session.commit()
    assert [sign_in(client, "wrong guess").status_code for _ in range(5)] == [401] * 5
    assert sign_in(client, PASSWORD).status_code == 302


@pytest.mark.parametrize("value", [0, -1, "10"])
def test_a_bad_throttle_setting_stops_start_up(tmp_path, value):
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}") | THROTTLE
    with pytest.raises(ConfigError, match="CASTING_LOGIN_FAILURE_LIMIT"):
        create_app(config | {"CASTING_LOGIN_FAILURE_LIMIT": value})


def test_x_forwarded_for_is_ignored_without_trusted_proxies(app, client):
    app.config["RATELIMIT_LOGIN"] = "2 per minute"
    statuses = [sign_in(client, "wrong guess", email=f"u{n}@example.com", ip="198.51.100.9",
                        headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(3)]
    assert statuses == [401, 401, 429]  # one client, whatever it claims
    assert first_failure_ip() == "198.51.100.9"


@pytest.fixture
def proxied_app(tmp_path, _sqlite_template):
    dbfile = tmp_path / "proxied.sqlite3"
    shutil.copy(_sqlite_template, dbfile)
    app = create_app(base_config(tmp_path, f"sqlite:///{dbfile}") | THROTTLE
                     | {"RATELIMIT_LOGIN": "2 per minute", "CASTING_TRUSTED_PROXIES": 1})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_x_forwarded_for_is_honoured_behind_one_trusted_proxy(proxied_app):
    client = proxied_app.test_client()
    statuses = [sign_in(client, "wrong guess", email=f"u{n}@example.com", ip="10.0.0.2",
                        headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(3)]
    assert statuses == [401, 401, 401]  # three clients behind one proxy
    same = [sign_in(client, "wrong guess", email=f"v{n}@example.com", ip="10.0.0.2",
                    headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.50"}).status_code for n in range(3)]
    assert same == [401, 401, 429]  # only the address the trusted proxy saw counts, not what the client prepended
    assert first_failure_ip() == "203.0.113.0"


def test_two_workers_share_the_count_through_redis(app, tmp_path):
    """Two app instances (two workers) on the same Redis: failures on one throttle sign-ins on the other."""
    prefix = f"callback-test-{uuid.uuid4().hex}"
    config = base_config(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"]) | THROTTLE | {
        "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix}}
    first, second = create_app(config), create_app(config)
    storage = first.extensions[throttle.EXTENSION]
    assert storage is not second.extensions[throttle.EXTENSION]  # each worker has its own client
    try:
        with first.app_context():
            make_user("producer", email="ana@example.com")
            db.session.commit()
        for n in range(3):
            assert sign_in(first.test_client(), "wrong guess", ip=f"198.51.100.{n}").status_code == 401
        page = sign_in(second.test_client(), PASSWORD, ip="192.0.2.8")
        assert page.status_code == 429 and page.headers["Retry-After"] == "1"
        assert redis.Redis.from_url(REDIS_URL).keys(f"{prefix}:*")  # the count is in Redis, under the prefix
        time.sleep(1.1)
        assert sign_in(second.test_client(), PASSWORD, ip="192.0.2.8").status_code == 302
        assert not redis.Redis.from_url(REDIS_URL).keys(f"{prefix}:callback/login-failures/*")  # success clears
    finally:
        storage.reset()  # deletes the keys under this test's prefix
        for worker in (first, second):
            with worker.app_context():
                db.session.remove()
                db.engine.dispose()
