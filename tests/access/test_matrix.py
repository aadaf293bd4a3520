"""Access control as a matrix: every route x every kind of user (CTFd's route sweep, extended).

A route without a row fails ``test_every_route_has_a_row``; each row checks the status every
persona gets, and that a refused write leaves the database unchanged.
"""
from __future__ import annotations

import functools

import pytest
import sqlalchemy as sa

from casting.extensions import db
from tests.access import matrix
from tests.access.world import PERSONAS, row_modules
from tests.conftest import login, token_for

SKIP_ENDPOINTS = {"static"}
MODULES = row_modules()
ROWS = [row for mod in MODULES for row in mod.ROWS]


def test_rows_are_unique():
    ids = [r.id for r in ROWS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_route_has_a_row(app):
    covered = {(r.endpoint, r.method) for r in ROWS}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS or getattr(app.view_functions[rule.endpoint], "_stub", False):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an access-matrix row:\n" + "\n".join(missing)
    stale = covered - {(r.endpoint, m) for r in app.url_map.iter_rules() for m in r.methods}
    assert not stale, f"rows for routes that do not exist: {stale}"


@functools.cache
def _counts_query() -> tuple[list[str], sa.Select]:
    # Refusals are audited; tokens are minted per persona by the test itself.
    tables = [t for t in db.metadata.sorted_tables if t.name not in ("audit_entries", "api_tokens", "blobs")]
    # Every table's row count in one query (one round trip, one consistent read).
    query = sa.select(*(sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables))
    return [t.name for t in tables], query


def _snapshot() -> dict[str, int]:
    db.session.expire_all()
    names, query = _counts_query()
    return dict(zip(names, db.session.execute(query).one(), strict=True))


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_access(row, app, world):
    got = {}
    for persona in PERSONAS:
        user = world.users[persona]
        client = app.test_client()
        headers = {}
        if user is not None:
            if row.is_api:
                headers["Authorization"] = f"Bearer {token_for(user)}"
            else:
                login(client, user)
        before = _snapshot()
        kwargs = {"headers": headers}
        if row.json is not None:
            kwargs["json"] = row.json(world)
        elif row.data is not None:
            kwargs["data"] = row.data(world)
            kwargs["content_type"] = "multipart/form-data"
        elif row.is_api and row.method in ("POST", "PATCH", "PUT"):
            kwargs["json"] = {}
        resp = client.open(row.path(world), method=row.method, **kwargs)
        got[persona] = resp.status_code
        if resp.status_code in (401, 403, 404):
            assert _snapshot() == before, f"{persona} was refused ({resp.status_code}) but something changed"
        db.session.expire_all()
    assert got == row.expected, f"{row.id}: expected {row.expected}, got {got}"
