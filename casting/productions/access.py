"""Who may see and manage a production, its roles, sides and venues.

Something a caller may not see is a 404 (ids cannot be probed); something they see but
may not do is a 403. Services, views, the API and templates all ask here.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, request

from casting.core.database import wants_write_lock
from casting.core.errors import Forbidden, NotFound, Suspended
from casting.core.permissions import get_or_404
from casting.core.signals import values_from
from casting.productions.models import (
    MemberRole,
    Production,
    ProductionMember,
    ProductionRole,
    Side,
)
from casting.extensions import db
from casting.productions.signals import role_readers


def membership(production: Production | None, user) -> ProductionMember | None:
    """The ProductionMember of ``user`` in ``production``, or None.

    Every production page and API call asks this first (``visible_production``). A request that only reads
    looks up this one membership (by the unique (production, user) index) and keeps the answer for the request,
    rather than loading every member with their account; a request that writes (it may add or remove members) and
    a production whose members are loaded already ask ``Production.member``.
    """
    if production is None:
        return None
    if "members" in production.__dict__ or not has_request_context() or wants_write_lock():
        return production.member(user)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    memo = request.environ.setdefault("casting.memberships", {})  # this request's, whatever app context it runs in
    key = (production.id, user.id)
    if key not in memo:
        memo[key] = db.session.scalar(sa.select(ProductionMember).where(
            ProductionMember.production_id == production.id, ProductionMember.user_id == user.id))
    return memo[key]


def member_production_ids(user) -> sa.Select:
    """The ids of the productions ``user`` is a member of, as a subquery."""
    return sa.select(ProductionMember.production_id).where(ProductionMember.user_id == user.id)


def can_see_production(production: Production, user) -> bool:
    """Admins see all; casting directors and producers see productions they are members of."""
    if user is None:
        return False
    return bool(user.is_admin or membership(production, user))


def visible_production(production_id, user, *, options: tuple = ()) -> Production:
    """The production if ``user`` may see it, else NotFound (``options``: what to load with it)."""
    production = get_or_404(Production, production_id, options=options)
    if not can_see_production(production, user):
        raise NotFound()
    return production


def require_production_role(production: Production, user, *roles: str) -> None:
    """403 unless ``user`` is a member of ``production`` with one of ``roles``.

    Call after the production is known to be visible (so non-members already got 404). Every member's write
    passes here, so a suspended production refuses them all in this one place (409 suspended).
    """
    m = membership(production, user)
    if m is None or (roles and m.role not in roles):
        needed = " or ".join(r.replace("_", " ") for r in roles) or "member"
        raise Forbidden(f"Only a {needed} of this production may do this.", production_id=production.id)
    require_not_suspended(production)


def require_not_suspended(production: Production) -> None:
    """409 suspended while an admin has suspended ``production``."""
    if production.suspended:
        raise Suspended(entity=production, production_id=production.id)


def can_manage(production: Production, user) -> bool:
    """Casting directors of the production manage its casting pipeline."""
    m = membership(production, user)
    return m is not None and m.role == MemberRole.casting_director


def require_manager(production: Production, user) -> None:
    """403 unless ``user`` is a casting director member of ``production``."""
    require_production_role(production, user, MemberRole.casting_director)


def may_create(user) -> bool:
    """Casting directors create productions (under a company they are a member of)."""
    return user is not None and user.is_casting_director


def require_may_create(user) -> None:
    """403 unless the account is a casting director (they create productions)."""
    if not may_create(user):
        raise Forbidden("Only casting directors create productions.")


def managed_production(production_id, user) -> Production:
    """The production for a casting director member to act on: 404 if not visible, else 403 unless they
    manage it. Views load with this before reading a form, so a refusal comes before any form error."""
    production = visible_production(production_id, user)
    require_manager(production, user)
    return production


def managed_role(role_id, user) -> ProductionRole:
    """The role for a casting director member of its production to act on (404, then 403)."""
    role = visible_role(role_id, user)
    require_manager(role.production, user)
    return role


def visible_role(role_id, user) -> ProductionRole:
    """The role (part being cast) if ``user`` may see its production, else NotFound."""
    role = get_or_404(ProductionRole, role_id)
    if not can_see_production(role.production, user):
        raise NotFound()
    return role


def visible_side(side_id, user) -> Side:
    """A role's sides: its production's members, admins, and talent shortlisted or invited for the role."""
    side = get_or_404(Side, side_id)
    role = side.role
    if not (can_see_production(role.production, user) or any(values_from(role_readers, role, user=user))):
        raise NotFound()
    return side


def may_add_venue(user) -> bool:
    """Casting directors and producers add venues."""
    return user is not None and user.is_staff


def require_may_add_venue(user) -> None:
    """403 unless a casting director or producer."""
    if not may_add_venue(user):
        raise Forbidden("Only casting directors and producers add venues.")


def can_see_venues(user) -> bool:
    """Venues are shared by every casting office: staff and admins read them."""
    return user is not None and (user.is_admin or user.is_staff)


def require_venue_reader(user) -> None:
    """403 unless ``user`` may read the venues."""
    if not can_see_venues(user):
        raise Forbidden("Venues are for casting offices.")


def may_edit_venue(venue, user) -> bool:
    """A venue is edited by the casting director or producer who recorded it (venues are shared by every office:
    nobody else rewrites the address another office relies on)."""
    return user is not None and user.is_staff and venue.created_by_id == user.id


def require_may_edit_venue(venue, user) -> None:
    """403 unless ``user`` recorded ``venue``."""
    if not may_edit_venue(venue, user):
        raise Forbidden("Only whoever recorded this venue may edit it.")
