"""``get_lean`` (core/db.py), the signed-in user's load on every request: the object ``session.get`` would give,
persistent and clean, from one SELECT."""
from __future__ import annotations

import sqlalchemy as sa

from casting.accounts.models import User
from casting.core.db import get_lean
from casting.extensions import db
from tests.conftest import login
from tests.factories import make_user


def statements(run):
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731  (before_cursor_execute: the statement)
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return result, seen


def test_the_row_becomes_the_object_session_get_would_give(app):
    user = make_user("talent")
    expected = {c.key: getattr(user, c.key) for c in sa.inspect(User).column_attrs}
    user_id = user.id
    db.session.commit()
    db.session.expunge_all()

    loaded, seen = statements(lambda: get_lean(db.session, User, user_id))
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1
    state = sa.inspect(loaded)
    assert state.persistent and not state.modified and loaded not in db.session.dirty
    assert {c.key: getattr(loaded, c.key) for c in sa.inspect(User).column_attrs} == expected
    assert loaded.created_at.tzinfo is not None  # the column types apply (UTCDateTime)
    assert db.session.get(User, user_id) is loaded  # in the identity map
    assert get_lean(db.session, User, user_id) is loaded
    assert loaded.talent_profile.user_id == user_id  # relationships load as usual
    loaded.name = "Renamed"
    db.session.commit()
    assert db.session.scalar(sa.select(User.name).where(User.id == user_id)) == "Renamed"


def test_a_missing_id_is_none(app):
    assert get_lean(db.session, User, 2**31 - 1) is None


def test_a_request_loads_its_user_this_way(app, client):
    user = make_user()
    db.session.commit()
    login(client, user)
    user_id = user.id
    db.session.expunge_all()  # as in a new worker request: the user is not in the session yet
    assert client.get("/settings").status_code == 200
    user = db.session.get(User, user_id)
    user.active = False
    db.session.commit()
    assert client.get("/settings").status_code == 302  # a disabled account is signed out on its next request
