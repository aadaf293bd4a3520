"""What the casting board and the producers' review page show: read-only, a few grouped queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from casting.callbacks.models import (
    ATTENDED_INVITATION_STATUSES,
    NOT_CALLED_BACK_STATUSES,
    CallbackSession,
    Invitation,
    PanelNote,
)
from casting.calls.models import ShortlistEntry, Submission
from casting.core.blobs import Blob
from casting.decisions.models import (
    OFFER_STATUSES,
    OPEN_PROPOSAL_STATUSES,
    Proposal,
    ProposalStatus,
    Release,
    ReviewComment,
)
from casting.extensions import db
from casting.productions.models import ProductionRole, ProductionRoleStatus

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


def _counts(role_ids: list[int]) -> dict[str, dict[int, int]]:
    """Per role, distinct talent who applied, are shortlisted, were called back and attended, in one query
    (one talent with two invitations is one called back)."""
    def distinct_talent(model, *where):
        return (sa.select(sa.func.count(sa.distinct(model.talent_id)))
                .where(model.role_id == ProductionRole.id, *where).scalar_subquery())

    rows = db.session.execute(sa.select(
        ProductionRole.id, distinct_talent(Submission), distinct_talent(ShortlistEntry),
        distinct_talent(Invitation, Invitation.status.notin_(NOT_CALLED_BACK_STATUSES)),
        distinct_talent(Invitation, Invitation.status.in_(ATTENDED_INVITATION_STATUSES)),
    ).where(ProductionRole.id.in_(role_ids)))
    out: dict[str, dict[int, int]] = {"subs": {}, "short": {}, "called": {}, "attended": {}}
    for role_id, *counts in rows:
        for key, n in zip(out, counts, strict=True):
            out[key][role_id] = n
    return out


def stage_of(role, proposal, shortlisted: int, called_back: int) -> str:
    """Where a role stands: open, shortlisting, callbacks, proposed, offered or cast."""
    if role.status == ProductionRoleStatus.cast:
        return "cast"
    if proposal is not None and proposal.status in OPEN_PROPOSAL_STATUSES:
        return "offered" if proposal.status == ProposalStatus.approved else "proposed"
    if called_back:
        return "callbacks"
    return "shortlisting" if shortlisted else "open"


def newest_proposals(role_ids: list[int], per_role: int) -> dict[int, list[Proposal]]:
    """The ``per_role`` newest proposals of each role, newest first (one query, however many a role has),
    with who proposed, decided and is proposed."""
    ranked = (sa.select(Proposal.id, sa.func.row_number().over(partition_by=Proposal.role_id,
                                                               order_by=Proposal.id.desc()).label("n"))
              .where(Proposal.role_id.in_(role_ids)).subquery())
    out: dict[int, list[Proposal]] = defaultdict(list)
    for p in db.session.scalars(
            sa.select(Proposal).join(ranked, ranked.c.id == Proposal.id).where(ranked.c.n <= per_role)
            .options(joinedload(Proposal.talent), joinedload(Proposal.proposed_by), joinedload(Proposal.decided_by),
                     joinedload(Proposal.withdrawn_by))
            .order_by(Proposal.role_id, Proposal.id.desc())):
        out[p.role_id].append(p)
    return out


def latest_proposals(role_ids: list[int]) -> dict[int, Proposal]:
    """The newest proposal of each role."""
    return {role_id: ps[0] for role_id, ps in newest_proposals(role_ids, 1).items()}


def board(production, *, roles: list | None = None) -> list[BoardRow]:
    """One row per role of the production (or of ``roles``, some of its roles) with its stage and pipeline counts."""
    roles = list(production.roles) if roles is None else roles
    ids = [r.id for r in roles]
    if not ids:
        return []
    counts = _counts(ids)
    subs, short, called, attended = counts["subs"], counts["short"], counts["called"], counts["attended"]
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
    submission: Any = None                              # their application for the role: headshot, tape
    comments: list = field(default_factory=list)        # ReviewComment, newest first
    proposal: Any = None                                # the newest proposal of this talent for the role
    headshot: tuple[bytes, str] | None = None           # the headshot's bytes and type, when asked for

    @property
    def headshot_submission_id(self) -> int | None:
        return self.submission.id if self.submission is not None and self.submission.headshot_sha256 else None

    @property
    def tape_url(self) -> str | None:
        return self.submission.self_tape_url if self.submission is not None else None

    def notes_by_author(self) -> list[tuple[Any, list]]:
        """Each panel member with their notes (a member may have rated several callbacks)."""
        out: dict[int, tuple[Any, list]] = {}
        for n in self.notes:
            out.setdefault(n.author_id, (n.author, []))[1].append(n)
        return list(out.values())

    @property
    def average_rating(self) -> float | None:
        return round(sum(n.rating for n in self.notes) / len(self.notes), 1) if self.notes else None

    @property
    def attended(self) -> bool:
        return any(i.status in ATTENDED_INVITATION_STATUSES for i in self.invitations)


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


# The review page shows each role's top of the shortlist and its latest decisions; the shortlist page has
# the rest (issue 9: a page's work does not grow with the data).
REVIEW_CANDIDATES = 20
REVIEW_PROPOSALS = 10
REVIEW_INVITATIONS = 5
REVIEW_COMMENTS = 5   # the newest comments per candidate; the API pages through all of them


def review(production, *, role=None, headshots: bool = False) -> list[RoleReview]:
    """Every role (or only ``role``) with the top REVIEW_CANDIDATES of its shortlist (their application's
    headshot and tape, latest callbacks, panel ratings and notes, comments, releases, proposal) and its
    REVIEW_PROPOSALS newest proposals: a fixed number of queries, whatever the sizes. With ``headshots`` each
    candidate's headshot bytes come along (for the presentation PDF)."""
    rows = {r.role.id: r for r in board(production, roles=None if role is None else [role])}
    ids = list(rows)
    if not ids:
        return []
    by_role: dict[int, dict[int, Candidate]] = defaultdict(dict)
    # Ranks run 1..n without gaps: the top of every shortlist is a range on the (role, rank) index.
    for e in db.session.scalars(sa.select(ShortlistEntry)
                                .where(ShortlistEntry.role_id.in_(ids), ShortlistEntry.rank <= REVIEW_CANDIDATES)
                                .options(joinedload(ShortlistEntry.talent))
                                .order_by(ShortlistEntry.role_id, ShortlistEntry.rank, ShortlistEntry.id)):
        by_role[e.role_id][e.talent_id] = Candidate(e.talent, entry=e)
    shown = {t for cands in by_role.values() for t in cands}
    # A candidate's latest REVIEW_INVITATIONS callbacks for the role.
    ranked = (sa.select(Invitation.id, sa.func.row_number().over(
        partition_by=(Invitation.role_id, Invitation.talent_id), order_by=Invitation.starts_at.desc()).label("n"))
        .where(Invitation.role_id.in_(ids), Invitation.talent_id.in_(shown)).subquery())
    invitations = [inv for inv in db.session.scalars(
        sa.select(Invitation).join(ranked, ranked.c.id == Invitation.id).where(ranked.c.n <= REVIEW_INVITATIONS)
        .options(joinedload(Invitation.session).joinedload(CallbackSession.venue),
                 selectinload(Invitation.notes).joinedload(PanelNote.author))
        .order_by(Invitation.starts_at)) if inv.talent_id in by_role[inv.role_id]] if shown else []
    for inv in invitations:
        cand = by_role[inv.role_id][inv.talent_id]
        cand.invitations.append(inv)
        cand.notes.extend(inv.notes)
    if shown:
        for rel in db.session.scalars(sa.select(Release).where(Release.role_id.in_(ids), Release.talent_id.in_(shown))):
            if rel.talent_id in by_role[rel.role_id]:
                by_role[rel.role_id][rel.talent_id].release = rel
    if shown:
        _add_submissions_and_comments(by_role, ids, shown, headshots=headshots)
    proposals = newest_proposals(ids, REVIEW_PROPOSALS)
    for rid, ps in proposals.items():
        for p in reversed(ps):                  # oldest first, so the newest one wins
            if p.talent_id in by_role[rid]:
                by_role[rid][p.talent_id].proposal = p
    return [RoleReview(row.role, row.stage, list(by_role[rid].values()), proposals[rid], row)
            for rid, row in rows.items()]


