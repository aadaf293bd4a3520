"""The matrix's world is built once per test process; every test must still start from it as built,
whatever the tests before it changed (a row's successful writes included)."""
from __future__ import annotations

import pytest

from casting.extensions import db
from tests.access.conftest import fingerprint
from tests.factories import make_production, make_user


@pytest.mark.parametrize("n", range(3))
def test_every_test_starts_from_the_world_as_built(n, app, world, _world_seed):
    assert fingerprint() == _world_seed.fingerprint
    # Then change it, committed, for the next test to undo.
    make_production(make_user("casting_director"))
    world.users["cd_own"].name = f"Renamed {n}"
    db.session.commit()
    assert fingerprint() != _world_seed.fingerprint
