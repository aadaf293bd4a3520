"""A refused read (an API GET answering 403) writes its audit entry under the write lock: begun as a reader, the
insert would need to upgrade a stale snapshot while another request writes, and SQLite answers "database is locked"
at once (a 500 the fuzzer found on GET /api/v1/me/offers as a casting director)."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.extensions import db
from tests.conftest import PG_URL, auth
from tests.factories import make_user

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's lock upgrade; PostgreSQL has no such lock")


def test_a_refused_read_waits_for_a_writer_and_records_its_refusal(app, client):
    cd = make_user(role="casting_director")
    headers, cd_id = auth(cd), cd.id
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # the token's first use is noted now
    path = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    holding = threading.Event()

    def writer():
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE users SET name = name WHERE id = ?", (cd_id,))
        holding.set()
        time.sleep(0.6)  # the refused read starts meanwhile and reaches its insert after this commit
        conn.execute("COMMIT")
        conn.close()

    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    db.session.rollback()  # outside a request every transaction is a writer's: end it before the other writer
    thread = threading.Thread(target=writer)
    thread.start()
    holding.wait(5)
    r = client.get("/api/v1/me/offers", headers=headers)
    thread.join()
    assert r.status_code == 403, r.get_data(as_text=True)
    assert r.get_json()["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before + 1
