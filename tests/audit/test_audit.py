"""The audit chain: hashes, append-only triggers, verify (CLI and API), tamper detection, filters."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from casting.audit import services as audit
from casting.audit.models import GENESIS_HASH, AuditEntry
from casting.extensions import db
from tests.audit.helpers import drop_triggers, restore_triggers
from tests.conftest import auth, login
from tests.factories import make_production, make_user


def _write(n: int) -> None:
    for i in range(n):
        audit.record("test.event", data={"i": i})
    db.session.commit()


def test_chain_links_each_entry_to_the_previous(app):
    _write(3)
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entries[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert all(audit.compute_hash(e.prev_hash, e) == e.hash for e in entries)


def test_verify_cli_ok(runner, app):
    _write(4)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    head = audit.head()[1]
    assert result.output.strip() == f"OK 4 entries, head {head}"
    assert runner.invoke(args=["audit", "verify", "--expect-head", head]).exit_code == 0


def test_expect_head_detects_a_truncated_tail(runner, app):
    _write(2)
    old_head = audit.head()[1]
    _write(1)
    result = runner.invoke(args=["audit", "verify", "--expect-head", old_head])
    assert result.exit_code == 1
    assert "expected" in result.output


def test_updates_and_deletes_are_refused_by_the_database(app):
    _write(1)
    with pytest.raises(DatabaseError):
        db.session.execute(sa.text("UPDATE audit_entries SET action = 'x'"))
        db.session.flush()
    db.session.rollback()
    with pytest.raises(DatabaseError):
        db.session.execute(sa.text("DELETE FROM audit_entries"))
        db.session.flush()
    db.session.rollback()


def test_tampering_with_one_row_is_caught(runner, app):
    _write(5)
    with db.engine.begin() as conn:
        drop_triggers(conn)
        conn.exec_driver_sql("UPDATE audit_entries SET data = '{\"i\":99}' WHERE id = 3")
        restore_triggers(conn)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 3" in result.output


def test_deleting_a_middle_row_is_caught(runner, app):
    _write(5)
    with db.engine.begin() as conn:
        drop_triggers(conn)
        conn.exec_driver_sql("DELETE FROM audit_entries WHERE id = 2")
        restore_triggers(conn)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 3" in result.output or "entry 2" in result.output


def test_concurrent_writers_do_not_fork_the_chain(app):
    errors = []

    def worker():
        with app.app_context():
            try:
                for i in range(10):
                    audit.record("test.thread", data={"i": i})
                    db.session.commit()
            except Exception as exc:  # collected and asserted below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = audit.verify_chain()
    assert result.ok and result.count == 40


def test_audit_api_admin_sees_all_members_see_their_productions(client, app):
    admin = make_user("admin")
    cd = make_user("casting_director")
    other = make_user("casting_director")
    p = make_production(cd)
    q = make_production(other)
    audit.record("test.p", production_id=p.id)
    audit.record("test.q", production_id=q.id)
    db.session.commit()
    all_actions = [e["action"] for e in client.get("/api/v1/audit?per_page=100", headers=auth(admin)).get_json()["items"]]
    assert "test.p" in all_actions and "test.q" in all_actions
    mine = client.get("/api/v1/audit", headers=auth(cd)).get_json()
    assert [e["action"] for e in mine["items"]] == ["test.p"]
    filtered = client.get(f"/api/v1/audit?production_id={q.id}", headers=auth(cd)).get_json()
    assert filtered["items"] == []
    assert client.get("/api/v1/audit?since=2027-01-01T00:00:00", headers=auth(admin)).status_code == 422
    assert client.get("/api/v1/audit?action=test", headers=auth(admin)).get_json()["total"] == 2
    talent = make_user("talent")
    db.session.commit()
    assert client.get("/api/v1/audit", headers=auth(talent)).status_code == 403


def test_audit_verify_api_is_admin_only(client, app):
    admin = make_user("admin")
    cd = make_user("casting_director")
    db.session.commit()
    body = client.get("/api/v1/audit/verify", headers=auth(admin)).get_json()
    assert body["ok"] is True and body["head"] == audit.head()[1]
    assert client.get("/api/v1/audit/verify", headers=auth(cd)).status_code == 403


def test_audit_page_filters(client, app):
    admin = make_user("admin")
    audit.record("company.verified", data={"x": 1})
    audit.record("session.scheduled", data={"x": 2})
    db.session.commit()
    login(client, admin)
    page = client.get("/audit?action=session")
    assert page.status_code == 200
    assert b"session.scheduled" in page.data
    assert b"<code>company.verified</code>" not in page.data
