"""The productions feature answers the features below it: who sees a company through its productions,
whose audit entries a member reads."""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit.signals import production_titles, productions_titled, readable_productions
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


@production_titles.connect
def titles_of_productions(ids, **_) -> dict[int, str]:
    """The audit page prints a production's title beside its entries."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Production.id, Production.title).where(Production.id.in_(ids))).all())


# The audit page's filter by name matches at most this many productions (the page says when there are more).
TITLE_MATCHES = 20


@productions_titled.connect
def productions_with_title(text, **_) -> sa.Select:
    """The ids of the productions whose title contains ``text`` (case-insensitive), first TITLE_MATCHES by id."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (sa.select(Production.id).where(Production.title.ilike(pattern, escape="\\"))
            .order_by(Production.id).limit(TITLE_MATCHES))
