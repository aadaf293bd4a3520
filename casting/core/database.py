"""Per-connection database settings and the single-writer discipline on SQLite."""
from __future__ import annotations

import logging
import sqlite3
import time
import traceback
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy.engine import Engine

from casting.extensions import db

# pg_advisory_xact_lock key that serialises writers (check-then-write, the audit chain) on PostgreSQL.
WRITE_LOCK_KEY = 0x43A11BAC
# How long a statement waits for a lock SQLite holds before it fails with "database is locked".
BUSY_TIMEOUT_MS = 30000
# A writer waiting for SQLite's write lock tries again this often. SQLite's own busy handler sleeps longer and longer
# between tries (up to 100 ms), so a writer behind a job that commits short transactions back to back kept missing
# the gaps between them and waited seconds; trying every millisecond it gets in at the next gap.
WRITE_LOCK_RETRY_SECONDS = 0.001
# A write transaction that holds SQLite's write lock longer than this is logged, with the code that ended it: every
# other writer waits that long (issue 9: none should wait over 250 ms).
SLOW_WRITE_SECONDS = 0.1
log = logging.getLogger(__name__)


@sa.event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy, not pysqlite, emit BEGIN, so it can be BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if cur.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def engine_defaults(app) -> None:
    """Engine options that depend on the database, unless the settings give them.

    ``pool_pre_ping`` tests a pooled connection before each request uses it, so a server that dropped it (a
    restart, an idle timeout) costs a reconnect instead of an error. SQLite is a file: nothing drops the
    connection, and the ping would be one more statement on every request.
    """
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", not str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITES_NOW = "casting.writes_now"  # set in a request's environ by begin_writing()


def writes(view):
    """Mark a GET view that writes (e.g. recording a document view) so it takes the write lock."""
    view._writes = True
    return view


_reading: ContextVar[bool] = ContextVar("reading", default=False)


@contextmanager
def read_only() -> Iterator[None]:
    """Transactions begun inside are plain reads on SQLite (no write lock), even outside a request: for a long
    read in a CLI command or job (``audit verify``) that must not hold every writer up. End the session's
    transaction before entering and after leaving."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def wants_write_lock() -> bool:
    """Whether a new transaction should take SQLite's write lock up front.

    Requests that change things (POST, PATCH, ...), GET views marked ``@writes``, and
    everything outside a request (CLI commands, scripts) do; plain page reads do not,
    so readers never queue behind writers.
    """
    if _reading.get():
        return False
    if not has_request_context() or (has_app_context() and g.get("_background_writer")):
        return True
    if request.method not in SAFE_METHODS or request.environ.get(WRITES_NOW):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "_writes", False))


@contextmanager
def read_transaction():
    """A transaction that only reads, even where transactions write by default (a CLI command, a job): a plain
    BEGIN on SQLite, so it never waits for or holds the write lock. It ends (commits) when the block does."""
    if db.session().in_transaction():
        db.session.commit()
    with read_only():
        try:
            yield
        finally:
            db.session.commit()


def background_writer() -> None:
    """Mark the current app context as background work (a job): its transactions write, so they take the
    write lock up front, even when it runs in-process inside a request that only reads."""
    g._background_writer = True


@sa.event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    # A writing transaction takes SQLite's write lock up front (BEGIN IMMEDIATE): a
    # check-then-insert can then never race, and a busy database waits (busy_timeout)
    # instead of failing with "database is locked" on a lock upgrade half-way through.
    if conn.dialect.name == "sqlite":
        writer = wants_write_lock()
        if writer:
            _begin_immediate(conn)
            conn.info["writer_since"] = (time.perf_counter(), time.process_time())
        else:
            conn.exec_driver_sql("BEGIN")
        conn.info["writer"] = writer


def _begin_immediate(conn) -> None:
    """BEGIN IMMEDIATE, waiting up to BUSY_TIMEOUT_MS for the write lock in steps of WRITE_LOCK_RETRY_SECONDS."""
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc):
                    break
            time.sleep(WRITE_LOCK_RETRY_SECONDS)
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # once more, failing (or not) as SQLAlchemy does
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


@sa.event.listens_for(Engine, "commit")
@sa.event.listens_for(Engine, "rollback")
def _transaction_ended(conn):
    conn.info.pop("writer", None)
    since = conn.info.pop("writer_since", None)
    if since is not None and (held := time.perf_counter() - since[0]) > SLOW_WRITE_SECONDS:
        # The process's CPU time in it too: far less than the time held means the machine was busy, not the code slow.
        log.warning("write lock held %.0f ms (CPU %.0f ms), ended at %s", held * 1000,
                    (time.process_time() - since[1]) * 1000, _ended_at())


def _ended_at() -> str:
    """Where the app's code ended a transaction: its innermost frames outside this module (only for slow ones)."""
    frames = [f for f in traceback.extract_stack() if "/casting/" in f.filename and not f.filename.endswith(
        "/core/database.py")]
    return " <- ".join(f"{f.filename.rsplit('/casting/', 1)[1]}:{f.lineno} {f.name}" for f in reversed(frames[-4:]))


def begin_writing() -> None:
    """From now on this request's transactions take the write lock, whatever its method: for a read that must
    write after all (the audit entry of a refused GET). Call it with no transaction open (after a rollback)."""
    if has_request_context():
        request.environ[WRITES_NOW] = True


def session_is_writer() -> bool:
    """Whether the session's current transaction may write without waiting for another one: on SQLite,
    one begun with the write lock; on PostgreSQL, any."""
    if not db.session().in_transaction():
        return False
    connection = db.session.connection()
    return connection.dialect.name != "sqlite" or bool(connection.info.get("writer"))


def lock_for_write() -> None:
    """Serialise a check-then-write against concurrent writers.

    SQLite already holds its write lock (BEGIN IMMEDIATE); on PostgreSQL this takes a
    transaction-scoped advisory lock, the same one every writer of the audit chain takes.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
