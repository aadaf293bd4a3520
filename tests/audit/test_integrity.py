"""The hash covers the exact stored text of each entry, and documents' recorded heads are checked (issue 10, item 5)."""
from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from casting.audit import services as audit
from casting.audit.models import AuditEntry
from casting.extensions import db
from tests.audit.helpers import drop_triggers, restore_triggers
from tests.documents.factories import make_callback, make_document


def old_hash(prev_hash: str, entry) -> str:
    """The hash as it was computed before: over JSON re-serialised from the parsed data."""
    payload = {"id": entry.id, "created_at": entry.created_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
               "actor_id": entry.actor_id, "actor_label": entry.actor_label, "action": entry.action,
               "entity_type": entry.entity_type, "entity_id": entry.entity_id, "production_id": entry.production_id,
               "data": json.loads(entry.data)}
    return hashlib.sha256((prev_hash + audit.canonical_json(payload)).encode()).hexdigest()


TRICKY = ["", "plain", "quote \" and \\ backslash", "line\nbreak\ttab", "\x01\x1f control", "ünïcödé 台本 scène",
          "emoji 🎬", "\u2028\u2029 separators", "</script>", "a" * 300]


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(7 if depth < 3 else 4)
    if kind == 0:
        return rng.choice(TRICKY)
    if kind == 1:
        return rng.randrange(-10**12, 10**12)
    if kind == 2:
        return rng.choice([None, True, False, 0.1, 1e-7, 12345.678, -0.0])
    if kind == 3:
        return datetime(2027, 3, 1, 9, rng.randrange(60), tzinfo=timezone.utc)
    if kind in (4, 5):
        return {rng.choice(TRICKY) + str(i): _value(rng, depth + 1) for i in range(rng.randrange(4))}
    return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]


def test_the_hash_of_canonical_data_is_what_it_was_before():
    """Every entry ``record`` writes (canonical data text) hashes exactly as before: old chains still verify."""
    rng = random.Random(20271201)
    for i in range(2000):
        entry = SimpleNamespace(
            id=rng.randrange(1, 2**31), created_at=datetime(2027, 1, 1, tzinfo=timezone.utc).replace(
                microsecond=rng.randrange(10**6), second=rng.randrange(60)),
            actor_id=rng.choice([None, rng.randrange(1, 10**9)]), actor_label=rng.choice(TRICKY),
            action=rng.choice(["test.event", "session.scheduled", "ü.é"]), entity_type=rng.choice([None, *TRICKY]),
            entity_id=rng.choice([None, 0, rng.randrange(1, 2**31)]), production_id=rng.choice([None, 7]),
            data=audit.canonical_json({k: _value(rng) for k in rng.sample(TRICKY, rng.randrange(5))}))
        prev = hashlib.sha256(str(i).encode()).hexdigest()
        assert audit.compute_hash(prev, entry) == old_hash(prev, entry), entry


def test_entries_written_by_record_verify_and_match_the_old_hash(app):
    audit.record("test.event", data={"when": datetime(2027, 3, 1, tzinfo=timezone.utc), "name": "Zoë \"Z\"\n",
                                     "nested": {"b": [1, 2.5, None], "a": True}})
    audit.record("test.event", production_id=3, entity_type="talent", entity_id=9)
    db.session.commit()
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [old_hash(e.prev_hash, e) for e in entries] == [e.hash for e in entries]
    assert audit.verify_chain().ok


def _forge(entry_id: int, text: str) -> None:
    db.session.rollback()  # the session's transaction holds SQLite's write lock
    with db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(sa.text("UPDATE audit_entries SET data = :d WHERE id = :i"), {"d": text, "i": entry_id})
        restore_triggers(conn)


def test_a_duplicated_key_forgery_is_caught(app, runner):
    audit.record("user.created", data={"email": "producer@x"})
    audit.record("test.after")
    db.session.commit()
    _forge(1, '{"email":"FORGED","email":"producer@x"}')
    db.session.expire_all()
    entry = db.session.get(AuditEntry, 1)
    assert entry.data.startswith('{"email":"FORGED"')
    # The old hash, over re-serialised JSON, was fooled: the parser keeps the last duplicate.
    assert old_hash(entry.prev_hash, entry) == entry.hash
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert result.output.startswith("BAD entry 1: hash does not match")


def test_non_canonical_spacing_or_order_is_caught(app):
    audit.record("test.event", data={"a": 1, "b": 2})
    db.session.commit()
    for text in ('{"a": 1, "b": 2}', '{"b":2,"a":1}', '{"a":1,"b":2} ', '{"a":1.0,"b":2}'):
        _forge(1, text)
        result = audit.verify_chain()
        assert not result.ok and result.bad_id == 1, text
    _forge(1, '{"a":1,"b":2}')  # the original text verifies again
    assert audit.verify_chain().ok


def test_a_crafted_insert_hashed_the_old_way_is_caught(app):
    """An appended entry whose hash an attacker computed over re-serialised JSON (as the old verify did)."""
    audit.record("test.event")
    db.session.commit()
    last_id, prev = audit.head()
    db.session.rollback()  # let go of SQLite's write lock
    crafted = SimpleNamespace(id=last_id + 1, created_at=datetime(2027, 5, 1, tzinfo=timezone.utc), actor_id=None,
                              actor_label="", action="user.created", entity_type=None, entity_id=None,
                              production_id=None, data='{"email":"FORGED","email":"producer@x"}')
    with db.engine.begin() as conn:
        conn.execute(AuditEntry.__table__.insert().values(
            id=crafted.id, created_at=crafted.created_at, actor_id=None, actor_label="", action=crafted.action,
            entity_type=None, entity_id=None, production_id=None, data=crafted.data, prev_hash=prev,
            hash=old_hash(prev, crafted)))
    result = audit.verify_chain()
    assert not result.ok
    assert result.bad_id == crafted.id and result.count == 1


def test_verify_checks_each_documents_recorded_head(app, runner):
    audit.record("test.event")
    invitation = make_callback()
    good, forged = make_document(invitation), make_document(invitation, "recording_release")
    db.session.commit()
    assert good.audit_head_at_issue == audit.head()[1]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    db.session.execute(sa.text("UPDATE documents SET audit_head_at_issue = :h WHERE id = :i"),
                       {"h": "f" * 64, "i": forged.id})
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "recorded audit head not in the chain" in result.output
    assert forged.serial in result.output and good.serial not in result.output
    assert audit.verify_chain().unrecorded_heads == [forged.serial]


def test_a_field_of_the_wrong_type_is_reported_not_raised(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's column types refuse such values outright")
    audit.record("test.event")
    audit.record("test.event")
    db.session.commit()
    db.session.rollback()
    with db.engine.begin() as conn:
        drop_triggers(conn)
        conn.exec_driver_sql("UPDATE audit_entries SET created_at = 12345, actor_id = 'x' WHERE id = 2")
    result = audit.verify_chain()
    assert not result.ok and result.bad_id == 2 and "not what the app writes" in result.reason