def _add_submissions_and_comments(by_role: dict[int, dict[int, Candidate]], ids: list[int], shown: set[int], *,
                                  headshots: bool = False) -> None:
    """Each shown candidate's application (headshot, tape link; with ``headshots`` the image's bytes and type)
    and newest REVIEW_COMMENTS comments: two queries."""
    query = sa.select(Submission).where(Submission.role_id.in_(ids), Submission.talent_id.in_(shown))
    if headshots:
        query = query.add_columns(Blob.data, Blob.content_type).outerjoin(Blob, Blob.sha256 == Submission.headshot_sha256)
    for sub, *image in db.session.execute(query):
        if sub.talent_id in by_role[sub.role_id]:
            cand = by_role[sub.role_id][sub.talent_id]
            cand.submission = sub
            if image and image[0] is not None:
                cand.headshot = (image[0], image[1])
    ranked = (sa.select(ReviewComment.id, sa.func.row_number().over(
        partition_by=(ReviewComment.role_id, ReviewComment.talent_id), order_by=ReviewComment.id.desc()).label("n"))
        .where(ReviewComment.role_id.in_(ids), ReviewComment.talent_id.in_(shown)).subquery())
    for c in db.session.scalars(sa.select(ReviewComment).join(ranked, ranked.c.id == ReviewComment.id)
                                .where(ranked.c.n <= REVIEW_COMMENTS).options(joinedload(ReviewComment.author))
                                .order_by(ReviewComment.id.desc())):
        if c.talent_id in by_role[c.role_id]:
            by_role[c.role_id][c.talent_id].comments.append(c)


