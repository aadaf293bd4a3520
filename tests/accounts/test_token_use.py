"""API reads stay reads: a token's last use is written at most every few minutes, in its own
transaction, so concurrent API readers never fail on the database's write lock."""
from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from casting.accounts.models import ApiToken
from casting.accounts.services import TOKEN_TOUCH_EVERY
from casting.core.db import utcnow
from casting.extensions import db
from tests.conftest import token_for
from tests.factories import make_production, make_user

READERS = 8
ROUNDS = 5


def _last_used(token_id: int):
    """Read it, then end the test's own transaction (outside a request it holds SQLite's write lock)."""
    db.session.expire_all()
    value = db.session.get(ApiToken, token_id).last_used_at
    db.session.rollback()
    return value


def test_last_use_is_written_once_an_interval(client, app):
    user = make_user("producer")
    text = token_for(user)
    token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user.id))
    db.session.rollback()
    headers = {"Authorization": f"Bearer {text}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    first = _last_used(token_id)
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _last_used(token_id) == first  # within the interval: no second write
    stale = first - TOKEN_TOUCH_EVERY - timedelta(seconds=1)
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=stale))
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _last_used(token_id) > first


def test_concurrent_api_readers_with_one_token_all_succeed(app):
    cd = make_user("casting_director")
    for i in range(3):
        make_production(cd, title=f"Production {i}")
    text = token_for(cd)
    db.session.commit()
    barrier = threading.Barrier(READERS)
    codes: list[int] = []
    lock = threading.Lock()

    def read():
        client = app.test_client()
        barrier.wait()
        for _ in range(ROUNDS):
            resp = client.get("/api/v1/productions", headers={"Authorization": f"Bearer {text}"})
            with lock:
                codes.append(resp.status_code)

    threads = [threading.Thread(target=read) for _ in range(READERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert codes == [200] * (READERS * ROUNDS)
