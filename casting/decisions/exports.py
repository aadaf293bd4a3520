"""A production's cast list and callback schedule, as CSV (and as a PDF report, see report.py)."""
from __future__ import annotations

import csv
import io
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from casting.callbacks.models import CallbackSession, Invitation
from casting.core.timefmt import local_time
from casting.decisions.models import ProposalStatus
from casting.decisions.queries import board
from casting.extensions import db
from casting.productions.models import ProductionRole

CAST_LIST_HEADER = ["Role", "Stage", "Legal name", "Professional name", "Email", "Agent", "Compensation",
                    "Start date", "End date", "Proposal status", "Offer signed at (UTC)"]
SCHEDULE_HEADER = ["Session", "Session status", "Venue", "Address", "Timezone", "Starts (local)", "Ends (local)",
                   "Role", "Talent", "Invitation status", "Checked in (local)"]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells starting with these as formulas (CSV injection): quote them as text.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(header: list[str], rows: list[list[Any]]) -> str:
    """CSV text with a header row; every cell neutralised against formula injection."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()


def cast_list_rows(production) -> list[list[Any]]:
    """One row per role: who is cast (or where the decision stands) and on what terms."""
    out = []
    for row in board(production):
        p = row.proposal
        talent = p.talent if p is not None and p.status != ProposalStatus.rejected else None
        terms = (p.terms or {}) if talent is not None else {}
        signed = local_time(p.responded_at, "UTC", "sheet", zone=False) if p is not None and p.status == ProposalStatus.accepted else ""
        out.append([row.role.name, row.stage, talent.legal_name if talent else "",
                    (talent.professional_name or "") if talent else "",
                    talent.email if talent and p.status == ProposalStatus.accepted else "",
                    (talent.agent or "") if talent else "", terms.get("compensation", ""),
                    terms.get("start_date", ""), terms.get("end_date", ""), p.status if p is not None else "",
                    signed])
    return out


def schedule_invitations(production) -> list[Invitation]:
    """Every invitation of the production's sessions, in time order."""
    return list(db.session.scalars(
        sa.select(Invitation).join(CallbackSession, CallbackSession.id == Invitation.session_id)
        .join(ProductionRole, ProductionRole.id == Invitation.role_id)
        .where(CallbackSession.production_id == production.id)
        .options(contains_eager(Invitation.session).joinedload(CallbackSession.venue),
                 contains_eager(Invitation.role), joinedload(Invitation.talent))
        .order_by(Invitation.starts_at, CallbackSession.id, Invitation.id)))


def schedule_rows(production) -> list[list[Any]]:
    """One row per invitation, times in the venue's timezone."""
    out = []
    for inv in schedule_invitations(production):
        s, tz = inv.session, inv.session.venue.timezone
        out.append([s.title, s.status, s.venue.name, s.venue.address or s.venue.meeting_url or "", tz,
                    local_time(inv.starts_at, tz, "sheet"), local_time(inv.ends_at, tz, "sheet"),
                    inv.role.name, inv.talent.display_name, inv.status,
                    local_time(inv.checked_in_at, tz, "sheet")])
    return out


def cast_list_csv(production) -> str:
    """The cast list as CSV."""
    return to_csv(CAST_LIST_HEADER, cast_list_rows(production))


def schedule_csv(production) -> str:
    """The callback schedule as CSV."""
    return to_csv(SCHEDULE_HEADER, schedule_rows(production))
