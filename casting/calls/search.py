"""A call's submissions filtered and sorted for the casting office (issue 13.6): by applied role, shortlisted or
not, free text on the talent's name; by date or by name. Pages are keyset pages (``?after=<submission id>``), so
a deep page costs what the first does."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from casting.calls.models import OpenCall, ShortlistEntry, Submission, open_call_roles
from casting.core.pagination import KeysetPage
from casting.core.permissions import valid_id
from casting.extensions import db
from casting.productions.models import ProductionRole
from casting.talent.models import TalentProfile

# sort -> (label, descending)
SORTS = {"date": ("oldest first", False), "newest": ("newest first", True), "name": ("name, A to Z", False)}
SHORTLISTED = {"": "shortlisted or not", "yes": "shortlisted", "no": "not shortlisted"}
VIEWS = {"list": "List", "grid": "Headshot grid"}
Q_MAX = 100


@dataclass(frozen=True)
class SubmissionFilters:
    """What the submissions page shows; read from (and written back to) the URL's query."""

    role_id: int | None = None
    shortlisted: str = ""
    q: str = ""
    sort: str = "date"
    view: str = "list"

    @classmethod
    def from_args(cls, args) -> "SubmissionFilters":
        """Lenient: an unknown value reads as the default (a page never 422s on a hand-edited URL)."""
        shortlisted = args.get("shortlisted", "")
        sort, view = args.get("sort", "date"), args.get("view", "list")
        return cls(role_id=args.get("role_id", type=valid_id),
                   shortlisted=shortlisted if shortlisted in SHORTLISTED else "",
                   q=" ".join(args.get("q", "").split())[:Q_MAX],
                   sort=sort if sort in SORTS else "date", view=view if view in VIEWS else "list")

    def args(self, **override) -> dict:
        """The query arguments that say this (defaults left out), with ``override`` on top."""
        out = {"role_id": self.role_id, "shortlisted": self.shortlisted or None, "q": self.q or None,
               "sort": self.sort if self.sort != "date" else None, "view": self.view if self.view != "list" else None}
        out.update(override)
        return {k: v for k, v in out.items() if v is not None}


class SubmissionRow(NamedTuple):
    """One row of the submissions page: the submission, its talent's name, its role's name, and the talent's rank
    on that role's shortlist (None when not on it)."""

    id: int
    role_id: int
    talent_id: int
    note: str
    has_headshot: bool
    has_resume: bool
    self_tape_url: str | None
    created_at: datetime
    display_name: str
    role_name: str
    shortlist_rank: int | None


def plain_rows(result: sa.Result, row_type: type[NamedTuple]) -> list:
    """The rows of ``result`` as ``row_type`` named tuples, whose fields must be the result's columns in order.
    A template reads a named tuple's fields several times faster than a SQLAlchemy Row's (the long lists read
    a dozen fields a row)."""
    if tuple(result.keys()) != row_type._fields:
        raise TypeError(f"columns {tuple(result.keys())} are not {row_type.__name__}'s fields")
    return list(map(row_type._make, result))


@functools.cache
def _roles_statement() -> sa.Select:
    return (sa.select(ProductionRole.id, ProductionRole.name)
            .join(open_call_roles, open_call_roles.c.role_id == ProductionRole.id)
            .where(open_call_roles.c.open_call_id == sa.bindparam("call_id")).order_by(ProductionRole.id))


def role_choices(call: OpenCall) -> list[sa.Row]:
    """The call's roles as ``(id, name)`` rows, in the order they were created (the page's role filter)."""
    return db.session.execute(_roles_statement(), {"call_id": call.id}).all()


def display_name_sql():
    """``TalentProfile.display_name`` in SQL: the professional name unless it is empty, else the legal name."""
    return sa.func.coalesce(sa.func.nullif(TalentProfile.professional_name, ""), TalentProfile.legal_name)


def _name_key():
    return sa.func.lower(display_name_sql())


def _listed():
    return sa.exists().where(ShortlistEntry.role_id == Submission.role_id,
                             ShortlistEntry.talent_id == Submission.talent_id)


