"""One paginator for pages and the API: ``?page=`` (and ``?per_page=`` for the API) over a select."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import sqlalchemy as sa

from casting.core.errors import ValidationError
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
