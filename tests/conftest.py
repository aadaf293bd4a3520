"""Fixtures: an app with a fresh database per test (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), clients, and login helpers. Factories live in tests/factories.py.

Under pytest-xdist every worker is its own process with its own databases: SQLite files under
the worker's tmp dir, and on PostgreSQL a database of its own, ``<TEST_DATABASE_URL's db>_<worker>``
(e.g. ``callback_ci_gw0``), created on first use with TEST_DATABASE_ADMIN_URL."""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import sqlalchemy as sa

from casting import create_app
from casting.extensions import db

# "gw0", "gw1", ... in a pytest-xdist worker; None in a plain (serial) run.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def _worker_url(url: str | None) -> str | None:
    """The PostgreSQL database of this worker: ``<db>_<worker>`` beside TEST_DATABASE_URL's database."""
    if not url or not XDIST_WORKER:
        return url
    parsed = sa.engine.make_url(url)
    return parsed.set(database=f"{parsed.database}_{XDIST_WORKER}").render_as_string(hide_password=False)


PG_URL = _worker_url(os.environ.get("TEST_DATABASE_URL"))


_SIGNING_PEM: list[Path] = []


def signing_pem() -> Path:
    """One installation signing key for the whole test run (casting/documents/pades.py), made once."""
    if not _SIGNING_PEM:
        import tempfile

        from casting.documents.pades import _create

        path = Path(tempfile.mkdtemp(prefix="callback-signing-")) / "signing.pem"
        _create(path, "Callback document signing (tests)")
        _SIGNING_PEM.append(path)
    return _SIGNING_PEM[0]


def base_config(tmp_path: Path, db_url: str) -> dict:
    return {
        # The installation's document-signing key (made once for the run, not in the repository's instance/).
        "CASTING_SIGNING_PEM": str(signing_pem()),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": db_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "MAIL_SPOOL_DIR": str(tmp_path / "mail-spool"),
        "PUBLIC_BASE_URL": "http://callback.test",
        # argon2id still, with small parameters so the suite stays fast.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "RATELIMIT_ENABLED": False,
        # The second-factor requirement is tested on its own (tests/accounts/test_mfa.py); elsewhere admins
        # act without enrolling first.
        "CASTING_MFA_REQUIRED_ROLES": "",
        # Jobs run in-process as soon as they are enqueued (after the commit that started them); tests/jobs runs
        # the real worker against SQLite and Redis storage.
        "CASTING_JOBS_IMMEDIATE": True,
        "CASTING_JOBS_RETRIES": 0,
        "CASTING_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",

        # Every /api/v1 response a test produces must be one its OpenAPI declaration allows (status and schema):
        # casting/core/openapi_check.py raises UndeclaredResponse otherwise.
        "CASTING_CHECK_API_SCHEMAS": True,

        # A lazy load per row of a list raises (casting/core/nplusone.py): an N+1 cannot land.
        "CASTING_RAISE_ON_N_PLUS_ONE": True,
    }


def make_app(tmp_path: Path, db_url: str, overrides: dict | None = None):
    """The app as tests use it: ``base_config`` plus ``overrides``, on ``db_url``."""
    config = base_config(tmp_path, db_url)
    config.update(overrides or {})
    app = create_app(config)

    def _forget_cached_user():
        # Requests in a test reuse the fixture's app context, and with it ``g``: drop the
        # user Flask-Login cached for the previous request, as a fresh context would. First of
        # all before_request functions, so none of them sees the previous request's user.
        from flask import g

        g.pop("_login_user", None)
        g.pop("api_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, _forget_cached_user)
    return app


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


def _pg_admin_url() -> str:
    admin = os.environ.get("TEST_DATABASE_ADMIN_URL")
    if admin:
        return admin
    return sa.engine.make_url(PG_URL).set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)


def _pg_create_database() -> None:
    """Create this worker's database if it does not exist yet (a serial run uses TEST_DATABASE_URL's own)."""
    import psycopg
    from psycopg import sql

    name = sa.engine.make_url(PG_URL).database
    with psycopg.connect(_pg_admin_url(), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def pg_prepare(app) -> None:
    """Once per process: an empty schema in this process's database, whatever an earlier run left behind."""
    global _pg_ready
    if _pg_ready:
        return
    if XDIST_WORKER:
        _pg_create_database()
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        db.create_all()
    _pg_ready = True


def pg_sequences(conn) -> list[tuple[str, int, int | None]]:
    """(name, start value, last value or None) of every sequence in the public schema."""
    return [tuple(r) for r in conn.exec_driver_sql(
        "SELECT sequencename, start_value, last_value FROM pg_sequences WHERE schemaname = 'public'")]


def pg_empty_sql(conn) -> str:
    """SQL that empties every table and restarts every sequence, as TRUNCATE ... RESTART IDENTITY would.

    DELETE rather than TRUNCATE: the tables are tiny, and every TRUNCATE gives each table new files
    that the next checkpoint must sync and unlink. Over a run that made tests slower and the next
    checkpoint (DROP DATABASE waits for one) take minutes."""
    # replica role skips the append-only triggers and foreign-key checks, only for this reset between tests.
    statements = ["SET LOCAL session_replication_role = replica"]
    statements += [f'DELETE FROM public."{t.name}"' for t in reversed(db.metadata.sorted_tables)]
    statements += [f"SELECT setval('public.\"{name}\"', {start}, false)" for name, start, _ in pg_sequences(conn)]
    return ";\n".join(statements)


_pg_empty_sql: str | None = None


def pg_empty() -> None:
    """Empty every table and restart every sequence (in an app context)."""
    global _pg_empty_sql
    with db.engine.begin() as conn:
        if _pg_empty_sql is None:
            _pg_empty_sql = pg_empty_sql(conn)
        conn.exec_driver_sql(_pg_empty_sql)


@dataclass(frozen=True)
class DatabaseSeed:
    """What every test's database starts as: on SQLite a file each test copies; on PostgreSQL
    ``pg_reset`` (run in an app context) brings this process's database to that state."""
    sqlite_file: Path
    pg_reset: Callable[[], None]


@pytest.fixture
def database_seed(_sqlite_template) -> DatabaseSeed:
    """The empty schema. A directory's conftest may override this to start its tests from a prebuilt
    world (tests/access does)."""
    return DatabaseSeed(_sqlite_template, pg_empty)


@pytest.fixture
def app_config(tmp_path, request) -> dict:
    """Per-test overrides; a test may update the dict before using ``app``."""
    return {}


@pytest.fixture
def app(tmp_path, database_seed, app_config):
    if PG_URL:
        url = PG_URL
    else:
        dbfile = tmp_path / "test.sqlite3"
        shutil.copy(database_seed.sqlite_file, dbfile)
        url = f"sqlite:///{dbfile}"
    app = make_app(tmp_path, url, app_config)
    if PG_URL:
        pg_prepare(app)
    with app.app_context():
        if PG_URL:
            database_seed.pg_reset()
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


# One browser per test process, for tests/e2e and the accessibility sweep in tests/access: Playwright's sync API
# runs one event loop in the thread, so a second browser fixture (a second sync_playwright) could not start.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
