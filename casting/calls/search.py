"""A call's submissions filtered and sorted for the casting office (issue 13.6): by applied role, shortlisted or
not, free text on the talent's name; by date or by name. Pages are keyset pages (``?after=<submission id>``), so
a deep page costs what the first does."""
from __future__ import annotations

from dataclasses import dataclass
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casting.calls.models import OpenCall, ShortlistEntry, Submission
from casting.core.pagination import KeysetPage
from casting.core.permissions import valid_id
from casting.extensions import db
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


def _name_key():
    display = sa.func.coalesce(sa.func.nullif(TalentProfile.professional_name, ""), TalentProfile.legal_name)
    return sa.func.lower(display)


def _listed():
    return sa.exists().where(ShortlistEntry.role_id == Submission.role_id,
                             ShortlistEntry.talent_id == Submission.talent_id)


def submissions_page(call: OpenCall, filters: SubmissionFilters, after: int | None, per_page: int) -> KeysetPage:
    """One keyset page of the call's submissions matching ``filters``, in the chosen order (ties by id)."""
    query = (sa.select(Submission).join(TalentProfile, TalentProfile.id == Submission.talent_id)
             .where(Submission.open_call_id == call.id)
             .options(joinedload(Submission.talent), joinedload(Submission.role)))
    if filters.role_id is not None:
        query = query.where(Submission.role_id == filters.role_id)
    if filters.shortlisted == "yes":
        query = query.where(_listed())
    elif filters.shortlisted == "no":
        query = query.where(~_listed())
    if filters.q:
        q = filters.q.lower()
        query = query.where(sa.func.lower(TalentProfile.legal_name).contains(q, autoescape=True)
                            | sa.func.lower(TalentProfile.professional_name).contains(q, autoescape=True))
    key = _name_key() if filters.sort == "name" else Submission.created_at
    descending = SORTS[filters.sort][1]
    if after is not None:
        # The cursor is the last row's id: read its sort key, then continue strictly after (key, id).
        cursor = db.session.scalar(sa.select(key).select_from(Submission)
                                   .join(TalentProfile, TalentProfile.id == Submission.talent_id)
                                   .where(Submission.id == after, Submission.open_call_id == call.id))
        if cursor is not None:
            if descending:
                query = query.where((key < cursor) | ((key == cursor) & (Submission.id < after)))
            else:
                query = query.where((key > cursor) | ((key == cursor) & (Submission.id > after)))
        else:
            after = None
    order = (key.desc(), Submission.id.desc()) if descending else (key, Submission.id)
    rows = list(db.session.scalars(query.order_by(*order).limit(per_page + 1)))
    items = rows[:per_page]
    return KeysetPage(items=items, per_page=per_page, after=after,
                      next_after=items[-1].id if len(rows) > per_page else None)

