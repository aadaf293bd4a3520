"""Reports of a concern: anyone files one (no account needed), the production's safeguarding contact and every
admin are told, and admins work the queue (open, investigating, closed) with notes. Every step is audited."""
from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from casting.accounts.models import User, UserRole
from casting.audit import services as audit
from casting.callbacks.models import CallbackSession
from casting.core.db import utcnow
from casting.core.errors import InvalidState, ValidationError
from casting.core.links import public_url
from casting.core.mail import is_address, render_body, send_mail
from casting.core.permissions import MAX_ID, require_admin
from casting.documents.codes import normalise_code
from casting.documents.verify import find_by_code
from casting.extensions import db
from casting.productions.models import Production
from casting.safety.models import Report, ReportAbout, ReportNote, ReportStatus

# Most characters per field: the forms and the API specs take their limits from here.
REPORT_LIMITS = {"details": 5000, "contact_email": 254, "company_name": 200, "verification_code": 40, "note": 2000}
DETAILS_MIN = 10
# Unambiguous letters and digits for a reference read over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ABOUT_KEYS = ("production_id", "session_id", "verification_code", "company_name")
_EMAIL_IN_TEXT = re.compile(r"[^@\s<>,;:()\[\]\"']+@[^@\s<>,;:()\[\]\"']+\.[A-Za-z]{2,}")


def new_reference() -> str:
    """A reference the reporter keeps, e.g. ``R-7KQ4-XM2P``."""
    raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"R-{raw[:4]}-{raw[4:]}"


def _about(about: dict) -> tuple[str, dict]:
    """Which one thing the report is about, and the columns that record it (422 when unclear)."""
    if not isinstance(about, dict):
        raise ValidationError({"about": ["Say what the report is about: a production, a session, a letter's "
                                         "verification code or a company name."]})
    given = {k: v for k, v in about.items() if v not in (None, "")}
    unknown = sorted(set(given) - set(ABOUT_KEYS))
    keys = [k for k in ABOUT_KEYS if k in given]
    if unknown or len(keys) != 1:
        raise ValidationError({"about": ["Give exactly one of: production_id, session_id, verification_code, "
                                         "company_name."]})
    key, value = keys[0], given[keys[0]]
    if key in ("production_id", "session_id"):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
            raise ValidationError({"about": [f"{key} must be an id (a positive integer)."]})
        if key == "production_id":
            production = db.session.get(Production, value)
            if production is None:
                raise ValidationError({"about": ["No production has this id."]})
            return ReportAbout.production, {"production_id": production.id}
        session = db.session.get(CallbackSession, value)
        if session is None:
            raise ValidationError({"about": ["No callback session has this id."]})
        return ReportAbout.session, {"session_id": session.id, "production_id": session.production_id}
    if not isinstance(value, str):
        raise ValidationError({"about": [f"{key} must be text."]})
    text = value.strip()
    if not text or len(text) > REPORT_LIMITS[key]:
        raise ValidationError({"about": [f"{key.replace('_', ' ')}: at most {REPORT_LIMITS[key]} characters."]})
    if key == "verification_code":
        # An unknown code is reported as typed: a forged letter is what most needs reporting.
        document = find_by_code(text)
        return ReportAbout.verification_code, {"verification_code": normalise_code(text) or text,
                                               "production_id": document.production_id if document else None}
    return ReportAbout.company_name, {"company_name": text}


def create_report(*, about: dict, details: str, contact_email: str | None = None, reporter=None) -> Report:
    """Anyone reports a concern (``reporter``: the signed-in user, or None); the production's safeguarding contact
    and every admin are told by email."""
    errors: dict[str, list[str]] = {}
    details = (details or "").strip()
    if len(details) < DETAILS_MIN:
        errors["details"] = [f"Tell us what happened (at least {DETAILS_MIN} characters)."]
    elif len(details) > REPORT_LIMITS["details"]:
        errors["details"] = [f"At most {REPORT_LIMITS['details']} characters."]
    contact_email = (contact_email or "").strip() or None
    if contact_email and (len(contact_email) > REPORT_LIMITS["contact_email"] or not is_address(contact_email)
                          or "<" in contact_email):
        errors["contact_email"] = ["Give an email address we can reply to, or leave it empty."]
    try:
        kind, columns = _about(about)
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    report = Report(reference=new_reference(), about=kind, details=details, contact_email=contact_email,
                    reporter_id=reporter.id if reporter else None, status=ReportStatus.open, **columns)
    db.session.add(report)
    db.session.flush()
    # Admins only read it: an entry under the production would show its members who reported them (the
    # reporter's account and address) and when, so it names the report, not the production.
    audit.record("report.created", actor=reporter, entity_type="reports", entity_id=report.id,
                 data={"reference": report.reference, "about": kind, "signed_in": reporter is not None})
    _tell(report)
    return report


