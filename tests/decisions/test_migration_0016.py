"""Migration 0016: the proposals CHECK takes 'withdrawn' (and still refuses nonsense), the SQLite table copy
keeps the audit triggers and the partial unique index, and it downgrades cleanly — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from casting import create_app
from casting.extensions import db
from tests.core.test_migrations import _scratch_url
from tests.core.test_migration_four_eyes import _audit, _insert

NOW = datetime(2027, 1, 4, 10, 0)


@pytest.fixture
def at_0011(tmp_path):
    url, drop = _scratch_url(tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            upgrade(revision="0011")
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop:
            drop()


def _proposal(conn, pid: int, status: str) -> None:
    _insert(conn, "proposals", id=pid, role_id=1, talent_id=1, terms="{}", status=status, proposed_by_id=1,
            created_at=NOW)


def _world(conn) -> None:
    _insert(conn, "users", id=1, email="cd@example.com", name="CD", role="casting_director", active=True,
            created_at=NOW)
    _insert(conn, "companies", id=1, legal_name="Co", registration_number="1", address="A", website="w",
            phone="p", email="e@example.com", created_by_id=1, created_at=NOW)
    _insert(conn, "productions", id=1, title="P", company_id=1, kind="film", description="d",
            safeguarding_contact="s", created_by_id=1, created_at=NOW)
    _insert(conn, "production_roles", id=1, production_id=1, name="R", description="d", nudity_or_intimacy=False, created_at=NOW,
            status="open")
    _insert(conn, "talent_profiles", id=1, legal_name="T", email="t@example.com", created_at=NOW)


def _has_partial_index() -> bool:
    insp = sa.inspect(db.engine)
    return any(ix["name"] == "uq_invitations_active_slot" for ix in insp.get_indexes("invitations"))


def _refuses(sql: str) -> bool:
    try:
        with db.engine.begin() as conn:
            conn.execute(sa.text(sql))
    except sa.exc.DBAPIError:
        return True
    return False


def test_withdrawn_is_allowed_and_the_rest_survives(at_0011):
    with db.engine.begin() as conn:
        _world(conn)
        _proposal(conn, 1, "approved")
        _audit(conn, 1, "proposal.approved", "proposals", 1, 1)
    assert _refuses("UPDATE proposals SET status = 'withdrawn' WHERE id = 1")   # before: the old CHECK
    upgrade()
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE proposals SET status = 'withdrawn', withdrawal_reason = 'Budget' WHERE id = 1"))
        _insert(conn, "review_comments", id=1, role_id=1, talent_id=1, proposal_id=1, author_id=1, body="Hm",
                created_at=NOW)
    assert _refuses("UPDATE proposals SET status = 'bogus' WHERE id = 1")       # the CHECK is still there
    assert _refuses("DELETE FROM audit_entries")                                # the triggers survive
    assert _has_partial_index()
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name = 'uq_invitations_active_slot'")).scalar()
            triggers = set(conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        assert "WHERE" in sql
        assert {"audit_entries_no_update", "audit_entries_no_delete"} <= triggers
    downgrade(revision="0011")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM proposals WHERE id = 1")).scalar() == "declined"
    assert "review_comments" not in sa.inspect(db.engine).get_table_names()
    assert "withdrawn_at" not in {c["name"] for c in sa.inspect(db.engine).get_columns("proposals")}
    assert _refuses("UPDATE proposals SET status = 'withdrawn' WHERE id = 1")
