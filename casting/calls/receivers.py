"""The calls feature answers the features below it: talent links, sides readers, role edits."""
from __future__ import annotations

import sqlalchemy as sa

from casting.calls.models import OpenCall, OpenCallStatus, ShortlistEntry, Submission, open_call_roles
from casting.core.errors import InvalidState
from casting.core.fees import refuse_fee_wording
from casting.extensions import db
from casting.productions.models import ProductionRole
from casting.productions.signals import role_changed, role_readers
from casting.talent.signals import talent_applications, talent_links


@talent_links.connect
def applied_and_shortlisted(_sender, **_) -> list[sa.Select]:
    """Talent are linked to the productions they applied to and were shortlisted in."""
    applied = (sa.select(Submission.talent_id.label("talent_id"), OpenCall.production_id.label("production_id"))
               .join(OpenCall, OpenCall.id == Submission.open_call_id))
    listed = (sa.select(ShortlistEntry.talent_id.label("talent_id"), ProductionRole.production_id.label("production_id"))
              .join(ProductionRole, ProductionRole.id == ShortlistEntry.role_id))
    return [applied, listed]


@talent_applications.connect
def applied(_sender, **_) -> list[sa.Select]:
    """The productions talent applied to (a submission to one of their open calls)."""
    return [sa.select(Submission.talent_id.label("talent_id"), OpenCall.production_id.label("production_id"))
            .join(OpenCall, OpenCall.id == Submission.open_call_id)]


@role_readers.connect
def shortlisted_talent(role, *, user, **_) -> bool:
    """Talent shortlisted for a role read its sides."""
    if user is None or not user.is_talent or user.talent_profile is None:
        return False
    return db.session.scalar(sa.select(ShortlistEntry.id).where(
        ShortlistEntry.role_id == role.id, ShortlistEntry.talent_id == user.talent_profile.id).limit(1)) is not None


@role_changed.connect
def keep_nudity_out_of_open_calls(role, *, changed, **_) -> None:
    """A role in an open call cannot become one with nudity or intimacy (those are cast by invitation only)."""
    if "nudity_or_intimacy" not in changed or not role.nudity_or_intimacy:
        return
    in_call = db.session.scalar(
        sa.select(open_call_roles.c.open_call_id).where(open_call_roles.c.role_id == role.id).limit(1))
    if in_call is not None:
        raise InvalidState("This role is in an open call; roles with nudity or intimacy are cast by invitation "
                           "only.", entity=role, production_id=role.production_id)


@role_changed.connect
def keep_fee_wording_out_of_published_calls(role, *, changed, **_) -> None:
    """A role that talent read on a published open call is scanned for fee wording on every edit (422)."""
    if not {"name", "description"} & set(changed):
        return
    published = db.session.scalar(
        sa.select(OpenCall.id).join(open_call_roles, open_call_roles.c.open_call_id == OpenCall.id)
        .where(open_call_roles.c.role_id == role.id, OpenCall.status == OpenCallStatus.published).limit(1))
    if published is not None:
        refuse_fee_wording({"name": role.name, "description": role.description}, entity=role,
                           production_id=role.production_id)
