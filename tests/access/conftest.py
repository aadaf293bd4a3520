"""The access matrix's world, built once per test process (each pytest-xdist worker builds its own).

Every test here starts from a fresh copy of the world's database, so whatever a row changes (its
successful writes included) is gone before the next row runs:

* SQLite: the world is built in a file once; each test copies that file (as the empty template is
  copied everywhere else).
* PostgreSQL: the world is built once and its tables copied to a snapshot schema; each test empties
  the tables and copies the snapshot back, sequences included, so ids come out the same.

The tests here also share one app per process (``app`` below); test_world.py checks the isolation.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from casting.extensions import db
from tests.access.world import World, build_full_world, freeze, thaw
from tests.conftest import PG_URL, DatabaseSeed, make_app, pg_empty, pg_empty_sql, pg_prepare, pg_sequences

SNAPSHOT_SCHEMA = "access_world"


def _pg_snapshot() -> str:
    """Copy every table of the world to SNAPSHOT_SCHEMA; returns the SQL that puts the world back:
    every table emptied and refilled from the copy, every sequence where it was."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        statements = [pg_empty_sql(conn)]  # also takes the replica role: no triggers, no foreign-key checks
        for table in db.metadata.sorted_tables:
            name = table.name
            conn.exec_driver_sql(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{name}" AS TABLE public."{name}"')
            if conn.exec_driver_sql(f'SELECT EXISTS (SELECT 1 FROM public."{name}")').scalar():
                statements.append(f'INSERT INTO public."{name}" SELECT * FROM {SNAPSHOT_SCHEMA}."{name}"')
        statements += [f"SELECT setval('public.\"{name}\"', {last}, true)"
                       for name, _, last in pg_sequences(conn) if last is not None]
    return ";\n".join(statements)


def fingerprint() -> dict[str, str]:
    """A digest of every table's rows, and on PostgreSQL where every sequence stands: the state a test
    starts from, to show that it is the world as built."""
    db.session.expire_all()
    out = {}
    for table in db.metadata.sorted_tables:
        rows = sorted(repr(tuple(r)) for r in db.session.execute(sa.select(table)))
        out[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    if PG_URL:
        out.update({f"sequence {name}": str(last) for name, _, last in pg_sequences(db.session.connection())})
    return out


@dataclass(frozen=True)
class WorldSeed:
    database: DatabaseSeed
    world: World            # frozen: classes and primary keys
    fingerprint: dict[str, str]


@pytest.fixture(scope="session")
def _world_seed(tmp_path_factory, _sqlite_template) -> WorldSeed:
    tmp = tmp_path_factory.mktemp("access_world")
    path = tmp / "world.sqlite3"
    if PG_URL:
        url = PG_URL
    else:
        shutil.copy(_sqlite_template, path)
        url = f"sqlite:///{path}"
    app = make_app(tmp, url)
    if PG_URL:
        pg_prepare(app)
    restore_sql = None
    with app.app_context():
        if PG_URL:
            pg_empty()
        frozen = freeze(build_full_world())
        built = fingerprint()
        db.session.commit()
        if PG_URL:
            restore_sql = _pg_snapshot()
        db.session.remove()
        db.engine.dispose()  # the last connection closing folds SQLite's WAL back into the file
    assert PG_URL or not path.with_name(path.name + "-wal").exists(), "the world is not all in its file"

    def pg_restore() -> None:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(restore_sql)

    return WorldSeed(DatabaseSeed(path, pg_restore), frozen, built)


@pytest.fixture
def database_seed(_world_seed) -> DatabaseSeed:
    """Tests in tests/access start from the world, not from an empty schema."""
    return _world_seed.database


@pytest.fixture(scope="session")
def _shared_app(tmp_path_factory, _world_seed):
    tmp = tmp_path_factory.mktemp("access_app")
    dbfile = tmp / "test.sqlite3"
    return make_app(tmp, PG_URL or f"sqlite:///{dbfile}"), dbfile


@pytest.fixture
def app(_shared_app, database_seed, app_config, tmp_path):
    """One app for every test here, as one app serves every user in production (building an app
    for each row cost more than the row's requests). Each test still has its own copy of the
    world's database, its own app context and its own outbox."""
    assert not app_config, "tests/access share one app: app_config overrides are not applied here"
    app, dbfile = _shared_app
    if not PG_URL:
        # The previous test disposed of the engine: no connection is open, and SQLite has folded its
        # WAL back into the file, so the file can be replaced whole.
        for leftover in ("-wal", "-shm"):
            assert not dbfile.with_name(dbfile.name + leftover).exists(), f"a connection outlived its test ({leftover})"
        incoming = dbfile.with_name("incoming.sqlite3")
        shutil.copy(database_seed.sqlite_file, incoming)
        os.replace(incoming, dbfile)
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "outbox")
    with app.app_context():
        if PG_URL:
            database_seed.pg_reset()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def world(app, _world_seed) -> World:
    """The world, loaded from this test's own copy of its database."""
    return thaw(_world_seed.world)
