"""The production's casting report as a PDF: cast list, stages, callback schedule.

Rendered with the documents feature's WeasyPrint pipeline and its safe URL fetcher (nothing is
fetched but the app's static files and the company logo); the template gets plain dicts only.
"""
from __future__ import annotations

from flask import render_template

from casting.core.db import utcnow
from casting.core.timefmt import local_time
from casting.decisions import exports, queries
from casting.documents.render import SafeFetcher, html_to_pdf

# The CSV columns that fit a landscape page (contact details stay in the CSV).
CAST_COLUMNS = (0, 1, 2, 3, 6, 7, 8, 9, 10)
SCHEDULE_COLUMNS = (0, 1, 2, 5, 6, 7, 8, 9, 10)
# Columns that hold a status code in the CSV: the report prints it in words ("checked_in" → "Checked in").
STATUS_HEADERS = frozenset({"Proposal status", "Session status", "Invitation status", "Stage"})


def in_words(code) -> str:
    """A status code as a reader says it: "checked_in" → "Checked in"; "" stays empty."""
    text = str(code or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _columns(header: list[str], rows, columns: tuple[int, ...]) -> tuple[list[str], list[list[str]]]:
    picked = [header[i] for i in columns]
    worded = {n for n, h in enumerate(picked) if h in STATUS_HEADERS}
    return picked, [[in_words(row[i]) if n in worded else str(row[i]) for n, i in enumerate(columns)]
                    for row in rows]


def report_context(production, *, generated_by) -> dict:
    """Plain data for templates/decisions/report_pdf.html."""
    rows = queries.board(production)
    totals = queries.totals(rows)
    cast_header, cast = _columns(exports.CAST_LIST_HEADER, exports.cast_list_rows(production), CAST_COLUMNS)
    schedule_header, schedule = _columns(exports.SCHEDULE_HEADER, exports.schedule_rows(production),
                                         SCHEDULE_COLUMNS)
    company = production.company
    return {
        "company": {"legal_name": company.legal_name, "registration_number": company.registration_number,
                    "address": company.address, "email": company.email, "phone": company.phone,
                    "website": company.website},
        "production": {"title": production.title, "kind": production.kind,
                       "safeguarding_contact": production.safeguarding_contact},
        "generated": local_time(utcnow(), "UTC", "sheet"),
        "generated_by": generated_by.name,
        "roles": [{"name": r.role.name, "stage": in_words(r.stage), "submissions": r.submissions,
                   "shortlisted": r.shortlisted, "called_back": r.called_back, "attended": r.attended} for r in rows],
        "totals": totals,
        "funnel": queries.funnel_bars([(label, totals[key]) for key, label in queries.FUNNEL_STEPS], width=300,
                                      bar_height=18, gap=5),
        "cast_header": cast_header, "cast": cast, "schedule_header": schedule_header, "schedule": schedule,
    }


def report_pdf(production, *, generated_by) -> bytes:
    """The casting report PDF of ``production``."""
    html = render_template("decisions/report_pdf.html", **report_context(production, generated_by=generated_by))
    return html_to_pdf(html, fetcher=SafeFetcher(), identifier=f"casting-report-{production.id}")
