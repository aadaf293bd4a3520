"""PostgreSQL: TRUNCATE is refused by trigger, and an app role holding only INSERT and SELECT on the audit tables
(the README's "The audit log" snippet) can append entries but not change or remove them (issue 10, item 5)."""
from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from casting.audit import services as audit
from casting.extensions import db
from tests.conftest import PG_URL, make_app

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only (set TEST_DATABASE_URL)")


def test_truncate_is_refused_by_the_trigger(app):
    audit.record("test.event")
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE audit_entries"))
    db.session.rollback()
    assert audit.verify_chain().count == 1


def _readme_grants(role: str) -> list[str]:
    """The README's statements, for ``role`` (kept in step with the README by test_readme_has_the_snippet)."""
    return [s.replace("callback_app", role) for s in GRANTS]


GRANTS = [
    "GRANT USAGE ON SCHEMA public TO callback_app",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO callback_app",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO callback_app",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries, audit_checkpoints FROM callback_app",
]


def test_readme_has_the_snippet():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for statement in GRANTS:
        assert statement + ";" in readme


@pytest.fixture
def app_role(app):
    """A login role with the README's grants; dropped afterwards."""
    role = f"callback_app_{uuid.uuid4().hex[:8]}"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        for statement in _readme_grants(role):
            conn.exec_driver_sql(statement.replace(f"TO {role}", f'TO "{role}"').replace(f"FROM {role}", f'FROM "{role}"'))
    try:
        yield role
    finally:
        db.session.remove()
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')


def test_the_app_role_appends_but_cannot_change_or_remove(app, app_role, tmp_path):
    audit.record("test.by_owner")
    db.session.commit()
    url = sa.engine.make_url(PG_URL).set(username=app_role, password=None)
    role_app = make_app(tmp_path, url.render_as_string(hide_password=False))
    with role_app.app_context():
        try:
            # The app's own path: head, the advisory write lock, the INSERT.
            entry = audit.record("test.by_app_role", data={"ok": True})
            db.session.commit()
            assert entry.id == 2
            assert audit.verify_chain().ok
        finally:
            db.session.remove()
            db.engine.dispose()
    conninfo = sa.engine.make_url(PG_URL).set(drivername="postgresql", username=app_role, password=None)
    with psycopg.connect(conninfo.render_as_string(hide_password=False), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0] == 2
        for statement in ("UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries",
                          "TRUNCATE audit_entries", "UPDATE audit_checkpoints SET entry_id = 0",
                          "ALTER TABLE audit_entries DISABLE TRIGGER USER"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    assert audit.verify_chain().count == 2
