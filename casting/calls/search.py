"""A call's submissions filtered and sorted for the casting office (issue 13.6): by applied role, shortlisted or
not, free text on the talent's name; by date or by name. Pages are keyset pages (``?after=<submission id>``), so
a deep page costs what the first does."""
from __future__ import annotations

from dataclasses import dataclass
import sqlalchemy as sa

from casting.calls.models import OpenCall, ShortlistEntry, Submission
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


def display_name_sql():
    """``TalentProfile.display_name`` in SQL: the professional name unless it is empty, else the legal name."""
    return sa.func.coalesce(sa.func.nullif(TalentProfile.professional_name, ""), TalentProfile.legal_name)


def _name_key():
    return sa.func.lower(display_name_sql())


def _listed():
    return sa.exists().where(ShortlistEntry.role_id == Submission.role_id,
                             ShortlistEntry.talent_id == Submission.talent_id)


def submissions_page(call: OpenCall, filters: SubmissionFilters, after: int | None, per_page: int) -> KeysetPage:
    """One keyset page of the call's submissions matching ``filters``, in the chosen order (ties by id), as plain
    rows of what the submissions page shows: ``id, role_id, talent_id, note, has_headshot, has_resume,
    self_tape_url, created_at, display_name, role_name`` and ``shortlist_rank`` (the talent's rank on that
    role's shortlist, None when not on it).

    Two steps in one statement: the page's ids are chosen over the submissions alone (their talent joined only
    to filter or sort by name), then only those rows are joined to their talent, role and shortlist entry."""
    key = _name_key() if filters.sort == "name" else Submission.created_at
    descending = SORTS[filters.sort][1]
    ids = sa.select(Submission.id).where(Submission.open_call_id == call.id)
    if filters.q or filters.sort == "name":
        ids = ids.join(TalentProfile, TalentProfile.id == Submission.talent_id)
    if filters.role_id is not None:
        ids = ids.where(Submission.role_id == filters.role_id)
    if filters.shortlisted == "yes":
        ids = ids.where(_listed())
    elif filters.shortlisted == "no":
        ids = ids.where(~_listed())
    if filters.q:
        q = filters.q.lower()
        ids = ids.where(sa.func.lower(TalentProfile.legal_name).contains(q, autoescape=True)
                        | sa.func.lower(TalentProfile.professional_name).contains(q, autoescape=True))
    if after is not None:
        # The cursor is the last row's id: read its sort key, then continue strictly after (key, id).
        cursor = db.session.scalar(sa.select(key).select_from(Submission)
                                   .join(TalentProfile, TalentProfile.id == Submission.talent_id)
                                   .where(Submission.id == after, Submission.open_call_id == call.id))
        if cursor is not None:
            if descending:
                ids = ids.where((key < cursor) | ((key == cursor) & (Submission.id < after)))
            else:
                ids = ids.where((key > cursor) | ((key == cursor) & (Submission.id > after)))
        else:
            after = None
    order = (key.desc(), Submission.id.desc()) if descending else (key, Submission.id)
    rows = db.session.execute(
        sa.select(Submission.id, Submission.role_id, Submission.talent_id, Submission.note,
                  Submission.headshot_sha256.is_not(None).label("has_headshot"),
                  Submission.resume_sha256.is_not(None).label("has_resume"), Submission.self_tape_url,
                  Submission.created_at, display_name_sql().label("display_name"),
                  ProductionRole.name.label("role_name"), ShortlistEntry.rank.label("shortlist_rank"))
        .join(TalentProfile, TalentProfile.id == Submission.talent_id)
        .join(ProductionRole, ProductionRole.id == Submission.role_id)
        .outerjoin(ShortlistEntry, (ShortlistEntry.role_id == Submission.role_id)
                   & (ShortlistEntry.talent_id == Submission.talent_id))
        .where(Submission.id.in_(ids.order_by(*order).limit(per_page + 1).scalar_subquery()))
        .order_by(*order)).all()
    items = rows[:per_page]
    return KeysetPage(items=items, per_page=per_page, after=after,
                      next_after=items[-1].id if len(rows) > per_page else None)
