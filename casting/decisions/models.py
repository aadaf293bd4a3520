"""Final casting decisions: proposals, approvals, offers."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db


class ProposalStatus(enum.StrEnum):
    proposed = "proposed"      # by a casting director, awaiting a producer
    approved = "approved"      # by a producer: the offer is out to the talent
    rejected = "rejected"      # by a producer
    accepted = "accepted"      # the talent signed the offer: the role is cast
    declined = "declined"      # the talent declined the offer
    withdrawn = "withdrawn"    # a casting director withdrew the offer before the talent answered


# A proposal is "open" while it blocks another one for the same role.
OPEN_PROPOSAL_STATUSES = frozenset({ProposalStatus.proposed, ProposalStatus.approved})
# Statuses a talent may see: an offer exists. Proposed and rejected stay internal to the production.
OFFER_STATUSES = frozenset({ProposalStatus.approved, ProposalStatus.accepted, ProposalStatus.declined,
                            ProposalStatus.withdrawn})

# What each proposal action needs of the proposal's status (Proposal.can).
PROPOSAL_TRANSITIONS: dict[str, frozenset[ProposalStatus]] = {
    # A producer (not the proposer) decides.
    "approve": frozenset({ProposalStatus.proposed}),
    "reject": frozenset({ProposalStatus.proposed}),
    # The talent answers the offer: signing it accepts.
    "accept": frozenset({ProposalStatus.approved}),
    "decline": frozenset({ProposalStatus.approved}),
    # A casting director takes back an offer the talent has not answered yet.
    "withdraw": frozenset({ProposalStatus.approved}),
}


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (enum_check("status", ProposalStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("production_roles.id"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), index=True)
    terms: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(16), default=ProposalStatus.proposed)
    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(sa.Text)
    # Not a foreign key: documents.proposal_id already points here, and a cycle of foreign keys
    # cannot be created on SQLite. The offer is always the documents row whose proposal_id is this id.
    offer_document_id: Mapped[int | None] = mapped_column(index=True)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Where the law requires it (California's Coogan law, New York's child performer trust).
    trust_account: Mapped[str | None] = mapped_column(sa.Text)

    role: Mapped["ProductionRole"] = relationship()  # noqa: F821
    talent: Mapped["TalentProfile"] = relationship()  # noqa: F821
    proposed_by: Mapped["User"] = relationship(foreign_keys=[proposed_by_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821
    withdrawn_by: Mapped["User | None"] = relationship(foreign_keys=[withdrawn_by_id])  # noqa: F821

    @property
    def production_id(self) -> int:
        return self.role.production_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROPOSAL_STATUSES

    def can(self, action: str) -> bool:
        """Whether the proposal's status allows ``action``: approve, reject, accept, decline or withdraw."""
        return self.status in PROPOSAL_TRANSITIONS[action]


class ReviewComment(db.Model):
    """A production member's comment on a candidate for a role (and on the proposal for that talent, when
    there was one): said without approving or rejecting anything. Never shown to talent."""

    __tablename__ = "review_comments"
    __table_args__ = (sa.Index("ix_review_comments_role_id_talent_id", "role_id", "talent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("production_roles.id"))
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"))
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    role: Mapped["ProductionRole"] = relationship()  # noqa: F821
    talent: Mapped["TalentProfile"] = relationship()  # noqa: F821
    author: Mapped["User"] = relationship()  # noqa: F821

    @property
    def production_id(self) -> int:
        return self.role.production_id


class Release(db.Model):
    """A talent told courteously that they are no longer being considered for a role.

    One per role and talent, so nobody is told twice (a manual release before the role is
    cast, then the automatic one when it is)."""

    __tablename__ = "releases"
    __table_args__ = (sa.UniqueConstraint("role_id", "talent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("production_roles.id"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_profiles.id"), index=True)
    released_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # "cast" when released because the role was cast; "manual" when a casting director released early.
    reason: Mapped[str] = mapped_column(sa.String(16), default="cast")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    role: Mapped["ProductionRole"] = relationship()  # noqa: F821
    talent: Mapped["TalentProfile"] = relationship()  # noqa: F821

    @property
    def production_id(self) -> int:
        return self.role.production_id
