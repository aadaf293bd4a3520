"""The world every access-matrix row runs in: one production of ours, one of another office,
and a user of every kind. Feature modules (rows_*.py) add their own objects with ``extend``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casting.extensions import db
from tests.factories import (
    make_company, make_open_call, make_production, make_role, make_shortlist_entry, make_submission,
    make_talent, make_user, make_venue,
)

# Least privileged first: refused requests change nothing, so later personas see the same world.
PERSONAS = ("anonymous", "talent_a", "talent_b", "cd_other", "producer", "admin", "cd_own")


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
               "talent_a": talent_a_user, "talent_b": talent_b_user, "second_admin": second_admin},
        company=company, production=production, other_production=other_production, role=role,
        other_role=other_role, venue=venue, talent_a=talent_a, talent_b=talent_b, open_call=call,
        submission=submission, shortlist_entry=entry,
    )
