"""Talent search for casting offices (issue 13 item 6): the talent their productions may see, filtered.

Every filter reads an index (talent_profiles.location_key, (playing_age_min, playing_age_max);
talent_skills and talent_unions by (key, talent_id)); a page is one select of the profiles, one of their
primary headshots, one each of their skills and unions, whatever the number of talent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casting.core.errors import ValidationError
from casting.extensions import db
from casting.talent import access
from casting.talent.models import TalentHeadshot, TalentProfile, TalentSkill, TalentUnion
from casting.talent.profile import PLAYING_AGE_RANGE, PROFILE_LIMITS, normalised_key

SORTS = ("name", "date")
VIEWS = ("list", "grid")
Q_LIMIT = 200
MAX_TERMS = 5  # skills (or unions) asked for at once; each must match


@dataclass(frozen=True)
class Filters:
    """What a search asks for; ``args()`` gives it back as query arguments (to keep it in links)."""

    q: str = ""
    location: str = ""
    playing_age: int | None = None
    unions: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    sort: str = "name"
    errors: dict = field(default_factory=dict, compare=False)

    def args(self) -> dict:
        out = {"q": self.q, "location": self.location, "playing_age": self.playing_age,
               "union": list(self.unions), "skill": list(self.skills), "sort": self.sort}
        return {k: v for k, v in out.items() if v not in ("", None, []) and not (k == "sort" and v == "name")}

    @property
    def active(self) -> bool:
        return bool(self.q or self.location or self.playing_age is not None or self.unions or self.skills)


def _terms(args: Mapping, name: str, limit: int, errors: dict) -> tuple[str, ...]:
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else ([args[name]] if args.get(name) else [])
    terms = tuple(dict.fromkeys(t for t in (" ".join(v.split()) for v in raw) if t))
    if len(terms) > MAX_TERMS or any(len(t) > limit for t in terms):
        errors[name] = [f"At most {MAX_TERMS}, each at most {limit} characters."]
        return ()
    return terms


def parse_filters(args: Mapping) -> Filters:
    """The filters of a query string; ``errors`` names the bad ones (the API answers them 422, the page
    ignores them)."""
    errors: dict[str, list[str]] = {}
    q = " ".join((args.get("q") or "").split())
    if len(q) > Q_LIMIT:
        errors["q"] = [f"At most {Q_LIMIT} characters."]
        q = ""
    location = " ".join((args.get("location") or "").split())
    if len(location) > PROFILE_LIMITS["location"]:
        errors["location"] = [f"At most {PROFILE_LIMITS['location']} characters."]
        location = ""
    playing_age = None
    raw_age = (args.get("playing_age") or "").strip()
    if raw_age:
        low, high = PLAYING_AGE_RANGE
        if raw_age.isdigit() and low <= int(raw_age) <= high:
            playing_age = int(raw_age)
        else:
            errors["playing_age"] = [f"Must be a whole number from {low} to {high}."]
    sort = args.get("sort") or "name"
    if sort not in SORTS:
        errors["sort"] = [f"Must be one of: {', '.join(SORTS)}."]
        sort = "name"
    return Filters(q=q, location=location, playing_age=playing_age,
                   unions=_terms(args, "union", PROFILE_LIMITS["union"], errors),
                   skills=_terms(args, "skill", PROFILE_LIMITS["skill"], errors), sort=sort, errors=errors)


def require_valid(filters: Filters) -> Filters:
    """422 naming every bad filter (the API)."""
    if filters.errors:
        raise ValidationError(filters.errors)
    return filters


def search_query(user, filters: Filters) -> sa.Select:
    """The talent ``user``'s productions may see (talent/access.py: applied to, shortlisted or invited in one
    of them, or added by them; admins: all), filtered and sorted, with skills and unions eager-loaded."""
    query = access.visible_query(user)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(sa.func.lower(TalentProfile.legal_name).like(like)
                            | sa.func.lower(sa.func.coalesce(TalentProfile.professional_name, "")).like(like)
                            | TalentProfile.email.like(like))
    if filters.location:
        query = query.where(TalentProfile.location_key == normalised_key(filters.location))
    if filters.playing_age is not None:
        query = query.where(TalentProfile.playing_age_min <= filters.playing_age,
                            TalentProfile.playing_age_max >= filters.playing_age)
    for model, terms in ((TalentUnion, filters.unions), (TalentSkill, filters.skills)):
        for term in terms:
            query = query.where(TalentProfile.id.in_(
                sa.select(model.talent_id).where(model.key == normalised_key(term))))
    if filters.sort == "date":
        query = query.order_by(TalentProfile.created_at.desc(), TalentProfile.id.desc())
    else:
        query = query.order_by(TalentProfile.legal_name, TalentProfile.id)
    return query.options(selectinload(TalentProfile.skills), selectinload(TalentProfile.unions))


def primary_headshots(talent_ids: list[int]) -> dict[int, int]:
    """``{talent_id: headshot_id}`` of the primary headshots of these talent (one statement)."""
    if not talent_ids:
        return {}
    rows = db.session.execute(sa.select(TalentHeadshot.talent_id, TalentHeadshot.id).where(
        TalentHeadshot.talent_id.in_(talent_ids), TalentHeadshot.is_primary.is_(True)))
    return {talent_id: headshot_id for talent_id, headshot_id in rows}
