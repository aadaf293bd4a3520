"""Plain dictionaries for the PDF templates, built from the ORM (templates never see ORM objects)."""
from __future__ import annotations

import re
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from casting.callbacks.models import CallbackSession, Invitation
from casting.core.blobs import load_blob
from casting.core.timefmt import long_date, to_local
from casting.documents.models import DocumentKind
from casting.documents.render import blob_url
from casting.extensions import db
from casting.productions.models import MemberRole, Venue, VenueKind
from casting.talent.age import age_on, is_minor_age

MEMBER_ROLE_LABELS = {
    MemberRole.casting_director: "Casting director", MemberRole.producer: "Producer", MemberRole.director: "Director",
    MemberRole.intimacy_coordinator: "Intimacy coordinator", MemberRole.reader: "Reader",
}
KIND_TITLES = {
    DocumentKind.callback_confirmation: "Callback confirmation",
    DocumentKind.consent_rider: "Nudity and intimacy consent rider",
    DocumentKind.recording_release: "Recording release",
    DocumentKind.guardian_consent: "Parent or guardian consent",
    DocumentKind.offer: "Offer of engagement",
}
VENUE_KIND_LABELS = {
    VenueKind.casting_studio: "Casting studio", VenueKind.production_office: "Production office",
    VenueKind.rehearsal_space: "Rehearsal space", VenueKind.theatre: "Theatre", VenueKind.sound_stage: "Sound stage",
    VenueKind.virtual: "Online (video call)",
}
# Known offer terms in the order a deal memo lists them; others follow, titled from their key.
TERM_LABELS = {
    "compensation": "Compensation", "fee": "Fee", "rate": "Rate", "start_date": "Start date", "end_date": "End date",
    "dates": "Engagement dates", "work_days": "Work days", "location": "Location", "usage": "Usage",
    "usage_of_recordings": "Use of recordings", "term": "Term", "territory": "Territory", "billing": "Billing",
    "exclusivity": "Exclusivity", "travel": "Travel and accommodation", "overtime": "Overtime",
    "union": "Union agreement", "jurisdiction": "Jurisdiction", "notes": "Notes",
}


def base_link(path: str) -> str:
    """An absolute link on this installation's public address."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


# A period of time as a production writes how long recordings are kept: "six months", "90 days", "a year".
PERIOD = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|"
                    r"twenty[- ]four|thirty|sixty|ninety)\s+(day|week|month|year)s?\b", re.IGNORECASE)


def states_a_period(text: str | None) -> bool:
    """Whether the production's written use of recordings says for how long they are kept (a period of time)."""
    return bool(text and PERIOD.search(text))


def portal_links() -> dict[str, str]:
    """Where a letter sends the talent: ``callbacks`` (sides, confirming, declining, access needs: /me/callbacks),
    ``offers`` (an offer to accept or decline: /me/offers), ``portal`` (documents to read and sign: /me/documents), ``safety`` and ``verify``: pages that exist."""
    return {"callbacks": base_link("/me/callbacks"), "offers": base_link("/me/offers"),
            "portal": base_link("/me/documents"),
            "safety": base_link("/safety"), "verify": base_link("/verify")}


def local(dt: datetime, tz: str) -> datetime:
    """``dt`` in the IANA timezone ``tz``."""
    return to_local(dt, tz)


def when(dt: datetime, tz: str) -> dict:
    """A moment as the letters print it, in the venue's timezone."""
    lt = local(dt, tz)
    return {"date": long_date(lt.date()), "time": lt.strftime("%H:%M"), "tz": lt.tzname(), "zone": tz,
            "iso": lt.isoformat(), "short": f"{lt.day} {lt.strftime('%b %Y')}, {lt.strftime('%H:%M')} {lt.tzname()}"}


def letterhead(company) -> tuple[dict, dict[str, tuple[bytes, str]]]:
    """The company's letterhead, and the blobs (logo) the fetcher may serve for it."""
    blobs: dict[str, tuple[bytes, str]] = {}
    logo_url = None
    if company.logo_sha256:
        blob = load_blob(company.logo_sha256)
        # PNG only: an SVG logo stored before SVGs were refused at upload is left off (the letter shows the
        # company's name), so no logo can make a render take unbounded time.
        if blob is not None and blob.content_type == "image/png":
            blobs[blob.sha256] = (blob.data, blob.content_type)
            logo_url = blob_url(blob.sha256)
    lines = [part.strip() for chunk in (company.address or "").splitlines() for part in chunk.split(",") if part.strip()]
    return {
        "legal_name": company.legal_name, "registration_number": company.registration_number,
        "address_lines": lines, "website": company.website or "", "phone": company.phone or "",
        "email": company.email or "", "logo_url": logo_url, "verified": company.verified_at is not None,
    }, blobs


def talent_dict(talent, on: date | None = None) -> dict:
    age = age_on(talent.date_of_birth, on) if on else None
    return {
        "legal_name": talent.legal_name, "professional_name": talent.professional_name or "",
        "display_name": talent.display_name, "email": talent.email, "initials": talent.initials,
        "age": age, "minor": is_minor_age(age),
        "date_of_birth": f"{talent.date_of_birth.day} {talent.date_of_birth.strftime('%B %Y')}" if talent.date_of_birth else "",
        "guardian_name": talent.guardian_name or "", "guardian_email": talent.guardian_email or "",
        "guardian_phone": talent.guardian_phone or "", "agent": talent.agent or "",
    }


