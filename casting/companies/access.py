"""Who may see a company, act as its member, register one, and verify one."""
from __future__ import annotations

from casting.accounts.access import same_hands
from casting.companies.models import Company
from casting.companies.signals import company_viewers
from casting.core.errors import Forbidden, FourEyes, InvalidState, NotFound
from casting.core.permissions import get_or_404
from casting.core.signals import values_from


def can_see_company(company: Company, user) -> bool:
    """Admins, the company's members, and members of productions made under it."""
    if user is None:
        return False
    if user.is_admin or company.is_member(user):
        return True
    return any(values_from(company_viewers, company, user=user))


def visible_company(company_id, user) -> Company:
    """The company if ``user`` may see it, else NotFound."""
    company = get_or_404(Company, company_id)
    if not can_see_company(company, user):
        raise NotFound()
    return company


def member_company(company_id, user) -> Company:
    """The company for one of its members to act on (404 if not visible, then 403)."""
    company = visible_company(company_id, user)
    require_company_member(company, user)
    return company


def require_company_member(company: Company, user) -> None:
    """403 unless ``user`` is a member of ``company`` (call once it is known to be visible)."""
    if not company.is_member(user):
        raise Forbidden("Only members of this company may do this.")


def may_create(user) -> bool:
    """Casting directors, producers and admins register companies (an admin can then never verify it)."""
    return user is not None and (user.is_staff or user.is_admin)


def require_may_create(user) -> None:
    """403 unless the account kind may register companies."""
    if not may_create(user):
        raise Forbidden("Only casting directors, producers and admins register companies.")


def verifies_own(company: Company, user) -> bool:
    """Four eyes: whether ``user`` registered the company or created its registrant's account."""
    return same_hands(user, company.created_by)


def may_verify(company: Company, user) -> bool:
    """Whether ``user`` is an admin with no hand in the company's registration (four eyes)."""
    return user is not None and user.is_admin and not verifies_own(company, user)


def require_may_verify(company: Company, actor) -> None:
    """403 four_eyes for the company's own creator, or whoever created the creator's account (admin or not,
    as API.md says); 403 unless an admin; 409 if already verified."""
    if actor is not None and verifies_own(company, actor):
        raise FourEyes("You registered this company, or created the account of whoever did: another admin "
                       "must verify it.", entity=company)
    if actor is None or not actor.is_admin:
        raise Forbidden("Only an admin may verify a company.", entity=company)
    if company.verified:
        raise InvalidState("This company is already verified.", entity=company)
