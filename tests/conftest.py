"""Fixtures: an app with a fresh database per test (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), clients, and login helpers. Factories live in tests/factories.py."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from casting import create_app
from casting.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL")


def base_config(tmp_path: Path, db_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": db_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "PUBLIC_BASE_URL": "http://callback.test",
        # argon2id still, with small parameters so the suite stays fast.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "RATELIMIT_ENABLED": False,
        # The second-factor requirement is tested on its own (tests/accounts/test_mfa.py); elsewhere admins
        # act without enrolling first.
        "CASTING_MFA_REQUIRED_ROLES": "",
    }


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """One schema built once; each test copies the file (much faster than create_all)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app(base_config(path.parent, f"sqlite:///{path}"))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


_pg_ready = False


def _pg_reset(app) -> None:
    global _pg_ready
    with app.app_context():
        if not _pg_ready:
            # Start from an empty schema whatever an earlier run left behind.
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
            db.create_all()
            _pg_ready = True
            return
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            # replica role skips the append-only triggers, only for this reset between tests.
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture
def app_config(tmp_path, request) -> dict:
    """Per-test overrides; a test may update the dict before using ``app``."""
    return {}


@pytest.fixture
def app(tmp_path, _sqlite_template, app_config):
    if PG_URL:
        config = base_config(tmp_path, PG_URL)
    else:
        dbfile = tmp_path / "test.sqlite3"
        shutil.copy(_sqlite_template, dbfile)
        config = base_config(tmp_path, f"sqlite:///{dbfile}")
    config.update(app_config)
    app = create_app(config)

    def _forget_cached_user():
        # Requests in a test reuse the fixture's app context, and with it ``g``: drop the
        # user Flask-Login cached for the previous request, as a fresh context would. First of
        # all before_request functions, so none of them sees the previous request's user.
        from flask import g

        g.pop("_login_user", None)
        g.pop("api_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, _forget_cached_user)

    if PG_URL:
        _pg_reset(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app) -> Path:
    """The folder the embedded mailer writes .eml files to."""
    return Path(app.config["MAIL_OUTBOX_DIR"])


def read_outbox(outbox: Path):
    """Parsed email messages in the outbox, oldest first."""
    import email
    from email import policy

    if not outbox.exists():
        return []
    files = sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]


def login(client, user) -> None:
    """Sign ``user`` in on ``client`` (cookie session) without going through the form: the session carries
    ``User.get_id()`` (id and session generation) and the time it was last used, as a real sign-in's does."""
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["_seen"] = int(time.time())


def token_for(user) -> str:
    """A fresh API token for ``user`` (committed)."""
    from casting.accounts.services import issue_token

    _, text = issue_token(user, "test")
    db.session.commit()
    return text


def auth(user) -> dict:
    """Authorization headers for the API as ``user``."""
    return {"Authorization": f"Bearer {token_for(user)}"}


def count(model) -> int:
    """Rows of ``model`` (to assert that a refused action changed nothing)."""
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))