def _safeguarding_address(production: Production | None) -> str | None:
    """The email address in the production's safeguarding contact, if it names one."""
    if production is None:
        return None
    m = _EMAIL_IN_TEXT.search(production.safeguarding_contact or "")
    return m.group(0) if m and is_address(m.group(0)) else None


def admin_addresses() -> list[str]:
    """Every active admin's email address."""
    return list(db.session.scalars(sa.select(User.email).where(User.role == UserRole.admin, User.active.is_(True))
                                   .order_by(User.id)))


def _tell(report: Report) -> None:
    production = db.session.get(Production, report.production_id) if report.production_id else None
    subject = f"Concern reported ({report.reference})" + (f": {production.title}" if production else "")
    context = {"report": report, "production": production, "about": describe_about(report, production)}
    admins = admin_addresses()
    if admins:
        send_mail(admins, subject, render_body("report_to_admins.txt", **context,
                                               queue_url=public_url("safety.report_detail", report_id=report.id)))
    contact = _safeguarding_address(production)
    if contact and contact not in admins:
        send_mail(contact, subject, render_body("report_to_safeguarding.txt", **context))


def describe_about(report: Report, production: Production | None = None) -> str:
    """What the report is about, in plain words."""
    production = production or report.production
    if report.about == ReportAbout.company_name:
        return f"a company not on Callback: {report.company_name}"
    if report.about == ReportAbout.verification_code:
        return (f"the letter with verification code {report.verification_code}"
                + (f" ({production.title})" if production else " (no letter was issued with this code)"))
    if report.about == ReportAbout.session:
        return f"callback session {report.session_id} of {production.title}" if production else "a callback session"
    return f"the production {production.title}" if production else "a production"


def set_status(report: Report, *, status: str, note: str, actor) -> ReportNote:
    """An admin moves a report along the queue (open, investigating, closed) with a note."""
    require_admin(actor)
    errors: dict[str, list[str]] = {}
    if status not in ReportStatus.__members__:
        errors["status"] = ["Must be one of: open, investigating, closed."]
    note = (note or "").strip()
    if not note:
        errors["note"] = ["Write a note: what was done or found."]
    elif len(note) > REPORT_LIMITS["note"]:
        errors["note"] = [f"At most {REPORT_LIMITS['note']} characters."]
    if errors:
        raise ValidationError(errors)
    if report.status == ReportStatus.closed and status == ReportStatus.closed:
        raise InvalidState("This report is already closed; reopen it first.")
    before = report.status
    entry = ReportNote(report_id=report.id, author_id=actor.id, status=status, note=note)
    report.status = status
    report.updated_at = utcnow()
    db.session.add(entry)
    db.session.flush()
    audit.record("report.status_changed", actor=actor, entity_type="reports", entity_id=report.id,
                 data={"reference": report.reference, "from": before, "to": status, "note": note})
    return entry


def queue() -> sa.Select:
    """The admins' queue: open reports first, then investigating, then closed; newest first within each."""
    order = sa.case({ReportStatus.open.value: 0, ReportStatus.investigating.value: 1}, value=Report.status, else_=2)
    return (sa.select(Report).options(joinedload(Report.production))
            .order_by(order, Report.created_at.desc(), Report.id.desc()))


def reports_by(user) -> sa.Select:
    """The reports ``user`` filed while signed in, newest first."""
    return (sa.select(Report).where(Report.reporter_id == user.id).options(joinedload(Report.production))
            .order_by(Report.created_at.desc(), Report.id.desc()))


def report_with_notes(report_id: int) -> Report | None:
    """One report with its notes (and their authors) loaded; None for an unknown id or one out of range."""
    if not isinstance(report_id, int) or not 0 < report_id <= MAX_ID:
        return None
    return db.session.scalar(sa.select(Report).where(Report.id == report_id)
                             .options(joinedload(Report.production), selectinload(Report.notes)))

