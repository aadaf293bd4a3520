"""What the casting board and the producers' review page show: read-only, a few grouped queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casting.callbacks.models import (
    ATTENDED_INVITATION_STATUSES,
    NOT_CALLED_BACK_STATUSES,
    CallbackSession,
    Invitation,
    PanelNote,
)
from casting.accounts.models import User
from casting.calls.models import ShortlistEntry, Submission
from casting.core.blobs import Blob
from casting.decisions.models import (
    OFFER_STATUSES,
    OPEN_PROPOSAL_STATUSES,
    PROPOSAL_TRANSITIONS,
    Proposal,
    ProposalStatus,
    Release,
    ReviewComment,
)
from casting.extensions import db
from casting.productions.models import ProductionRole, ProductionRoleStatus, Venue
from casting.talent.models import TalentProfile

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
# The page shows every role with up to REVIEW_CANDIDATES cards: it reads plain rows of the columns it shows
# (Core statements on the tables, built once: their cache keys are memoised), not ORM entities.

class Person(NamedTuple):
    """Who proposed, decided, withdrew (``created_by_id``: the four-eyes rule asks who made the account)."""
    id: int
    name: str
    created_by_id: int | None = None


class CallbackLine(NamedTuple):
    starts_at: Any
    timezone: str
    title: str
    status: str
    status_text: str        # the status in words ("reschedule requested")


class PanelLine(NamedTuple):
    author_id: int
    author: str
    rating: int
    note: str


class CommentLine(NamedTuple):
    author: str
    created_at: Any
    body: str


@dataclass(slots=True)
class ProposalView:
    """A proposal as the review shows it."""
    id: int
    role_id: int
    talent_id: int
    talent_name: str
    status: str
    terms: dict
    created_at: Any
    proposed_by: Person
    decided_by: Person | None
    decision_comment: str | None
    responded_at: Any
    withdrawn_by: Person | None
    withdrawn_at: Any
    withdrawal_reason: str | None
    trust_account: str | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROPOSAL_STATUSES

    def can(self, action: str) -> bool:
        """As Proposal.can."""
        return self.status in PROPOSAL_TRANSITIONS[action]


@dataclass(slots=True)
class Candidate:
    """One card: a shortlisted talent with their application, callbacks, the panel, comments and proposal."""
    talent_id: int
    name: str                                           # the display name
    legal_name: str
    professional_name: str | None
    rank: int
    shortlist_note: str
    submission_id: int | None = None
    headshot_sha256: str | None = None
    tape_url: str | None = None
    released: bool = False
    invitations: list[CallbackLine] = field(default_factory=list)    # oldest first
    notes: list[PanelLine] = field(default_factory=list)             # across invitations
    comments: list[CommentLine] = field(default_factory=list)        # newest first
    proposal: ProposalView | None = None                # the newest proposal of this talent for the role
    headshot: tuple[bytes, str] | None = None           # the headshot's bytes and type, when asked for
    panel: list[tuple[str, list[PanelLine]]] = field(default_factory=list)   # notes by author
    average_rating: float | None = None

    @property
    def headshot_submission_id(self) -> int | None:
        return self.submission_id if self.headshot_sha256 else None

    def _summarise(self) -> None:
        by_author: dict[int, tuple[str, list]] = {}
        for n in self.notes:
            by_author.setdefault(n.author_id, (n.author, []))[1].append(n)
        self.panel = list(by_author.values())
        if self.notes:
            self.average_rating = round(sum(n.rating for n in self.notes) / len(self.notes), 1)


@dataclass(slots=True)
class ReviewRole:
    id: int
    production_id: int
    name: str
    age_min: int | None
    age_max: int | None
    compensation: str | None
    status: str


@dataclass(slots=True)
class RoleReview:
    role: ReviewRole
    stage: str
    candidates: list[Candidate]
    proposals: list[ProposalView]          # newest first
    shortlisted: int

    @property
    def open_proposal(self) -> ProposalView | None:
        return next((p for p in self.proposals if p.status in OPEN_PROPOSAL_STATUSES), None)


# The review page shows each role's top of the shortlist and its latest decisions; the shortlist page has
# the rest (issue 9: a page's work does not grow with the data).
REVIEW_CANDIDATES = 20
REVIEW_PROPOSALS = 10
REVIEW_INVITATIONS = 5
REVIEW_COMMENTS = 5   # the newest comments per candidate; the API pages through all of them


def _review_statements(scope) -> dict[str, sa.Select]:
    """The review's statements for the roles ``scope(role_id column)`` selects (one bound parameter, "scope")."""
    e, t, s, rel, b = (ShortlistEntry.__table__, TalentProfile.__table__, Submission.__table__, Release.__table__,
                       Blob.__table__)
    i, cs, v, n, u = (Invitation.__table__, CallbackSession.__table__, Venue.__table__, PanelNote.__table__,
                      User.__table__)
    r, c, p = ProductionRole.__table__, ReviewComment.__table__, Proposal.__table__

    def distinct_talent(table, *where):
        return (sa.select(sa.func.count(sa.distinct(table.c.talent_id)))
                .where(table.c.role_id == r.c.id, *where).scalar_subquery())

    def shown(table):
        # The candidates' rows of ``table``: the (role, talent) pairs at the top of the roles' shortlists.
        return (e, sa.and_(e.c.role_id == table.c.role_id, e.c.talent_id == table.c.talent_id,
                           e.c.rank <= REVIEW_CANDIDATES, scope(e.c.role_id)))

    roles = (sa.select(r.c.id, r.c.production_id, r.c.name, r.c.age_min, r.c.age_max, r.c.compensation, r.c.status,
                       distinct_talent(e), distinct_talent(i, i.c.status.notin_(sorted(NOT_CALLED_BACK_STATUSES))))
             .where(scope(r.c.id)).order_by(r.c.id))
    # Ranks run 1..n without gaps: the top of every shortlist is a range on the (role, rank) index.
    candidates = (sa.select(e.c.role_id, e.c.talent_id, e.c.rank, e.c.note, t.c.legal_name, t.c.professional_name,
                            s.c.id, s.c.headshot_sha256, s.c.self_tape_url, rel.c.id)
                  .join(t, t.c.id == e.c.talent_id)
                  .outerjoin(s, sa.and_(s.c.role_id == e.c.role_id, s.c.talent_id == e.c.talent_id))
                  .outerjoin(rel, sa.and_(rel.c.role_id == e.c.role_id, rel.c.talent_id == e.c.talent_id))
                  .where(scope(e.c.role_id), e.c.rank <= REVIEW_CANDIDATES)
                  .order_by(e.c.role_id, e.c.rank, e.c.id))
    # A candidate's latest REVIEW_INVITATIONS callbacks for the role, each with the panel's notes (a row a note).
    ranked_inv = (sa.select(i.c.id, sa.func.row_number().over(partition_by=(i.c.role_id, i.c.talent_id),
                                                              order_by=i.c.starts_at.desc()).label("n"))
                  .join(*shown(i)).subquery())
    invitations = (sa.select(i.c.id, i.c.role_id, i.c.talent_id, i.c.starts_at, v.c.timezone, cs.c.title, i.c.status,
                             n.c.author_id, u.c.name, n.c.rating, n.c.note)
                   .join(ranked_inv, ranked_inv.c.id == i.c.id).join(cs, cs.c.id == i.c.session_id)
                   .join(v, v.c.id == cs.c.venue_id)
                   .outerjoin(n, n.c.invitation_id == i.c.id).outerjoin(u, u.c.id == n.c.author_id)
                   .where(ranked_inv.c.n <= REVIEW_INVITATIONS).order_by(i.c.starts_at, i.c.id, n.c.id))
    ranked_c = (sa.select(c.c.id, sa.func.row_number().over(partition_by=(c.c.role_id, c.c.talent_id),
                                                            order_by=c.c.id.desc()).label("n"))
                .join(*shown(c)).subquery())
    comments = (sa.select(c.c.role_id, c.c.talent_id, u.c.name, c.c.created_at, c.c.body)
                .join(ranked_c, ranked_c.c.id == c.c.id).join(u, u.c.id == c.c.author_id)
                .where(ranked_c.c.n <= REVIEW_COMMENTS).order_by(c.c.id.desc()))
    ranked_p = (sa.select(p.c.id, sa.func.row_number().over(partition_by=p.c.role_id,
                                                            order_by=p.c.id.desc()).label("n"))
                .where(scope(p.c.role_id)).subquery())
    by, decider, withdrawer = u.alias("proposer"), u.alias("decider"), u.alias("withdrawer")
    proposals = (sa.select(p.c.id, p.c.role_id, p.c.talent_id, t.c.professional_name, t.c.legal_name, p.c.status,
                           p.c.terms, p.c.created_at, by.c.id, by.c.name, by.c.created_by_id, decider.c.id,
                           decider.c.name, p.c.decision_comment, p.c.responded_at, withdrawer.c.id, withdrawer.c.name,
                           p.c.withdrawn_at, p.c.withdrawal_reason, p.c.trust_account)
                 .join(ranked_p, ranked_p.c.id == p.c.id).join(t, t.c.id == p.c.talent_id)
                 .join(by, by.c.id == p.c.proposed_by_id)
                 .outerjoin(decider, decider.c.id == p.c.decided_by_id)
                 .outerjoin(withdrawer, withdrawer.c.id == p.c.withdrawn_by_id)
                 .where(ranked_p.c.n <= REVIEW_PROPOSALS).order_by(p.c.role_id, p.c.id.desc()))
    return {"roles": roles, "candidates": candidates,
            "candidates_with_headshots": candidates.add_columns(b.c.data, b.c.content_type)
            .outerjoin(b, b.c.sha256 == s.c.headshot_sha256),
            "invitations": invitations, "comments": comments, "proposals": proposals}


