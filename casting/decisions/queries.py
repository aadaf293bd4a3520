"""What the casting board and the producers' review page show: read-only, a few grouped queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from casting.callbacks.models import (
    NOT_CALLED_BACK_STATUSES,
    CallbackSession,
    Invitation,
    InvitationStatus,
    PanelNote,
)
from casting.calls.models import ShortlistEntry, Submission
from casting.decisions.models import (
    OFFER_STATUSES,
    OPEN_PROPOSAL_STATUSES,
    Proposal,
    ProposalStatus,
    Release,
)
from casting.extensions import db
from casting.productions.models import ProductionRoleStatus

STAGES = ("open", "shortlisting", "callbacks", "proposed", "offered", "cast")
FUNNEL_STEPS = (("submissions", "Submissions"), ("shortlisted", "Shortlisted"), ("called_back", "Called back"),
                ("cast", "Cast"))


@dataclass
class BoardRow:
    role: Any
    stage: str
    submissions: int = 0
    shortlisted: int = 0
    called_back: int = 0
    attended: int = 0
    proposal: Any = None           # the latest proposal, whatever its status
    cast_talent: Any = None

    @property
    def cast(self) -> int:
        return 1 if self.stage == "cast" else 0

    def funnel(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, key)) for key, label in FUNNEL_STEPS]


def _counts(model, *where) -> dict[int, int]:
    # Distinct talent per role: one talent with two invitations is one called back.
    rows = db.session.execute(sa.select(model.role_id, sa.func.count(sa.distinct(model.talent_id)))
                              .where(model.role_id.in_(where[0]), *where[1:]).group_by(model.role_id))
    return {role_id: n for role_id, n in rows}


def stage_of(role, proposal, shortlisted: int, called_back: int) -> str:
    """Where a role stands: open, shortlisting, callbacks, proposed, offered or cast."""
    if role.status == ProductionRoleStatus.cast:
        return "cast"
    if proposal is not None and proposal.status in OPEN_PROPOSAL_STATUSES:
        return "offered" if proposal.status == ProposalStatus.approved else "proposed"
    if called_back:
        return "callbacks"
    return "shortlisting" if shortlisted else "open"


def latest_proposals(role_ids: list[int]) -> dict[int, Proposal]:
    """The newest proposal of each role."""
    out: dict[int, Proposal] = {}
    for p in db.session.scalars(sa.select(Proposal).where(Proposal.role_id.in_(role_ids)).order_by(Proposal.id)):
        out[p.role_id] = p
    return out


def board(production) -> list[BoardRow]:
    """One row per role of the production with its stage and pipeline counts."""
    roles = list(production.roles)
    ids = [r.id for r in roles]
    if not ids:
        return []
    subs = _counts(Submission, ids)
    short = _counts(ShortlistEntry, ids)
    called = _counts(Invitation, ids, Invitation.status.notin_(NOT_CALLED_BACK_STATUSES))
    attended = _counts(Invitation, ids, Invitation.status == InvitationStatus.attended)
    proposals = latest_proposals(ids)
    rows = []
    for role in roles:
        p = proposals.get(role.id)
        row = BoardRow(role, stage_of(role, p, short.get(role.id, 0), called.get(role.id, 0)),
                       subs.get(role.id, 0), short.get(role.id, 0), called.get(role.id, 0),
                       attended.get(role.id, 0), p)
        if row.stage == "cast" and p is not None and p.status == ProposalStatus.accepted:
            row.cast_talent = p.talent
        rows.append(row)
    return rows


def totals(rows: list[BoardRow]) -> dict[str, int]:
    """Production-wide sums for the funnel and the stage counts."""
    out = {key: sum(getattr(r, key) for r in rows) for key, _ in FUNNEL_STEPS}
    out.update({f"stage_{s}": sum(1 for r in rows if r.stage == s) for s in STAGES})
    out["roles"] = len(rows)
    return out


def funnel_bars(steps: list[tuple[str, int]], *, width: int = 360, bar_height: int = 24, gap: int = 6,
                min_width: int = 4) -> dict[str, Any]:
    """Geometry of a centred-bar funnel chart (rendered as inline SVG by the template).

    Bar widths are proportional to the largest count, with a sliver for zero so every step shows.
    """
    top = max((n for _, n in steps), default=0) or 1
    bars = []
    for i, (label, n) in enumerate(steps):
        w = max(min_width, round(width * n / top)) if n else min_width
        bars.append({"label": label, "count": n, "x": (width - w) / 2, "y": i * (bar_height + gap),
                     "w": w, "h": bar_height})
    return {"width": width, "height": len(steps) * (bar_height + gap) - gap, "bars": bars}


# --- the producers' review page ----------------------------------------------------------------------

@dataclass
class Candidate:
    talent: Any
    entry: Any = None                                   # ShortlistEntry
    invitations: list = field(default_factory=list)
    notes: list = field(default_factory=list)           # PanelNote, across invitations
    release: Any = None

    @property
    def average_rating(self) -> float | None:
        return round(sum(n.rating for n in self.notes) / len(self.notes), 1) if self.notes else None

    @property
    def attended(self) -> bool:
        return any(i.status == InvitationStatus.attended for i in self.invitations)


@dataclass
class RoleReview:
    role: Any
    stage: str
    candidates: list[Candidate]
    proposals: list          # newest first
    row: BoardRow

    @property
    def open_proposal(self):
        return next((p for p in self.proposals if p.status in OPEN_PROPOSAL_STATUSES), None)


def review(production) -> list[RoleReview]:
    """Every role with its shortlist, callback attendance, panel ratings and notes, and proposals."""
    rows = {r.role.id: r for r in board(production)}
    ids = list(rows)
    if not ids:
        return []
    by_role: dict[int, dict[int, Candidate]] = defaultdict(dict)
    for e in db.session.scalars(sa.select(ShortlistEntry).where(ShortlistEntry.role_id.in_(ids))
                                .order_by(ShortlistEntry.role_id, ShortlistEntry.rank, ShortlistEntry.id)):
        by_role[e.role_id][e.talent_id] = Candidate(e.talent, entry=e)
    invitations = db.session.scalars(
        sa.select(Invitation).join(CallbackSession, CallbackSession.id == Invitation.session_id)
        .where(Invitation.role_id.in_(ids)).order_by(Invitation.starts_at)).all()
    notes: dict[int, list] = defaultdict(list)
    if invitations:
        for n in db.session.scalars(sa.select(PanelNote).where(PanelNote.invitation_id.in_([i.id for i in invitations]))
                                    .order_by(PanelNote.id)):
            notes[n.invitation_id].append(n)
    for inv in invitations:
        cand = by_role[inv.role_id].setdefault(inv.talent_id, Candidate(inv.talent))
        cand.invitations.append(inv)
        cand.notes.extend(notes[inv.id])
    for rel in db.session.scalars(sa.select(Release).where(Release.role_id.in_(ids))):
        if rel.talent_id in by_role[rel.role_id]:
            by_role[rel.role_id][rel.talent_id].release = rel
    proposals: dict[int, list] = defaultdict(list)
    for p in db.session.scalars(sa.select(Proposal).where(Proposal.role_id.in_(ids)).order_by(Proposal.id.desc())):
        proposals[p.role_id].append(p)
    return [RoleReview(row.role, row.stage, list(by_role[rid].values()), proposals[rid], row)
            for rid, row in rows.items()]


def offers_of(talent) -> list[Proposal]:
    """A talent's offers (approved, accepted or declined proposals), newest first."""
    return list(db.session.scalars(sa.select(Proposal).where(Proposal.talent_id == talent.id,
                                                             Proposal.status.in_(OFFER_STATUSES))
                                   .order_by(Proposal.id.desc())))


def proposable_entries(role) -> list:
    """The role's shortlist entries, in rank order, without talent released from it."""
    released = sa.select(Release.talent_id).where(Release.role_id == role.id)
    return list(db.session.scalars(sa.select(ShortlistEntry).where(
        ShortlistEntry.role_id == role.id, ShortlistEntry.talent_id.notin_(released))
        .order_by(ShortlistEntry.rank, ShortlistEntry.id)))
