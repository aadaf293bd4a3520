"""Shortlists: the ranked entries for a role, each with a note. Ranks stay contiguous 1..n."""
from __future__ import annotations

import functools
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casting.audit import services as audit
from casting.calls.models import OpenCall, ShortlistEntry, Submission
from casting.calls.search import display_name_sql, like_escaped, plain_rows
from casting.core.database import lock_for_write
from casting.core.errors import DomainError, Duplicate, ValidationError
from casting.core.pagination import Page
from casting.extensions import db
from casting.productions.access import require_manager
from casting.talent.access import visible_talent
from casting.talent.models import TalentProfile

# Most characters per field, and (low, high) inclusive ranges of numbers: the forms and the API specs
# take their limits from here. A rank's upper bound is the shortlist's length (None: decided when moving).
SHORTLIST_LIMITS = {"note": 2000}
SHORTLIST_RANGES = {"rank": (1, None)}


# The most candidates a search answers (the shortlist page and its typeahead).
CANDIDATES_LIMIT = 20


def entries_query(role) -> sa.Select:
    """A role's shortlist in rank order with each entry's talent, as a select (the API paginates it)."""
    return (sa.select(ShortlistEntry).where(ShortlistEntry.role_id == role.id)
            .options(selectinload(ShortlistEntry.talent)).order_by(ShortlistEntry.rank, ShortlistEntry.id))


def entries(role) -> list[ShortlistEntry]:
    """A role's whole shortlist in rank order (for services that renumber it; pages use ``entries_page``)."""
    return list(db.session.scalars(entries_query(role)))


def entries_page(role, page: int, per_page: int) -> Page:
    """One page of a role's shortlist. Ranks run 1..n without gaps, so a page is a range of ranks on the
    (role, rank) index: no OFFSET, however deep the page. ``total`` is the shortlist's length."""
    first = (page - 1) * per_page
    rows = list(db.session.scalars(entries_query(role).where(ShortlistEntry.rank > first).limit(per_page + 1)))
    total = db.session.scalar(sa.select(sa.func.count()).where(ShortlistEntry.role_id == role.id))
    return Page(items=rows[:per_page], page=page, per_page=per_page, has_next=len(rows) > per_page, total=total)


class EntryRow(NamedTuple):
    """One entry of the shortlist page, with its talent's names."""

    id: int
    rank: int
    talent_id: int
    submission_id: int | None
    note: str
    created_at: datetime
    display_name: str
    legal_name: str
    professional_name: str | None


class CandidateRow(NamedTuple):
    """A talent the shortlist's search offers."""

    id: int
    display_name: str
    legal_name: str
    professional_name: str | None


@functools.cache
def _entry_rows_statement() -> sa.Select:
    # Built once (bound role_id, first, limit): building it costs more than running it.
    return (sa.select(ShortlistEntry.id, ShortlistEntry.rank, ShortlistEntry.talent_id, ShortlistEntry.submission_id,
                      ShortlistEntry.note, ShortlistEntry.created_at, display_name_sql().label("display_name"),
                      TalentProfile.legal_name, TalentProfile.professional_name)
            .join(TalentProfile, TalentProfile.id == ShortlistEntry.talent_id)
            .where(ShortlistEntry.role_id == sa.bindparam("role_id"), ShortlistEntry.rank > sa.bindparam("first"))
            .order_by(ShortlistEntry.rank, ShortlistEntry.id).limit(sa.bindparam("limit")))


@functools.cache
def _count_statement() -> sa.Select:
    return sa.select(sa.func.count()).where(ShortlistEntry.role_id == sa.bindparam("role_id"))


def entry_rows_page(role, page: int, per_page: int) -> Page:
    """``entries_page`` as ``EntryRow``s (what the shortlist page shows): one query with the talent's names, no
    ORM objects (a page of 50 entities and their talent cost more than the rest of the request)."""
    rows = plain_rows(db.session.execute(_entry_rows_statement(), {"role_id": role.id, "first": (page - 1) * per_page,
                                                                   "limit": per_page + 1}), EntryRow)
    total = db.session.scalar(_count_statement(), {"role_id": role.id})
    return Page(items=rows[:per_page], page=page, per_page=per_page, has_next=len(rows) > per_page, total=total)


def _clean_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > SHORTLIST_LIMITS["note"]:
        raise ValidationError({"note": [f"At most {SHORTLIST_LIMITS['note']} characters."]})
    return note