def _production_scope(role_id):
    return role_id.in_(sa.select(ProductionRole.__table__.c.id)
                       .where(ProductionRole.__table__.c.production_id == sa.bindparam("scope")))


def _role_scope(role_id):
    return role_id == sa.bindparam("scope")


# Built on first use (not at import: the models of every feature must be mapped first).
_REVIEW_SQL: dict[str, dict[str, sa.Select]] = {}


def _sql(scope: str) -> dict[str, sa.Select]:
    if scope not in _REVIEW_SQL:
        _REVIEW_SQL[scope] = _review_statements(_production_scope if scope == "production" else _role_scope)
    return _REVIEW_SQL[scope]


def _proposal_views(rows) -> dict[int, list[ProposalView]]:
    out: dict[int, list[ProposalView]] = defaultdict(list)
    for (pid, role_id, talent_id, professional, legal, status, terms, created_at, by_id, by_name, by_creator,
         decider_id, decider, comment, responded_at, withdrawer_id, withdrawer, withdrawn_at, reason, trust) in rows:
        out[role_id].append(ProposalView(
            pid, role_id, talent_id, professional or legal, status, terms, created_at, Person(by_id, by_name, by_creator),
            Person(decider_id, decider) if decider_id is not None else None, comment, responded_at,
            Person(withdrawer_id, withdrawer) if withdrawer_id is not None else None, withdrawn_at, reason, trust))
    return out


