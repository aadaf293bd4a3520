"""Per-connection database settings and the single-writer discipline on SQLite."""
from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy.engine import Engine


@sa.event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy, not pysqlite, emit BEGIN, so it can be BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    if cur.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@sa.event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(conn):
    # Every transaction takes SQLite's write lock up front: a check-then-insert can
    # then never race, and a busy database waits (busy_timeout) instead of failing
    # with "database is locked" on a lock upgrade half-way through.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def lock_for_write(session) -> None:
    """Serialise a check-then-write against concurrent writers (PostgreSQL advisory lock)."""
    from casting.audit.services import lock_chain

    lock_chain()
