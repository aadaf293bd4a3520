"""Migrations build the whole schema, equal to the models, with the audit triggers — on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from casting import create_app
from casting.extensions import db

ADMIN_URL = os.environ.get("TEST_DATABASE_ADMIN_URL")
PG_URL = os.environ.get("TEST_DATABASE_URL")


def _scratch_url(tmp_path):
    """A fresh empty database: a new SQLite file, or a new PostgreSQL database beside the test one."""
    if not PG_URL:
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}", None
    import psycopg

    name = f"cb_mig_{uuid.uuid4().hex[:10]}"
    admin = ADMIN_URL or PG_URL.replace("+psycopg", "").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return PG_URL.rsplit("/", 1)[0] + "/" + name, drop


@pytest.fixture
def migrated(tmp_path):
    url, drop = _scratch_url(tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            upgrade()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop:
            drop()


def test_upgrade_matches_the_models(migrated):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"render_as_batch": True}), db.metadata)
    # Type affinity differences SQLite cannot express are not schema drift.
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_migrated_audit_log_is_append_only(migrated):
    from casting.audit import services as audit

    audit.record("test.migrated")
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.text("DELETE FROM audit_entries"))
        db.session.flush()
    db.session.rollback()
    assert audit.verify_chain().ok
