"""Access control as a matrix: every route x every kind of user (CTFd's route sweep, extended).

A route without a row fails ``test_every_route_has_a_row``; each row checks the status every
persona gets, and that a refused write leaves the database unchanged.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest
import sqlalchemy as sa

from casting.extensions import db
from tests.access import matrix
from tests.access.world import PERSONAS, build_world
from tests.conftest import login, token_for

SKIP_ENDPOINTS = {"static"}


def _row_modules():
    import tests.access as pkg

    return [importlib.import_module(f"tests.access.{m.name}") for m in pkgutil.iter_modules(pkg.__path__)
            if m.name.startswith("rows_")]


MODULES = _row_modules()
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


def _snapshot() -> dict[str, int]:
    db.session.expire_all()
    out = {}
    for table in db.metadata.sorted_tables:
        if table.name in ("audit_entries", "api_tokens", "blobs"):
            continue  # refusals are audited; tokens are minted per persona by the test itself
        out[table.name] = db.session.scalar(sa.select(sa.func.count()).select_from(table))
    return out


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_access(row, app):
    world = build_world()
    for mod in MODULES:
        if hasattr(mod, "extend"):
            mod.extend(world)
    db.session.commit()
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
