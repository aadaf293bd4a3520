"""Migration 0007 fills who created each account, who submitted each credential and who set a
talent's safeguarding data from the audit log, and downgrades cleanly — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from casting import create_app
from casting.extensions import db
from tests.core.test_migrations import _scratch_url

NOW = datetime(2027, 1, 4, 10, 0)


@pytest.fixture
def at_0006(tmp_path):
    url, drop = _scratch_url(tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            upgrade(revision="0006")
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop:
            drop()


def _insert(conn, table: str, **values) -> None:
    cols = ", ".join(values)
    conn.execute(sa.text(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(':' + c for c in values)})"), values)


def _audit(conn, n: int, action: str, entity_type: str, entity_id: int, actor_id, data: str = "{}") -> None:
    _insert(conn, "audit_entries", id=n, created_at=NOW, actor_id=actor_id, actor_label="", action=action,
            entity_type=entity_type, entity_id=entity_id, production_id=None, data=data, prev_hash="0" * 64,
            hash=f"{n:064d}")


def test_backfill_and_downgrade(at_0006):
    with db.engine.begin() as conn:
        for uid, role in ((1, "admin"), (2, "casting_director"), (3, "talent"), (4, "talent"), (5, "casting_director")):
            _insert(conn, "users", id=uid, email=f"u{uid}@example.com", name=f"U {uid}", role=role, active=True,
                    created_at=NOW)
        _insert(conn, "credentials", id=1, user_id=2, registry="CSA", reference="M-1", submitted_at=NOW)
        _insert(conn, "credentials", id=2, user_id=5, registry="CSA", reference="M-2", submitted_at=NOW)
        # Profile 1: added by the office with a date of birth and a guardian, untouched since; profile 2: the
        # talent changed the date of birth afterwards.
        for pid, uid in ((1, 3), (2, 4)):
            _insert(conn, "talent_profiles", id=pid, user_id=uid, legal_name=f"T {pid}", email=f"u{uid}@example.com",
                    date_of_birth=datetime(2012, 1, 1).date(), guardian_name="G", guardian_email="g@example.com",
                    created_by_id=2, created_at=NOW)
        _audit(conn, 1, "user.created", "users", 2, 1)        # the admin made the casting director
        _audit(conn, 2, "user.created", "users", 3, None)     # self-registration
        _audit(conn, 3, "credential.submitted", "credentials", 1, 2)
        _audit(conn, 4, "credential.submitted", "credentials", 2, 1)
        _audit(conn, 5, "talent.updated", "talent_profiles", 2, 4, '{"changed": ["date_of_birth"]}')
    upgrade()
    with db.engine.connect() as conn:
        users = dict(conn.execute(sa.text("SELECT id, created_by_id FROM users")).all())
        creds = dict(conn.execute(sa.text("SELECT id, submitted_by_id FROM credentials")).all())
        talent = {r.id: r for r in conn.execute(sa.text(
            "SELECT id, date_of_birth_set_by_id, guardian_set_by_id FROM talent_profiles")).all()}
    assert users == {1: None, 2: 1, 3: None, 4: None, 5: None}
    assert creds == {1: 2, 2: 1}
    assert (talent[1].date_of_birth_set_by_id, talent[1].guardian_set_by_id) == (2, 2)
    assert (talent[2].date_of_birth_set_by_id, talent[2].guardian_set_by_id) == (None, 2)
    downgrade(revision="0006")
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("talent_profiles")}
    assert "pending_date_of_birth" not in columns
    assert "created_by_id" not in {c["name"] for c in sa.inspect(db.engine).get_columns("users")}
