"""Rows of the access matrix: one per route and method, with the expected status for every persona.

Each feature adds a module ``tests/access/rows_<feature>.py`` with ``ROWS`` (a list of Row) and,
optionally, ``extend(world)`` that creates the objects its rows need (stored in ``world.extra``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from tests.access.world import PERSONAS


def expect(default: int, **per_persona: int) -> dict[str, int]:
    """Expected statuses: ``default`` for every persona unless named."""
    unknown = set(per_persona) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {p: per_persona.get(p, default) for p in PERSONAS}


@dataclass
class Row:
    method: str
    endpoint: str                           # Flask endpoint name, e.g. "productions_api.get"
    path: Callable[[Any], str]              # world -> URL
    expected: dict[str, int]
    json: Callable[[Any], Any] | None = None   # world -> JSON body (API)
    data: Callable[[Any], dict] | None = None  # world -> form data (pages); may include files
    note: str = ""
    id: str = field(default="")

    def __post_init__(self):
        if not self.id:
            self.id = f"{self.method} {self.endpoint}"

    @property
    def is_api(self) -> bool:
        return self.endpoint.split(".")[0].endswith("_api")


# Common expectations.
PUBLIC_PAGE = expect(200)
ANY_LOGGED_IN_PAGE = expect(200, anonymous=302)
API_ANON = 401