@functools.cache
def _candidates_statement(by_name: bool) -> sa.Select:
    # Built once (bound production_id, role_id, user_id, limit and, by name, q LIKE-escaped).
    applied = (sa.select(Submission.talent_id).join(OpenCall, OpenCall.id == Submission.open_call_id)
               .where(OpenCall.production_id == sa.bindparam("production_id")))
    listed = sa.select(ShortlistEntry.talent_id).where(ShortlistEntry.role_id == sa.bindparam("role_id"))
    query = sa.select(TalentProfile.id, display_name_sql().label("display_name"), TalentProfile.legal_name,
                      TalentProfile.professional_name).where(
        TalentProfile.id.in_(applied) | (TalentProfile.created_by_id == sa.bindparam("user_id")),
        TalentProfile.id.not_in(listed))
    if by_name:
        q = sa.bindparam("q")
        query = query.where(sa.func.lower(TalentProfile.legal_name).startswith(q, escape="/")
                            | sa.func.lower(TalentProfile.professional_name).startswith(q, escape="/"))
    return query.order_by(TalentProfile.legal_name, TalentProfile.id).limit(sa.bindparam("limit"))


def candidate_talent(role, user, q: str = "", *, limit: int = CANDIDATES_LIMIT) -> list[CandidateRow]:
    """At most ``limit`` talent ``user`` may put on this role's shortlist and has not yet: whoever applied to the
    production, and talent they added; with ``q``, those whose legal or professional name starts with it (any
    case). A search with a LIMIT, never the whole table (issue 9). ``CandidateRow``s: the page and its typeahead
    show only the names."""
    params = {"production_id": role.production_id, "role_id": role.id, "user_id": user.id, "limit": limit}
    if q := q.strip().lower():
        params["q"] = like_escaped(q)
    return plain_rows(db.session.execute(_candidates_statement(bool(q)), params), CandidateRow)


