"""Rows of the access matrix: one per route and method, with the expected status for every persona.

Each feature adds a module ``tests/access/rows_<feature>.py`` with ``ROWS`` (a list of Row) and,
optionally, ``extend(world)`` that creates the objects its rows need (stored in ``world.extra``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from tests.access.world import PERSONAS


def expect(default: int, **per_persona: int) -> dict[str, int]:
    """Expected statuses: ``default`` for every persona unless named. The unverified account's, unless named,
    follows from the anonymous caller's (see ``Row``)."""
    unknown = set(per_persona) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {p: per_persona.get(p, default) for p in PERSONAS if p != "unverified" or p in per_persona}


def unverified_expectation(method: str, is_api: bool, anonymous: int) -> int:
    """What an account whose email is not verified gets where an anonymous caller gets ``anonymous``: the same
    on public views; where a sign-in is needed, the API says 403 email_unverified, a page read is sent to
    "check your email" (302) and a page write is refused (403)."""
    if is_api:
        return 403 if anonymous == 401 else anonymous
    if anonymous == 302 and method not in ("GET", "HEAD"):
        return 403
    return anonymous


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
        if "unverified" not in self.expected:
            self.expected = {**self.expected, "unverified": unverified_expectation(
                self.method, self.is_api, self.expected["anonymous"])}
            self.expected = {p: self.expected[p] for p in PERSONAS}

    @property
    def is_api(self) -> bool:
        return self.endpoint.split(".")[0].endswith("_api")


# Common expectations.
PUBLIC_PAGE = expect(200)
ANY_LOGGED_IN_PAGE = expect(200, anonymous=302)
API_ANON = 401
