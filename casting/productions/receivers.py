"""The productions feature answers the features below it: who sees a company through its productions,
whose audit entries a member reads."""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit.signals import readable_productions
from casting.companies.signals import company_viewers
from casting.extensions import db
from casting.productions.access import member_production_ids
from casting.productions.models import Production, ProductionMember


@company_viewers.connect
def members_of_its_productions(company, *, user, **_) -> bool:
    """Members of a production made under a company see the company."""
    return db.session.scalar(
        sa.select(ProductionMember.id).join(Production, Production.id == ProductionMember.production_id)
        .where(Production.company_id == company.id, ProductionMember.user_id == user.id).limit(1)
    ) is not None


@readable_productions.connect
def productions_of_member(user, **_) -> sa.Select:
    """Members read the audit entries of their productions."""
    return member_production_ids(user)
