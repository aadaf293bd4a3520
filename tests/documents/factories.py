"""Factories for document tests: a scheduled session and an invitation built directly as rows.

(They do not go through the callbacks services on purpose: documents are tested on their own.)
"""
from __future__ import annotations

from datetime import date, timedelta

from casting.callbacks.models import CallbackSession, Invitation
from casting.core.db import utcnow
from casting.extensions import db
from tests.factories import (
    at, make_company, make_production, make_role, make_shortlist_entry, make_talent, make_user, make_venue,
)

INTIMACY_DETAILS = "A partially clothed bedroom scene with a kiss; no full nudity; closed set."
RECORDING_USE = "Shown only to the director and producers to choose the cast, then deleted."


def make_callback(*, nudity: bool = False, recorded: bool = False, minor: bool = False, talent_user=None,
                  legal_name: str | None = None, tz: str = "Europe/London", starts=None, virtual: bool = False,
                  production=None, cd=None, status: str = "invited"):
    """An invitation in a scheduled session, with a two-person panel (plus an intimacy coordinator when needed)."""
    if cd is None:
        admin = make_user("admin", name="Ada Admin")
        cd = make_user("casting_director", name="Cara Director", credential_verified_by=admin)
        company = make_company(cd, verified_by=admin)
        producer = make_user("producer", name="Pat Producer")
        coordinator = make_user("producer", name="Ines Coordinator")
        production = make_production(cd, company, members={producer: "producer", coordinator: "intimacy_coordinator"})
    panel = [m.user for m in production.members if m.role in ("casting_director", "producer")
             or (nudity and m.role == "intimacy_coordinator")]
    role = make_role(production, nudity_or_intimacy=nudity, nudity_or_intimacy_details=INTIMACY_DETAILS if nudity else None)
    venue = make_venue(cd, timezone_name=tz, kind="virtual" if virtual else "casting_studio",
                       meeting_url="https://meet.example.com/tide-line" if virtual else None)
    starts = starts or at(2027, 3, 2, 10, 0, tz=tz)
    session = CallbackSession(production_id=production.id, title="Maya callbacks, day one", venue_id=venue.id,
                              starts_at=starts, ends_at=starts + timedelta(hours=4), slot_minutes=20, recorded=recorded,
                              recording_use=RECORDING_USE if recorded else None, status="scheduled",
                              lead_casting_director_id=cd.id, scheduled_at=utcnow())
    session.roles = [role]
    session.panel = panel
    db.session.add(session)
    db.session.flush()
    dob = None
    if minor:
        dob = date(starts.year - 16, 1, 15)
    talent = make_talent(user=talent_user, legal_name=legal_name)
    if minor:
        talent.date_of_birth = dob
        talent.guardian_name, talent.guardian_email = "Gina Guardian", "gina.guardian@example.com"
    make_shortlist_entry(role, talent, by=cd)
    inv = Invitation(session_id=session.id, role_id=role.id, talent_id=talent.id, starts_at=starts,
                     ends_at=starts + timedelta(minutes=20), status=status, invited_by_id=cd.id)
    db.session.add(inv)
    db.session.flush()
    return inv


def make_document(invitation, kind: str = "callback_confirmation", *, guardian_token: str | None = None):
    """A Document row with a tiny PDF, without rendering (fast: for access tests that need one to exist)."""
    import hashlib

    from casting.audit.services import head
    from casting.core.auth import hash_token
    from casting.core.blobs import store_blob
    from casting.documents.codes import new_code, next_serial
    from casting.documents.models import Document
    from tests.factories import pdf_bytes

    now = utcnow()
    serial = next_serial(now)
    blob = store_blob(pdf_bytes(f"{kind} {serial}"), "application/pdf")
    doc = Document(kind=kind, serial=serial, verification_code=new_code(), sha256=blob.sha256,
                   blob_sha256=blob.sha256, production_id=invitation.session.production_id,
                   recipient_talent_id=invitation.talent_id, invitation_id=invitation.id, title=f"{kind} {serial}",
                   issued_at=now, audit_head_at_issue=head()[1],
                   guardian_token_hash=hash_token(guardian_token) if guardian_token else None)
    db.session.add(doc)
    db.session.flush()
    assert doc.sha256 == hashlib.sha256(blob.data).hexdigest()
    return doc
