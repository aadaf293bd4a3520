"""Backups that restore: ``flask --app casting backup PATH`` and ``restore PATH``.

SQLite: the online backup API copies the database in one step, a consistent snapshot taken while the app keeps
writing (WAL readers never block writers). PostgreSQL: ``pg_dump -Fc``, which reads one snapshot, and
``pg_restore`` in a single transaction. Uploads and PDFs are blobs in the database, so this is everything.
A restore goes only into an empty database (a new SQLite file, or a PostgreSQL database with no tables), so it
can never mix two histories; afterwards ``flask --app casting audit verify`` shows the chain and its head.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Why a backup or restore could not be done (the CLI prints it and exits 1)."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory: there is nothing to back up or restore into.")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URL for pg_dump/pg_restore (without the password, which goes in PGPASSWORD)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def backup(database_url: str, path: str | Path) -> Path:
    """Write a consistent backup of the database at ``database_url`` to ``path`` (which must not exist)."""
    url, target = make_url(database_url), Path(path)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"No database at {source}.")
        partial = target.with_name(target.name + ".partial")
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # all pages in one step: one read transaction, one snapshot
        finally:
            dst.close()
            src.close()
        os.replace(partial, target)
        return target
    if url.get_backend_name() == "postgresql":
        conninfo, env = _libpq(url)
        partial = target.with_name(target.name + ".partial")
        done = subprocess.run([_tool("pg_dump"), "--format=custom", f"--file={partial}", f"--dbname={conninfo}"],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        os.replace(partial, target)
        return target
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def restore(database_url: str, path: str | Path) -> None:
    """Restore the backup at ``path`` into the empty database at ``database_url``."""
    url, source = make_url(database_url), Path(path)
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    with source.open("rb") as fh:
        magic = fh.read(16)
    if url.get_backend_name() == "sqlite":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup.")
        target = _sqlite_path(url)
        if target.exists() and target.stat().st_size > 0:
            with sqlite3.connect(target) as conn:
                if conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
                    raise BackupError(f"{target} already has tables: restore into a new database file.")
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The restored database fails SQLite's integrity check.")
        finally:
            dst.close()
            src.close()
        return
    if url.get_backend_name() == "postgresql":
        if not magic.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a pg_dump custom-format backup.")
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                tables = conn.execute(sa.text("SELECT count(*) FROM information_schema.tables "
                                              "WHERE table_schema = 'public'")).scalar_one()
        finally:
            engine.dispose()
        if tables:
            raise BackupError(f"The database {url.database} already has tables: restore into an empty database "
                              f"(createdb {url.database}_restored).")
        conninfo, env = _libpq(url)
        done = subprocess.run([_tool("pg_restore"), "--single-transaction", "--exit-on-error", "--no-owner",
                               f"--dbname={conninfo}", str(source)], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed (nothing was restored): {done.stderr.strip()}")
        return
    raise BackupError(f"Restoring into {url.get_backend_name()} databases is not supported.")
