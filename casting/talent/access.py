"""Who may see a talent profile, and who may add one.

The talent themselves, admins, whoever added the profile, and members of a production the
talent is linked to (applied to, shortlisted or invited in: the features above answer the
``talent_links`` signal, with columns labelled ``talent_id`` and ``production_id``). One rule for the list and for a single profile.
"""
from __future__ import annotations

import sqlalchemy as sa

from casting.core.errors import Forbidden, NotFound
from casting.core.permissions import get_or_404, require_staff
from casting.core.signals import flat_values_from
from casting.extensions import db
from casting.productions.access import member_production_ids
from casting.talent.models import TalentProfile
from casting.talent.signals import talent_links


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