def add(role, *, actor, talent_id: int, note: str = "") -> ShortlistEntry:
    """Put a talent the caller can see at the bottom of a role's shortlist."""
    production = role.production
    require_manager(production, actor)
    talent = visible_talent(talent_id, actor)
    note = _clean_note(note)
    lock_for_write()
    if db.session.scalar(sa.select(ShortlistEntry.id).where(ShortlistEntry.role_id == role.id,
                                                            ShortlistEntry.talent_id == talent.id)):
        raise Duplicate(f"{talent.display_name} is already on the shortlist for {role.name}.",
                        entity=role, production_id=production.id)
    submission_id = db.session.scalar(sa.select(Submission.id).where(Submission.role_id == role.id,
                                                                     Submission.talent_id == talent.id))
    rank = (db.session.scalar(sa.select(sa.func.max(ShortlistEntry.rank)).where(ShortlistEntry.role_id == role.id))
            or 0) + 1
    entry = ShortlistEntry(role_id=role.id, talent_id=talent.id, submission_id=submission_id, rank=rank, note=note,
                           added_by_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    audit.record("shortlist.added", entry, actor=actor, production_id=production.id,
                 data={"role_id": role.id, "talent_id": talent.id, "rank": rank})
    return entry


def _renumber(role_id: int, moved: ShortlistEntry | None = None, to: int | None = None) -> None:
    rest = [e for e in db.session.scalars(sa.select(ShortlistEntry).where(ShortlistEntry.role_id == role_id)
                                          .order_by(ShortlistEntry.rank, ShortlistEntry.id)) if e is not moved]
    if moved is not None:
        rest.insert(to - 1, moved)
    for i, e in enumerate(rest, start=1):
        e.rank = i
    db.session.flush()


def update(entry: ShortlistEntry, *, actor, rank: int | None = None, note: str | None = None) -> ShortlistEntry:
    """Move an entry to ``rank`` (others shift) and/or replace its note."""
    production = entry.role.production
    require_manager(production, actor)
    lock_for_write()
    size = db.session.scalar(sa.select(sa.func.count()).where(ShortlistEntry.role_id == entry.role_id))
    errors = {}
    low = SHORTLIST_RANGES["rank"][0]
    if rank is not None and not low <= rank <= size:
        errors["rank"] = [f"Must be from {low} to {size}."]
    if note is not None:
        try:
            note = _clean_note(note)
        except ValidationError as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    if rank is not None and rank != entry.rank:
        old = entry.rank
        _renumber(entry.role_id, entry, rank)
        audit.record("shortlist.reordered", entry, actor=actor, production_id=production.id,
                     data={"role_id": entry.role_id, "talent_id": entry.talent_id, "from": old, "to": rank})
    if note is not None and note != entry.note:
        entry.note = note
        db.session.flush()
        audit.record("shortlist.noted", entry, actor=actor, production_id=production.id,
                     data={"role_id": entry.role_id, "talent_id": entry.talent_id})
    return entry


def remove(entry: ShortlistEntry, *, actor) -> None:
    """Take an entry off the shortlist; the ones below move up."""
    production = entry.role.production
    require_manager(production, actor)
    lock_for_write()
    data = {"role_id": entry.role_id, "talent_id": entry.talent_id, "rank": entry.rank}
    entry_id, role_id = entry.id, entry.role_id
    db.session.delete(entry)
    db.session.flush()
    _renumber(role_id)
    audit.record("shortlist.removed", None, actor=actor, production_id=production.id,
                 entity_type="shortlist_entries", entity_id=entry_id, data=data)


# Most talent shortlisted in one bulk action (a page of submissions is 50; the API allows more).
MAX_BULK = 500


def add_many(role, *, actor, talent_ids: list[int], note: str = "") -> tuple[list[ShortlistEntry], list[dict]]:
    """Shortlist many talent for a role, each by the rule of ``add``: ``(added entries, skipped)`` where each
    skipped item is ``{talent_id, code, reason}`` (the refusal's code and its plain words). A refusal skips that
    talent only; the whole request is refused only when the caller may not shortlist, or the input is bad."""
    require_manager(role.production, actor)
    note = _clean_note(note)
    if not talent_ids:
        raise ValidationError({"talent_ids": ["Choose at least one talent."]})
    if len(talent_ids) > MAX_BULK:
        raise ValidationError({"talent_ids": [f"At most {MAX_BULK} talent at once."]})
    added, skipped = [], []
    for talent_id in dict.fromkeys(talent_ids):
        try:
            with db.session.begin_nested():  # a refusal undoes this talent's part only
                added.append(add(role, actor=actor, talent_id=talent_id, note=note))
        except DomainError as exc:
            skipped.append({"talent_id": talent_id, "code": exc.code, "reason": _plain_reason(exc)})
    audit.record("shortlist.bulk_added", role, actor=actor, production_id=role.production_id,
                 data={"added": [e.talent_id for e in added],
                       "skipped": [{"talent_id": s["talent_id"], "code": s["code"]} for s in skipped]})
    return added, skipped


def _plain_reason(exc: DomainError) -> str:
    # A talent the caller cannot see answers "Not found." (never saying whether they exist); say it for a list.
    return "not a talent you can shortlist (they did not apply and your office did not add them)" \
        if exc.code == "not_found" else exc.message


def shortlist_submissions(call, *, actor, submission_ids: list[int], note: str = "") -> tuple[list, list[dict]]:
    """The submissions page's bulk action: shortlist each chosen submission's talent for the role they applied
    for (``add_many`` per role). Ids that are not submissions of this call are ignored. Skipped items carry the
    talent's name."""
    subs = list(db.session.scalars(
        sa.select(Submission)
        .where(Submission.open_call_id == call.id, Submission.id.in_(submission_ids[:MAX_BULK]))
        .options(selectinload(Submission.role), selectinload(Submission.talent)).order_by(Submission.id)))
    if not subs:
        raise ValidationError({"pick": ["Tick at least one submission."]})
    by_role: dict[int, list[Submission]] = {}
    for sub in subs:
        by_role.setdefault(sub.role_id, []).append(sub)
    added, skipped = [], []
    for role_subs in by_role.values():
        names = {s.talent_id: s.talent.display_name for s in role_subs}
        got, missed = add_many(role_subs[0].role, actor=actor, talent_ids=[s.talent_id for s in role_subs], note=note)
        added += got
        skipped += [{**m, "name": names[m["talent_id"]]} for m in missed]
    return added, skipped


def shortlisted_names(role, talent_ids: list[int]) -> dict[int, str]:
    """The display names of those of ``talent_ids`` on ``role``'s shortlist, in one query (the bulk invite and
    release pages, and their jobs' labels). Any other id gets no name: a page that echoes names for ids the
    caller typed would let any casting director read any talent's name."""
    if not talent_ids:
        return {}
    return dict(db.session.execute(
        sa.select(TalentProfile.id, display_name_sql())
        .join(ShortlistEntry, ShortlistEntry.talent_id == TalentProfile.id)
        .where(ShortlistEntry.role_id == role.id, TalentProfile.id.in_(talent_ids))).all())
