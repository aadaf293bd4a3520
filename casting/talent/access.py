"""Who may see a talent profile, and who may add one.

The talent themselves, admins, whoever added the profile, and members of a production the
talent is linked to (applied to, shortlisted or invited in: the features above answer the
``talent_links`` signal, with columns labelled ``talent_id`` and ``production_id``). One rule for the list and for a single profile.

What of a visible profile each viewer reads (the talent's privacy controls, issue 11 item 3) is decided here
too, in :func:`private_parts`: the headshots and the searchable details go with the profile; the résumé and
the reel (with the self-tape links) only to productions the talent applied to or was invited by, unless the
talent opened them to every production that may see the profile; the access needs only to productions that
invited the talent to a callback.
"""
from __future__ import annotations

import sqlalchemy as sa

from casting.core.errors import Forbidden, NotFound
from casting.core.permissions import get_or_404, require_staff
from casting.core.signals import flat_values_from
from casting.extensions import db
from casting.productions.access import member_production_ids
from casting.talent.models import MediaVisibility, TalentProfile
from casting.talent.signals import talent_applications, talent_invitations, talent_links


def _links() -> sa.Subquery | None:
    """Every (talent_id, production_id) link, as one subquery, or None when nothing links."""
    selects = flat_values_from(talent_links)
    if not selects:
        return None
    return sa.union_all(*selects).subquery("talent_links")


def linked_talent_ids(user) -> sa.Select | None:
    """Ids of talent linked to productions ``user`` is a member of."""
    links = _links()
    if links is None:
        return None
    return sa.select(links.c.talent_id).where(links.c.production_id.in_(member_production_ids(user)))


def visible_filter(user) -> sa.ColumnElement[bool]:
    """A WHERE clause on TalentProfile: the profiles ``user`` (staff, not admin) may see."""
    clause = TalentProfile.created_by_id == user.id
    linked = linked_talent_ids(user)
    return clause if linked is None else clause | TalentProfile.id.in_(linked)


def visible_query(user) -> sa.Select:
    """Talent profiles a staff user may see (admins: all); 403 for other accounts."""
    query = sa.select(TalentProfile)
    if user is not None and user.is_admin:
        return query
    require_staff(user)
    return query.where(visible_filter(user))


def can_see(talent: TalentProfile, user) -> bool:
    """Whether ``user`` may see ``talent``'s profile."""
    if user is None:
        return False
    if user.is_admin or talent.user_id == user.id or talent.created_by_id == user.id:
        return True
    if not user.is_staff:
        return False
    links = _links()
    return links is not None and db.session.scalar(
        sa.select(links.c.talent_id)
        .where(links.c.talent_id == talent.id, links.c.production_id.in_(member_production_ids(user))).limit(1)
    ) is not None


def visible_talent(talent_id, user) -> TalentProfile:
    """The talent profile if ``user`` may see it, else NotFound."""
    talent = get_or_404(TalentProfile, talent_id)
    if not can_see(talent, user):
        raise NotFound()
    return talent


def require_may_add_talent(user) -> None:
    """Only casting directors add talent profiles."""
    if user is None or not user.is_casting_director:
        raise Forbidden("Only casting directors add talent profiles.")


def may_confirm_date_of_birth(talent: TalentProfile, user) -> bool:
    """A casting director who may see the talent, or an admin, confirms a talent's own change of date of
    birth that would make a minor an adult."""
    return user is not None and (user.is_admin or user.is_casting_director) and can_see(talent, user)


def require_may_confirm_date_of_birth(talent: TalentProfile, user) -> None:
    """404 unless ``user`` may see the talent, then 403 unless they may confirm."""
    if not can_see(talent, user):
        raise NotFound()
    if not may_confirm_date_of_birth(talent, user):
        raise Forbidden("Only a casting director who works with this talent, or an admin, confirms a date of birth.",
                        entity=talent)


# The parts of a profile under the talent's privacy controls.
RESUME, REEL, ACCESS_NEEDS = "resume", "reel", "access_needs"
PRIVATE_PARTS = frozenset({RESUME, REEL, ACCESS_NEEDS})


def _linked_productions(user, talent: TalentProfile, *signals_) -> bool:
    """Whether a production ``user`` is a member of answers one of ``signals_`` for ``talent``."""
    selects = [select for signal in signals_ for select in flat_values_from(signal)]
    if not selects:
        return False
    links = sa.union_all(*selects).subquery("links")
    return db.session.scalar(
        sa.select(links.c.talent_id)
        .where(links.c.talent_id == talent.id, links.c.production_id.in_(member_production_ids(user))).limit(1)
    ) is not None


def private_parts(talent: TalentProfile, user) -> frozenset[str]:
    """Which private parts of ``talent``'s profile ``user`` reads (the caller has checked ``can_see``).

    The talent: all. An admin: the résumé and reel, never the access needs. A casting office: the résumé and
    the reel when one of its productions received an application or sent an invitation (or the talent opened
    them to every production that may see the profile: ``MediaVisibility.linked``); the access needs only when
    one of its productions invited the talent."""
    if user is None:
        return frozenset()
    if talent.user_id is not None and talent.user_id == user.id:
        return PRIVATE_PARTS
    if user.is_admin:
        return frozenset({RESUME, REEL})
    if not user.is_staff:
        return frozenset()
    parts = set()
    invited = _linked_productions(user, talent, talent_invitations)
    if invited:
        parts.add(ACCESS_NEEDS)
    applied = invited or _linked_productions(user, talent, talent_applications)
    if applied or talent.resume_visibility == MediaVisibility.linked:
        parts.add(RESUME)
    if applied or talent.reel_visibility == MediaVisibility.linked:
        parts.add(REEL)
    return frozenset(parts)


def require_part(talent: TalentProfile, user, part: str) -> None:
    """404 unless ``user`` may see ``talent`` and read ``part`` of the profile."""
    if not can_see(talent, user) or part not in private_parts(talent, user):
        raise NotFound()
