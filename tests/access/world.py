"""The world every access-matrix row runs in: one production of ours, one of another office,
and a user of every kind. Feature modules (rows_*.py) add their own objects with ``extend``.

The world is built once per test process (tests/access/conftest.py) and every row starts from a
fresh copy of that database; ``freeze`` and ``thaw`` carry the World across as primary keys."""
from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from casting.extensions import db
from tests.factories import (
    make_company, make_open_call, make_production, make_role, make_shortlist_entry, make_submission,
    make_talent, make_user, make_venue,
)

# Least privileged first: refused requests change nothing, so later personas see the same world.
PERSONAS = ("anonymous", "unverified", "talent_a", "talent_b", "cd_other", "producer", "admin", "cd_own")


@dataclass
class World:
    users: dict[str, Any]
    company: Any
    production: Any
    other_production: Any
    role: Any
    other_role: Any
    venue: Any
    talent_a: Any
    talent_b: Any
    open_call: Any
    submission: Any
    shortlist_entry: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:  # world.session etc., added by extend()
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    admin = make_user("admin", name="Ada Admin")
    second_admin = make_user("admin", name="Bo Admin")
    cd_own = make_user("casting_director", name="Cara Director", credential_verified_by=second_admin)
    cd_other = make_user("casting_director", name="Otto Other", credential_verified_by=second_admin)
    producer = make_user("producer", name="Pat Producer")
    talent_a_user = make_user("talent", name="Talia Able")
    talent_b_user = make_user("talent", name="Tom Baker")
    # Signed up, never opened the emailed link: sees nothing private.
    unverified = make_user("talent", name="Una Unverified", unverified=True)
    company = make_company(cd_own, verified_by=admin)
    production = make_production(cd_own, company, members={producer: "producer"})
    other_production = make_production(cd_other)
    role = make_role(production)
    other_role = make_role(other_production)
    venue = make_venue(cd_own)
    talent_a = make_talent(user=talent_a_user)
    talent_b = make_talent(user=talent_b_user)
    call = make_open_call(production, [role])
    submission = make_submission(call, role, talent_a)
    entry = make_shortlist_entry(role, talent_a, by=cd_own, submission=submission)
    db.session.flush()
    return World(
        users={"anonymous": None, "admin": admin, "cd_own": cd_own, "cd_other": cd_other, "producer": producer,
               "talent_a": talent_a_user, "talent_b": talent_b_user, "second_admin": second_admin,
               "unverified": unverified},
        company=company, production=production, other_production=other_production, role=role,
        other_role=other_role, venue=venue, talent_a=talent_a, talent_b=talent_b, open_call=call,
        submission=submission, shortlist_entry=entry,
    )


def row_modules() -> list:
    """Every ``tests/access/rows_*.py`` module."""
    import tests.access as pkg

    return [importlib.import_module(f"tests.access.{m.name}") for m in pkgutil.iter_modules(pkg.__path__)
            if m.name.startswith("rows_")]


def build_full_world() -> World:
    """The world with every feature module's objects added (``extend``), committed."""
    world = build_world()
    for mod in row_modules():
        if hasattr(mod, "extend"):
            mod.extend(world)
    db.session.commit()
    return world


@dataclass(frozen=True)
class _Ref:
    """A row of the world, by class and primary key (ORM objects do not outlive their session)."""
    model: type
    identity: tuple


def _freeze(value: Any) -> Any:
    if isinstance(value, db.Model):
        identity = sa.inspect(value).identity
        assert identity is not None, f"{value!r} is not in the database: flush the world before freezing it"
        return _Ref(type(value), identity)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, _Ref):
        obj = db.session.get(value.model, value.identity)
        assert obj is not None, f"{value.model.__name__} {value.identity} is missing from the world"
        return obj
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_thaw(v) for v in value)
    return value


def freeze(world: World) -> World:
    """The world with every ORM object replaced by its class and primary key."""
    return World(**{f.name: _freeze(getattr(world, f.name)) for f in dataclasses.fields(World)})


class _LazyMap(Mapping):
    """A frozen dict whose values are loaded on first use."""

    def __init__(self, frozen: dict):
        self._frozen, self._loaded = frozen, {}

    def __getitem__(self, key):
        if key not in self._loaded:
            self._loaded[key] = _thaw(self._frozen[key])
        return self._loaded[key]

    def __iter__(self):
        return iter(self._frozen)

    def __len__(self) -> int:
        return len(self._frozen)


class _ThawedWorld:
    """A frozen World whose objects are loaded from the database on first use: a row touches a few of
    them, and loading all of them (about 35) took a tenth of a row's time."""

    def __init__(self, frozen: World):
        self.__dict__["_frozen"] = frozen

    def __getattr__(self, name: str) -> Any:
        frozen = self.__dict__["_frozen"]
        if name in _FIELDS:
            value = getattr(frozen, name)
        elif name in frozen.extra:
            value = frozen.extra[name]
        else:
            raise AttributeError(name)
        value = _LazyMap(value) if isinstance(value, dict) else _thaw(value)
        self.__dict__[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the world is read-only; a row changes the database through requests")


_FIELDS = frozenset(f.name for f in dataclasses.fields(World))


def thaw(frozen: World) -> World:
    """The frozen world, its objects loaded in the current session (from a copy of its database)."""
    return _ThawedWorld(frozen)  # type: ignore[return-value]
