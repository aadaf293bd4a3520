"""The producers' presentation of a role: its candidates side by side as a printable PDF (headshots, the
panel's notes and ratings, comments, the casting director's recommendation).

Rendered on the documents feature's WeasyPrint pipeline with its safe URL fetcher: the headshots are handed
to the fetcher as blobs (nothing else is fetched) and the template gets plain dicts only.
"""
from __future__ import annotations

from flask import render_template

from casting.core.db import utcnow
from casting.core.timefmt import local_time, long_date
from casting.decisions import queries
from casting.documents.render import SafeFetcher, blob_url, html_to_pdf

# Plain words for the statuses a presentation prints.
STAGE_WORDS = {"open": "Open", "shortlisting": "Shortlisting", "callbacks": "At callbacks",
               "proposed": "Proposed, awaiting a producer", "offered": "Offer sent, awaiting the talent",
               "cast": "Cast"}
PROPOSAL_WORDS = {"proposed": "proposed, awaiting a producer", "approved": "approved, offer sent",
                  "rejected": "rejected by a producer", "accepted": "accepted: cast", "declined": "declined by the talent",
                  "withdrawn": "offer withdrawn"}
INVITATION_WORDS = {"invited": "invited", "confirmed": "confirmed", "reschedule_requested": "asked to reschedule",
                    "declined": "declined", "cancelled": "cancelled", "checked_in": "checked in",
                    "attended": "attended", "no_show": "did not come"}


def _terms(p) -> dict:
    t = p.terms or {}
    return {"compensation": t.get("compensation", ""), "start_date": long_date(t.get("start_date")),
            "end_date": long_date(t.get("end_date")), "notes": t.get("notes") or ""}


def presentation_context(role, *, generated_by) -> tuple[dict, dict[str, tuple[bytes, str]]]:
    """Plain data for templates/decisions/presentation_pdf.html, and the headshot blobs it shows."""
    production = role.production
    [rv] = queries.review(production, role=role, headshots=True)
    blobs = {c.headshot_sha256: c.headshot for c in rv.candidates if c.headshot is not None}
    open_p = rv.open_proposal
    candidates = []
    for c in rv.candidates:
        digest = c.headshot_sha256 if c.headshot_submission_id else None
        candidates.append({
            "name": c.name, "legal_name": c.legal_name, "rank": c.rank, "shortlist_note": c.shortlist_note,
            "headshot": blob_url(digest) if digest in blobs else None, "tape_url": c.tape_url or "",
            "average": c.average_rating, "ratings": len(c.notes), "released": c.released,
            "callbacks": [{"when": local_time(i.starts_at, i.timezone, "sheet"),
                           "status": INVITATION_WORDS.get(i.status, i.status)} for i in c.invitations],
            "panel": [{"name": author, "notes": [{"rating": n.rating, "note": n.note} for n in notes]}
                      for author, notes in c.panel],
            "comments": [{"author": m.author, "body": m.body} for m in c.comments],
            "proposal": {"status": PROPOSAL_WORDS.get(c.proposal.status, c.proposal.status),
                         "by": c.proposal.proposed_by.name, "terms": _terms(c.proposal)}
            if c.proposal is not None else None,
            "recommended": open_p is not None and open_p.talent_id == c.talent_id,
        })
    company = production.company
    return {
        "company": {"legal_name": company.legal_name, "registration_number": company.registration_number},
        "production": {"title": production.title},
        "role": {"name": role.name, "description": role.description, "compensation": role.compensation or "",
                 "stage": STAGE_WORDS.get(rv.stage, rv.stage)},
        "recommendation": {"name": open_p.talent_name, "by": open_p.proposed_by.name,
                           "status": PROPOSAL_WORDS.get(open_p.status, open_p.status), "terms": _terms(open_p)}
        if open_p is not None else None,
        "candidates": candidates,
        "more": max(0, rv.shortlisted - len(candidates)),
        "generated": local_time(utcnow(), "UTC", "sheet"),
        "generated_by": generated_by.name,
    }, blobs


def presentation_pdf(role, *, generated_by) -> bytes:
    """The presentation PDF of ``role``'s candidates."""
    context, blobs = presentation_context(role, generated_by=generated_by)
    html = render_template("decisions/presentation_pdf.html", **context)
    return html_to_pdf(html, fetcher=SafeFetcher(blobs), identifier=f"presentation-role-{role.id}")