def like_escaped(text: str) -> str:
    """``text`` for a bound LIKE pattern whose escape character is "/" (what ``autoescape=True`` does to a
    literal): a "%" or "_" someone types is a character, not a wildcard."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


@functools.cache
def _page_statement(sort: str, by_role: bool, shortlisted: str, by_name: bool, from_cursor: bool) -> sa.Select:
    """The submissions page's statement for one combination of filters, built once: building a statement this
    size costs more than running it. Values are bound: ``call_id, limit`` and, as the filters need them,
    ``role_id, q`` (LIKE-escaped), ``cursor, after``.

    Two steps in one statement: the page's ids are chosen over the submissions alone (their talent joined only
    to filter or sort by name), then only those rows are joined to their talent, role and shortlist entry."""
    key = _name_key() if sort == "name" else Submission.created_at
    descending = SORTS[sort][1]
    ids = sa.select(Submission.id).where(Submission.open_call_id == sa.bindparam("call_id"))
    if by_name or sort == "name":
        ids = ids.join(TalentProfile, TalentProfile.id == Submission.talent_id)
    if by_role:
        ids = ids.where(Submission.role_id == sa.bindparam("role_id"))
    if shortlisted == "yes":
        ids = ids.where(_listed())
    elif shortlisted == "no":
        ids = ids.where(~_listed())
    if by_name:
        q = sa.bindparam("q")
        ids = ids.where(sa.func.lower(TalentProfile.legal_name).contains(q, escape="/")
                        | sa.func.lower(TalentProfile.professional_name).contains(q, escape="/"))
    if from_cursor:
        # Strictly after the cursor row's (key, id).
        cursor, after = sa.bindparam("cursor"), sa.bindparam("after")
        if descending:
            ids = ids.where((key < cursor) | ((key == cursor) & (Submission.id < after)))
        else:
            ids = ids.where((key > cursor) | ((key == cursor) & (Submission.id > after)))
    order = (key.desc(), Submission.id.desc()) if descending else (key, Submission.id)
    return (sa.select(Submission.id, Submission.role_id, Submission.talent_id, Submission.note,
                      Submission.headshot_sha256.is_not(None).label("has_headshot"),
                      Submission.resume_sha256.is_not(None).label("has_resume"), Submission.self_tape_url,
                      Submission.created_at, display_name_sql().label("display_name"),
                      ProductionRole.name.label("role_name"), ShortlistEntry.rank.label("shortlist_rank"))
            .join(TalentProfile, TalentProfile.id == Submission.talent_id)
            .join(ProductionRole, ProductionRole.id == Submission.role_id)
            .outerjoin(ShortlistEntry, (ShortlistEntry.role_id == Submission.role_id)
                       & (ShortlistEntry.talent_id == Submission.talent_id))
            .where(Submission.id.in_(ids.order_by(*order).limit(sa.bindparam("limit")).scalar_subquery()))
            .order_by(*order))


@functools.cache
def _cursor_statement(sort: str) -> sa.Select:
    """The sort key of the cursor row (bound ``after``, ``call_id``): a keyset page continues after it."""
    key = _name_key() if sort == "name" else Submission.created_at
    return (sa.select(key).select_from(Submission).join(TalentProfile, TalentProfile.id == Submission.talent_id)
            .where(Submission.id == sa.bindparam("after"), Submission.open_call_id == sa.bindparam("call_id")))


def submissions_page(call: OpenCall, filters: SubmissionFilters, after: int | None, per_page: int) -> KeysetPage:
    """One keyset page of the call's submissions matching ``filters``, in the chosen order (ties by id), as
    ``SubmissionRow``s (what the submissions page shows)."""
    params = {"call_id": call.id, "limit": per_page + 1}
    if filters.role_id is not None:
        params["role_id"] = filters.role_id
    if filters.q:
        params["q"] = like_escaped(filters.q.lower())
    if after is not None:
        # The cursor is the last row's id; one that is not a submission of this call reads as the first page.
        cursor = db.session.scalar(_cursor_statement(filters.sort), {"after": after, "call_id": call.id})
        if cursor is None:
            after = None
        else:
            params.update(cursor=cursor, after=after)
    statement = _page_statement(filters.sort, filters.role_id is not None, filters.shortlisted, bool(filters.q),
                                after is not None)
    rows = plain_rows(db.session.execute(statement, params), SubmissionRow)
    items = rows[:per_page]
    return KeysetPage(items=items, per_page=per_page, after=after,
                      next_after=items[-1].id if len(rows) > per_page else None)
