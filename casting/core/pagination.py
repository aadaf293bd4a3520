"""One paginator for pages and the API: ``?page=`` (and ``?per_page=`` for the API) over a select."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import sqlalchemy as sa

from casting.core.errors import ValidationError
from casting.core.permissions import MAX_ID
from casting.extensions import db

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
# Beyond this a page number is a typo or a probe, not a reader paging on.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    """One page of rows. ``total`` is counted only when asked for (the API's lists carry it)."""

    items: list[Any]
    page: int
    per_page: int
    has_next: bool
    total: int | None = None

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def page_args(args: Mapping[str, str], *, per_page: int | None = None, lenient: bool = False) -> tuple[int, int]:
    """(page, per_page) from query arguments; 422 naming the bad one (``lenient``, for pages: a bad page
    number reads as the first page). ``per_page`` fixes the page size (pages); without it ``?per_page=``
    is read, 1 to 100 (the API)."""
    errors: dict[str, list[str]] = {}
    try:
        page = int(args.get("page", 1))
        if not 1 <= page <= MAX_PAGE:
            raise ValueError
    except ValueError:
        errors["page"] = ["Must be a positive integer."]
        page = 1
    if per_page is None:
        try:
            per_page = int(args.get("per_page", DEFAULT_PER_PAGE))
            if not 1 <= per_page <= MAX_PER_PAGE:
                raise ValueError
        except ValueError:
            errors["per_page"] = [f"Must be an integer from 1 to {MAX_PER_PAGE}."]
            per_page = DEFAULT_PER_PAGE
    if errors and not lenient:
        raise ValidationError(errors)
    return page, per_page


def paginate(query: sa.Select, page: int, per_page: int, *, count: bool = False) -> Page:
    """The rows of ``query`` on ``page`` (one extra row is read to know whether another page follows)."""
    rows = db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).all()
    total = None
    if count:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return Page(items=list(rows[:per_page]), page=page, per_page=per_page, has_next=len(rows) > per_page, total=total)


@dataclass(frozen=True)
class KeysetPage:
    """One page of a long list read by id (``?after=<id>``): the next page starts after ``next_after``, so a
    deep page costs what the first does (no OFFSET). ``after`` is where this page started (None: the first)."""

    items: list[Any]
    per_page: int
    after: int | None
    next_after: int | None

    @property
    def has_next(self) -> bool:
        return self.next_after is not None


def after_arg(args: Mapping[str, str]) -> int | None:
    """``?after=<id>`` for a keyset page; anything else reads as the first page."""
    try:
        after = int(args.get("after", ""))
    except ValueError:
        return None
    return after if 0 < after <= MAX_ID else None


def keyset(query: sa.Select, id_column, after: int | None, per_page: int, *, descending: bool = True) -> KeysetPage:
    """The rows of ``query`` ordered by ``id_column`` (newest first when ``descending``) after the id ``after``."""
    if after is not None:
        query = query.where(id_column < after if descending else id_column > after)
    query = query.order_by(id_column.desc() if descending else id_column.asc()).limit(per_page + 1)
    rows = list(db.session.scalars(query))
    items = rows[:per_page]
    next_after = sa.inspect(items[-1]).identity[0] if len(rows) > per_page else None
    return KeysetPage(items=items, per_page=per_page, after=after, next_after=next_after)