def proposal_options() -> tuple:
    """What a list of proposals shows with each: its role (and production) and talent."""
    return joinedload(Proposal.role).joinedload(ProductionRole.production), joinedload(Proposal.talent)


# The offers a talent's page shows (the newest; the API pages through all of them).
OFFERS_LIMIT = 50


def offers_of(talent, limit: int = OFFERS_LIMIT) -> list[Proposal]:
    """A talent's ``limit`` newest offers (approved, accepted or declined proposals)."""
    return list(db.session.scalars(sa.select(Proposal).where(Proposal.talent_id == talent.id,
                                                             Proposal.status.in_(OFFER_STATUSES))
                                   .options(*proposal_options()).order_by(Proposal.id.desc()).limit(limit)))


# The proposal form offers the top of the shortlist (a rank range); further down, move a talent up first.
PROPOSABLE_LIMIT = 50


def proposable_entries(role, *, talent_id: int | None = None) -> list:
    """The role's shortlist entries ranked in the top PROPOSABLE_LIMIT, in rank order, without talent released
    from it (with ``talent_id``: that talent's entry, wherever it ranks, to check a posted choice)."""
    released = sa.select(Release.talent_id).where(Release.role_id == role.id)
    query = (sa.select(ShortlistEntry).where(ShortlistEntry.role_id == role.id, ShortlistEntry.talent_id.notin_(released))
             .options(joinedload(ShortlistEntry.talent)))
    if talent_id is not None:
        query = query.where(ShortlistEntry.talent_id == talent_id)
    else:
        query = query.where(ShortlistEntry.rank <= PROPOSABLE_LIMIT)
    return list(db.session.scalars(query.order_by(ShortlistEntry.rank, ShortlistEntry.id)))