def production_dict(production) -> dict:
    return {"title": production.title, "kind": production.kind, "description": production.description or "",
            "safeguarding_contact": production.safeguarding_contact or ""}


def role_dict(role) -> dict:
    return {"name": role.name, "description": role.description or "", "nudity_or_intimacy": role.nudity_or_intimacy,
            "details": role.nudity_or_intimacy_details or "", "compensation": role.compensation or ""}


def members_by_role(production) -> dict[int, str]:
    return {m.user_id: m.role for m in production.members}


def session_date(invitation) -> date:
    """The day of the callback in the venue's timezone (the day the under-18 rule looks at)."""
    return local(invitation.starts_at, invitation.session.venue.timezone).date()


def invitation_context(invitation) -> tuple[dict, dict]:
    """Everything the invitation documents print, and the blobs their letterhead needs."""
    session = invitation.session
    production = session.production
    venue = session.venue
    tz = venue.timezone
    roles = members_by_role(production)
    panel = [{"name": u.name, "role": MEMBER_ROLE_LABELS.get(roles.get(u.id, ""), "Panel member")} for u in session.panel]
    coordinators = [p["name"] for p in panel if p["role"] == "Intimacy coordinator"]
    if not coordinators:
        coordinators = [m.user.name for m in production.members if m.role == MemberRole.intimacy_coordinator]
    viewers = [{"name": m.user.name, "role": MEMBER_ROLE_LABELS[m.role]} for m in production.members
               if m.role in (MemberRole.casting_director, MemberRole.producer, MemberRole.director)]
    head, blobs = letterhead(production.company)
    lead = session.lead_casting_director
    ctx = {
        "company": head,
        "production": production_dict(production),
        "role": role_dict(invitation.role),
        "talent": talent_dict(invitation.talent, session_date(invitation)),
        "sides": [{"filename": s.filename, "size_kb": max(1, round(s.size / 1024))} for s in invitation.role.sides],
        "session": {
            "title": session.title, "start": when(invitation.starts_at, tz), "end": when(invitation.ends_at, tz),
            "slot_minutes": round((invitation.ends_at - invitation.starts_at).total_seconds() / 60),
            "recorded": session.recorded, "recording_use": session.recording_use or "",
            "panel": panel, "intimacy_coordinators": coordinators, "recording_viewers": viewers,
            "lead": {"name": lead.name, "email": lead.email},
            "retention_days": current_app.config.get("RECORDING_RETENTION_DAYS", 90),
            # The production's own period, when its written use gives one: the letters then state that one only.
            "retention_in_use": states_a_period(session.recording_use),
        },
        "venue": {"name": venue.name, "kind": VENUE_KIND_LABELS.get(venue.kind, venue.kind.replace("_", " ")),
                  "virtual": venue.kind == VenueKind.virtual, "address_lines": [p.strip() for p in (venue.address or "").split(",") if p.strip()],
                  "meeting_url": venue.meeting_url or "", "map_url": venue.map_url or "", "timezone": tz},
        "links": portal_links(),
    }
    return ctx, blobs


# Terms that hold a date (YYYY-MM-DD): the letter writes them out, as it writes every other date.
DATE_TERMS = frozenset({"start_date", "end_date"})


def _term_date(value) -> str:
    return long_date(value) if isinstance(value, (date, str)) else _term_value(value)


def _term_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_term_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_term_value(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def term_rows(terms: dict | None) -> list[dict]:
    """The offer's terms as labelled rows, known terms first (values as the caller words them: decisions
    gives the jurisdiction as a place, not a code)."""
    terms = dict(terms or {})
    # The use of recordings has its own section of the offer.
    terms.pop("usage", None)
    terms.pop("usage_of_recordings", None)
    rows = [{"label": label, "value": (_term_date if key in DATE_TERMS else _term_value)(terms.pop(key))}
            for key, label in TERM_LABELS.items() if key in terms]
    rows += [{"label": str(k).replace("_", " ").capitalize(), "value": _term_value(v)} for k, v in terms.items()]
    return [r for r in rows if r["value"]]


def offer_timezone(proposal) -> str:
    """The timezone of the talent's latest callback for this role, else UTC."""
    tz = db.session.scalar(
        sa.select(Venue.timezone).join(CallbackSession, CallbackSession.venue_id == Venue.id)
        .join(Invitation, Invitation.session_id == CallbackSession.id)
        .where(Invitation.talent_id == proposal.talent_id, Invitation.role_id == proposal.role_id)
        .order_by(Invitation.starts_at.desc()).limit(1)
    )
    return tz or "UTC"


def offer_context(proposal, today: date, terms: dict | None = None) -> tuple[dict, dict]:
    """The offer's parties, role, terms (``terms`` as worded by the caller, else the proposal's) and
    signature blocks, and the blobs for its letterhead."""
    role = proposal.role
    production = role.production
    head, blobs = letterhead(production.company)
    terms = (proposal.terms if terms is None else terms) or {}
    ctx = {
        "company": head,
        "production": production_dict(production),
        "role": role_dict(role),
        "talent": talent_dict(proposal.talent, today),
        "terms": term_rows(terms),
        "usage_of_recordings": _term_value(terms.get("usage_of_recordings") or terms.get("usage") or ""),
        "trust_account": proposal.trust_account or "",
        "proposed_by": proposal.proposed_by.name if proposal.proposed_by else "",
        "approved_by": proposal.decided_by.name if proposal.decided_by else "",
        "links": portal_links(),
    }
    return ctx, blobs
