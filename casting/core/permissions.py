"""Who may see and do what: one module, used by pages, API and CLI alike.

Something a caller may not see is a 404 (ids cannot be probed); something they
see but may not do is a 403.
"""
from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa

from casting.core.errors import Forbidden, NotFound
from casting.extensions import db

T = TypeVar("T")

STAFF_ROLES = ("casting_director", "producer")


def get_or_404(model: type[T], ident) -> T:
    """The row with this primary key, or NotFound."""
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        raise NotFound() from None
    obj = db.session.get(model, ident)
    if obj is None:
        raise NotFound()
    return obj


def membership(production, user):
    """The ProductionMember of ``user`` in ``production``, or None."""
    return production.member(user) if production is not None else None


def can_see_production(production, user) -> bool:
    """Admins see all; casting directors and producers see productions they are members of."""
    if user is None:
        return False
    return bool(user.is_admin or membership(production, user))


def visible_production(production_id, user):
    """The production if ``user`` may see it, else NotFound."""
    from casting.productions.models import Production

    production = get_or_404(Production, production_id)
    if not can_see_production(production, user):
        raise NotFound()
    return production


def require_production_role(production, user, *roles: str) -> None:
    """403 unless ``user`` is a member of ``production`` with one of ``roles``.

    Call after the production is known to be visible (so non-members already got 404).
    """
    m = membership(production, user)
    if m is None or (roles and m.role not in roles):
        needed = " or ".join(r.replace("_", " ") for r in roles) or "member"
        raise Forbidden(f"Only a {needed} of this production may do this.", production_id=production.id)


def can_manage(production, user) -> bool:
    """Casting directors of the production manage its casting pipeline."""
    m = membership(production, user)
    return m is not None and m.role == "casting_director"


def require_manager(production, user) -> None:
    """403 unless ``user`` is a casting director member of ``production``."""
    require_production_role(production, user, "casting_director")


def talent_production_ids(talent_id: int) -> set[int]:
    """Productions a talent has applied to, been shortlisted, invited or offered in."""
    from casting.calls.models import ShortlistEntry, Submission
    from casting.callbacks.models import CallbackSession, Invitation
    from casting.productions.models import ProductionRole

    ids: set[int] = set()
    for model in (Submission, ShortlistEntry):
        ids.update(db.session.scalars(
            sa.select(ProductionRole.production_id).join(model, model.role_id == ProductionRole.id)
            .where(model.talent_id == talent_id)
        ))
    ids.update(db.session.scalars(
        sa.select(CallbackSession.production_id).join(Invitation, Invitation.session_id == CallbackSession.id)
        .where(Invitation.talent_id == talent_id)
    ))
    return ids


def can_see_talent(talent, user) -> bool:
    """The talent themselves, admins, whoever added the profile, and members of productions
    the talent applied to or was shortlisted or invited in."""
    if user is None:
        return False
    if user.is_admin or talent.user_id == user.id or talent.created_by_id == user.id:
        return True
    if user.role not in STAFF_ROLES:
        return False
    from casting.productions.models import ProductionMember

    mine = set(db.session.scalars(sa.select(ProductionMember.production_id).where(ProductionMember.user_id == user.id)))
    return bool(mine & talent_production_ids(talent.id))


def visible_talent(talent_id, user):
    """The talent profile if ``user`` may see it, else NotFound."""
    from casting.talent.models import TalentProfile

    talent = get_or_404(TalentProfile, talent_id)
    if not can_see_talent(talent, user):
        raise NotFound()
    return talent


def require_staff(user) -> None:
    """403 unless the account is a casting director or producer."""
    if user is None or user.role not in STAFF_ROLES:
        raise Forbidden("Only casting directors and producers may do this.")


def require_admin(user) -> None:
    """403 unless the account is an admin."""
    if user is None or not user.is_admin:
        raise Forbidden("Only an admin may do this.")


def can_see_company(company, user) -> bool:
    """Admins, the company's members, and members of productions made under it."""
    if user is None:
        return False
    if user.is_admin or company.is_member(user):
        return True
    from casting.productions.models import Production, ProductionMember

    return db.session.scalar(
        sa.select(ProductionMember.id).join(Production, Production.id == ProductionMember.production_id)
        .where(Production.company_id == company.id, ProductionMember.user_id == user.id).limit(1)
    ) is not None


def visible_company(company_id, user):
    """The company if ``user`` may see it, else NotFound."""
    from casting.companies.models import Company

    company = get_or_404(Company, company_id)
    if not can_see_company(company, user):
        raise NotFound()
    return company


def require_company_member(company, user) -> None:
    """403 unless ``user`` is a member of ``company`` (call once it is known to be visible)."""
    if not company.is_member(user):
        raise Forbidden("Only members of this company may do this.")


def visible_role(role_id, user):
    """The role (part being cast) if ``user`` may see its production, else NotFound."""
    from casting.productions.models import ProductionRole

    role = get_or_404(ProductionRole, role_id)
    if not can_see_production(role.production, user):
        raise NotFound()
    return role


def talent_has_role_access(role_id: int, user) -> bool:
    """True when ``user`` is talent shortlisted or invited for this role (they may read its sides)."""
    if user is None or not user.is_talent or user.talent_profile is None:
        return False
    from casting.calls.models import ShortlistEntry
    from casting.callbacks.models import Invitation

    talent_id = user.talent_profile.id
    for model in (ShortlistEntry, Invitation):
        if db.session.scalar(sa.select(model.id).where(model.role_id == role_id, model.talent_id == talent_id)
                             .limit(1)) is not None:
            return True
    return False


def visible_side(side_id, user):
    """A role's sides: its production's members, admins, and talent shortlisted or invited for the role."""
    from casting.productions.models import Side

    side = get_or_404(Side, side_id)
    role = side.role
    if not (can_see_production(role.production, user) or talent_has_role_access(role.id, user)):
        raise NotFound()
    return side


def can_see_venues(user) -> bool:
    """Venues are shared by every casting office: staff and admins read them."""
    return user is not None and (user.is_admin or user.role in STAFF_ROLES)
