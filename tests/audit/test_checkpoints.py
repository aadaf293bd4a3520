"""Signed checkpoints: `audit checkpoint`, `audit verify --from-checkpoint` (issue 9, item 6)."""
from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from casting.audit import checkpoints
from casting.audit import services as audit
from casting.audit.models import AuditCheckpoint, AuditEntry
from casting.core.database import read_only, session_is_writer
from casting.extensions import db
from tests.audit.helpers import drop_triggers, restore_triggers
from tests.conftest import auth
from tests.factories import make_user


def _write(n: int) -> None:
    for i in range(n):
        audit.record("test.event", data={"i": i})
    db.session.commit()


def _checkpoint(runner) -> str:
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    return result.output


def _tamper(sql: str, **params) -> None:
    db.session.rollback()  # the session's transaction holds SQLite's write lock
    with db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(sa.text(sql), params)
        restore_triggers(conn)
    db.session.expire_all()


def _rehash_from(entry_id: int) -> None:
    """What someone with database access but no key can do: rewrite the chain after a change so it links up."""
    db.session.rollback()
    with db.engine.begin() as conn:
        drop_triggers(conn)
        prev = conn.execute(sa.text("SELECT hash FROM audit_entries WHERE id = :i"), {"i": entry_id - 1}).scalar_one()
        for row in conn.execute(sa.select(AuditEntry.__table__).where(AuditEntry.id >= entry_id)
                                .order_by(AuditEntry.id)).all():
            new = audit.compute_hash(prev, row)
            conn.execute(sa.text("UPDATE audit_entries SET prev_hash = :p, hash = :h WHERE id = :i"),
                         {"p": prev, "h": new, "i": row.id})
            prev = new
        restore_triggers(conn)
    db.session.expire_all()


