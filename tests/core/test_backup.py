"""Backups that restore: ``backup`` while another thread keeps writing audited changes, ``restore`` into a fresh
database, and the restored audit chain verifies with the head it had at the backup; on SQLite and PostgreSQL.
Also ``GET /healthz`` (issue 10)."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from casting.audit import services as audit
from casting.audit.models import AuditEntry
from casting.extensions import db
from tests.conftest import PG_URL, _pg_admin_url, make_app


def _writer(app, started: threading.Event, stop: threading.Event, errors: list) -> None:
    """Audited writes, one transaction each, as the app makes them: 10 before ``started``, and on until
    ``stop``, then 3 more (so the backup ran while the chain grew on both sides of it)."""
    try:
        with app.app_context():
            i = after_stop = 0
            while after_stop < 3:
                audit.record("test.backup_write", data={"i": i})
                db.session.commit()
                i += 1
                if i == 10:
                    started.set()
                if stop.is_set():
                    after_stop += 1
            db.session.remove()
    except Exception as exc:  # reported by the test
        errors.append(exc)
        started.set()


@pytest.fixture
def restore_url(tmp_path):
    """A new, empty database to restore into: a SQLite file that does not exist yet, or a new PG database."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'restored' / 'callback.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    url = sa.engine.make_url(PG_URL)
    name = f"{url.database}_restore"
    with psycopg.connect(_pg_admin_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_pg_admin_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_backup_under_writes_restores_with_the_same_head(app, runner, tmp_path, restore_url):
    audit.record("test.before_backup", data={})
    db.session.commit()
    started, stop, errors = threading.Event(), threading.Event(), []
    thread = threading.Thread(target=_writer, args=(app, started, stop, errors))
    thread.start()
    assert started.wait(60)
    result = runner.invoke(args=["backup", str(tmp_path / "callback.backup")])
    stop.set()
    thread.join(120)
    assert not errors and not thread.is_alive()
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output
    # A second backup to the same file is refused (nothing is overwritten).
    assert runner.invoke(args=["backup", str(tmp_path / "callback.backup")]).exit_code == 1

    db.session.expire_all()
    source_total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    source_hashes = dict(db.session.execute(sa.select(AuditEntry.id, AuditEntry.hash)).all())
    assert audit.verify_chain().ok

    restored = make_app(tmp_path / "restored-app", restore_url)
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "callback.backup")])
        assert result.exit_code == 0, result.output
        verified = audit.verify_chain()
        head_id, head_hash = audit.head()
        # A consistent snapshot: a whole prefix of the chain, its head the source's entry of that id.
        assert verified.ok, verified.reason
        assert verified.count == head_id and 11 <= head_id < source_total  # taken while the chain grew
        assert head_hash == verified.head == source_hashes[head_id]
        out = restored.test_cli_runner().invoke(args=["audit", "verify", "--expect-head", head_hash])
        assert out.exit_code == 0 and f"head {head_hash}" in out.output
        # Restoring again into what is no longer an empty database is refused, and changes nothing.
        again = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "callback.backup")])
        assert again.exit_code == 1 and "already has tables" in again.output
        assert audit.head() == (head_id, head_hash)
        db.session.remove()
        db.engine.dispose()


def test_restore_refuses_what_is_not_a_backup(app, runner, tmp_path, restore_url):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    restored = make_app(tmp_path / "restored-app", restore_url)
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(junk)])
        assert result.exit_code == 1 and "is not a" in result.output
        db.engine.dispose()


def test_healthz(app, client, tmp_path):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"ok": True}
    assert "no-store" in resp.headers["Cache-Control"]
    # A database that does not answer: 503, not a 500 page.
    down = "postgresql+psycopg://postgres@127.0.0.1:1/nothing" if PG_URL else \
        f"sqlite:///{tmp_path / 'no-such-dir' / 'x.sqlite3'}"
    broken = make_app(tmp_path / "down", down)
    with broken.app_context():
        resp = broken.test_client().get("/healthz")
        assert resp.status_code == 503 and resp.get_json() == {"ok": False}
        db.engine.dispose()