def review(production, *, role=None, headshots: bool = False) -> list[RoleReview]:
    """Every role (or only ``role``) with the top REVIEW_CANDIDATES of its shortlist (their application's
    headshot and tape, latest callbacks, panel ratings and notes, comments, releases, proposal) and its
    REVIEW_PROPOSALS newest proposals: five queries of plain rows, whatever the sizes. With ``headshots`` each
    candidate's headshot bytes come along (for the presentation PDF)."""
    sql = _sql("production" if role is None else "role")
    params = {"scope": production.id if role is None else role.id}
    conn = db.session.connection()
    role_rows = conn.execute(sql["roles"], params).all()
    if not role_rows:
        return []
    by_role: dict[int, dict[int, Candidate]] = {row[0]: {} for row in role_rows}
    for role_id, talent_id, rank, note, legal, professional, sub_id, digest, tape, release_id, *image in conn.execute(
            sql["candidates_with_headshots" if headshots else "candidates"], params).all():
        cand = Candidate(talent_id, professional or legal, legal, professional, rank, note, sub_id, digest, tape,
                         release_id is not None)
        if image and image[0] is not None:
            cand.headshot = (image[0], image[1])
        by_role[role_id][talent_id] = cand
    if any(by_role.values()):
        last = None
        for (inv_id, role_id, talent_id, starts_at, tz, title, status, author_id, author, rating, text) in conn.execute(
                sql["invitations"], params).all():
            cand = by_role[role_id].get(talent_id)
            if cand is None:
                continue
            if inv_id != last:              # a row per note: the invitation once
                cand.invitations.append(CallbackLine(starts_at, tz, title, status, status.replace("_", " ")))
                last = inv_id
            if author_id is not None:
                cand.notes.append(PanelLine(author_id, author, rating, text))
        for role_id, talent_id, author, created_at, body in conn.execute(sql["comments"], params).all():
            cand = by_role[role_id].get(talent_id)
            if cand is not None:
                cand.comments.append(CommentLine(author, created_at, body))
    proposals = _proposal_views(conn.execute(sql["proposals"], params).all())
    out = []
    for rid, production_id, name, age_min, age_max, compensation, status, shortlisted, called_back in role_rows:
        cands = by_role[rid]
        ps = proposals.get(rid, [])
        for p in reversed(ps):                  # oldest first, so the newest one wins
            if p.talent_id in cands:
                cands[p.talent_id].proposal = p
        for cand in cands.values():
            cand._summarise()
        info = ReviewRole(rid, production_id, name, age_min, age_max, compensation, status)
        out.append(RoleReview(info, stage_of(info, ps[0] if ps else None, shortlisted, called_back),
                              list(cands.values()), ps, shortlisted))
    return out


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