def test_a_checkpoint_then_only_the_newer_entries_are_read(runner, app):
    _write(5)
    output = _checkpoint(runner)
    assert output.startswith("Checkpoint 1: entry 5, head ") and "(5 new entries verified)" in output
    row = db.session.scalar(sa.select(AuditCheckpoint))
    assert (row.entry_id, row.entry_hash) == (5, audit.head()[1])
    assert checkpoints.check(row).entry_id == 5
    _write(3)
    result = runner.invoke(args=["audit", "verify", "--from-checkpoint"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"OK 3 entries after checkpoint 1 (entry 5), head {audit.head()[1]}"
    # The next checkpoint starts from the previous one.
    assert "(3 new entries verified)" in _checkpoint(runner)
    assert runner.invoke(args=["audit", "verify", "--from-checkpoint"]).output.startswith("OK 0 entries after checkpoint 2")
    # The full walk still reads everything.
    assert runner.invoke(args=["audit", "verify"]).output.startswith("OK 8 entries")


def test_without_a_checkpoint_it_verifies_from_the_start(runner, app):
    _write(2)
    result = runner.invoke(args=["audit", "verify", "--from-checkpoint"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["No checkpoint yet: verified from the start.",
                                          f"OK 2 entries, head {audit.head()[1]}"]


def test_a_checkpoint_of_an_empty_chain_holds(runner, app):
    assert "entry 0" in _checkpoint(runner)
    _write(2)
    assert runner.invoke(args=["audit", "verify", "--from-checkpoint"]).output.startswith("OK 2 entries after")


def test_a_forged_checkpoint_is_refused(runner, app):
    _write(5)
    _checkpoint(runner)
    # Someone who can write the database but lacks the SECRET_KEY signs a checkpoint of their own.
    entry_id, entry_hash = 5, audit.head()[1]
    forged = URLSafeSerializer("not-the-key", salt=checkpoints.SALT).dumps({"id": entry_id, "hash": entry_hash,
                                                                           "at": "2027-01-01T00:00:00Z"})
    db.session.add(AuditCheckpoint(entry_id=entry_id, entry_hash=entry_hash, token=forged))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify", "--from-checkpoint"])
    assert result.exit_code == 1
    assert result.output.strip() == ("BAD checkpoint 2: the signature is not valid (forged, or signed with "
                                     "another SECRET_KEY)")
    # Moving a genuine checkpoint's columns to another entry does not work either.
    genuine = db.session.get(AuditCheckpoint, 1)
    db.session.add(AuditCheckpoint(entry_id=3, entry_hash=genuine.entry_hash, token=genuine.token))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify", "--from-checkpoint"])
    assert result.exit_code == 1 and "its columns differ from what was signed" in result.output
    # `audit checkpoint` refuses to build on it too.
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 1


def test_a_checkpoint_signed_with_an_old_key_still_verifies(runner, app):
    _write(2)
    _checkpoint(runner)
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "a-rotated-key"
    assert runner.invoke(args=["audit", "verify", "--from-checkpoint"]).exit_code == 0
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert runner.invoke(args=["audit", "verify", "--from-checkpoint"]).exit_code == 1


def test_an_entry_rewritten_after_the_checkpoint_is_caught(runner, app):
    _write(4)
    _checkpoint(runner)
    _write(4)
    _tamper("UPDATE audit_entries SET data = :d WHERE id = 6", d='{"i":99}')
    result = runner.invoke(args=["audit", "verify", "--from-checkpoint"])
    assert result.exit_code == 1
    assert result.output.strip() == "BAD entry 6: hash does not match the entry's contents (1 entries verified before it)"


def test_a_chain_rewritten_before_the_checkpoint_is_caught(runner, app):
    _write(6)
    _checkpoint(runner)
    _tamper("UPDATE audit_entries SET data = :d WHERE id = 2", d='{"i":99}')
    _rehash_from(2)
    # Re-hashed, the chain is consistent again: a full walk cannot tell it from the original ...
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # ... but the signed checkpoint remembers entry 6's hash.
    result = runner.invoke(args=["audit", "verify", "--from-checkpoint"])
    assert result.exit_code == 1
    assert "checkpoint 1: entry 6's hash is no longer" in result.output


def test_an_entry_before_the_checkpoint_rewritten_without_rehashing(runner, app):
    _write(6)
    _checkpoint(runner)
    _tamper("UPDATE audit_entries SET data = :d WHERE id = 2", d='{"i":99}')
    # --from-checkpoint trusts what it signed and does not reread it; the full walk catches the change.
    assert runner.invoke(args=["audit", "verify", "--from-checkpoint"]).exit_code == 0
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and result.output.startswith("BAD entry 2")
    # The checkpoint's own entry is reread: changing it is caught.
    _tamper("UPDATE audit_entries SET data = :d WHERE id = 6", d='{"i":99}')
    result = runner.invoke(args=["audit", "verify", "--from-checkpoint"])
    assert result.exit_code == 1 and "entry 6's contents no longer match its hash" in result.output


def test_progress_is_reported_per_batch(app):
    _write(7)
    seen = []
    result = audit.verify_chain(progress=lambda done, total: seen.append((done, total)), batch=3)
    assert result.ok and seen == [(3, 7), (6, 7), (7, 7)]
    seen.clear()
    assert audit.verify_chain(start=(4, db.session.get(AuditEntry, 4).hash), batch=2,
                              progress=lambda done, total: seen.append((done, total))).count == 3
    assert seen == [(2, 3), (3, 3)]


def test_the_api_verifies_from_the_newest_checkpoint(client, runner, app):
    admin = make_user("admin")
    db.session.commit()
    _write(4)
    body = client.get("/api/v1/audit/verify?from_checkpoint=1", headers=auth(admin)).get_json()
    assert body["ok"] is True and body["from_entry"] == 0 and body["entries"] == audit.head()[0]
    _checkpoint(runner)
    _write(2)
    body = client.get("/api/v1/audit/verify?from_checkpoint=1", headers=auth(admin)).get_json()
    checkpoint_entry = db.session.scalar(sa.select(AuditCheckpoint.entry_id))
    # auth() makes a token (an entry of its own): count from the head rather than assume.
    assert audit.head()[0] - checkpoint_entry >= 2
    assert body == {"ok": True, "entries": audit.head()[0] - checkpoint_entry, "head": audit.head()[1], "first_bad_id": None, "reason": None,
                    "from_entry": checkpoint_entry}
    assert client.get("/api/v1/audit/verify", headers=auth(admin)).get_json()["entries"] == audit.head()[0]
    db.session.add(AuditCheckpoint(entry_id=1, entry_hash="0" * 64, token="forged.token"))
    db.session.commit()
    body = client.get("/api/v1/audit/verify?from_checkpoint=1", headers=auth(admin)).get_json()
    assert body["ok"] is False and "signature is not valid" in body["reason"]


def _another_writer_gets_in() -> bool:
    """Whether another connection can take SQLite's write lock right now (without waiting)."""
    other = sqlite3.connect(db.engine.url.database, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_verify_reads_without_holding_sqlites_write_lock(app, runner):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single write lock")
    _write(3)
    db.session.rollback()
    with read_only():
        assert audit.verify_chain().ok  # the session's transaction is still open here
        assert not session_is_writer()
        assert _another_writer_gets_in()
    db.session.rollback()
    # Outside read_only() a CLI-side transaction takes the write lock up front: what the commands avoid.
    assert audit.verify_chain().ok
    assert not _another_writer_gets_in()
    db.session.rollback()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    assert _another_writer_gets_in()  # the command ended its transaction
