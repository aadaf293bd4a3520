"""Factories for the decisions stage: called-back talent with panel notes, proposals in any state."""
from __future__ import annotations

import itertools
from datetime import timedelta
from types import SimpleNamespace

from casting.callbacks.models import CallbackSession, Invitation, PanelNote
from casting.core.db import utcnow
from casting.decisions.models import Proposal
from casting.extensions import db
from tests.factories import (
    make_company, make_production, make_role, make_shortlist_entry, make_talent, make_user, make_venue,
)

_seq = itertools.count(1)
TERMS = {"compensation": "SAG-AFTRA scale, $1,082 a day, 5 days guaranteed", "start_date": "2027-05-03",
         "end_date": "2027-05-28", "usage": "Recordings of the performance are used only in the film and its "
         "trailers, worldwide, in perpetuity.", "jurisdiction": "GB"}


def make_session(production, *, lead, venue=None, status: str = "completed", starts_in_days: int = -3) -> CallbackSession:
    """A callback session (rows only; the checklist is the sessions feature's business)."""
    venue = venue or make_venue(lead)
    start = (utcnow() + timedelta(days=starts_in_days)).replace(hour=10, minute=0, second=0, microsecond=0)
    session = CallbackSession(production_id=production.id, title=f"Callbacks day {next(_seq)}", venue_id=venue.id,
                              starts_at=start, ends_at=start + timedelta(hours=6), slot_minutes=20,
                              status=status, lead_casting_director_id=lead.id)
    db.session.add(session)
    db.session.flush()
    return session


def make_called_back(role, talent, *, session, by, status: str = "attended", slot: int | None = None,
                     ratings: tuple = ()) -> Invitation:
    """An invitation of ``talent`` for ``role`` in ``session``, with panel notes ``(author, rating, note)``."""
    slot = slot if slot is not None else len(session.invitations)
    start = session.starts_at + timedelta(minutes=session.slot_minutes * slot)
    inv = Invitation(session_id=session.id, role_id=role.id, talent_id=talent.id, starts_at=start,
                     ends_at=start + timedelta(minutes=session.slot_minutes), status=status, invited_by_id=by.id)
    db.session.add(inv)
    db.session.flush()
    for author, rating, note in ratings:
        db.session.add(PanelNote(invitation_id=inv.id, author_id=author.id, rating=rating, note=note))
    db.session.flush()
    db.session.refresh(session)
    return inv


def make_proposal(role, talent, *, by, status: str = "proposed", terms: dict | None = None, decided_by=None,
                  trust_account: str | None = None) -> Proposal:
    """A proposal row in any state (no emails, no documents)."""
    p = Proposal(role_id=role.id, talent_id=talent.id, terms=dict(terms or TERMS), status=status,
                 proposed_by_id=by.id, trust_account=trust_account)
    if status != "proposed" and decided_by is not None:
        p.decided_by_id, p.decided_at = decided_by.id, utcnow()
    if status in ("accepted", "declined"):
        p.responded_at = utcnow()
    db.session.add(p)
    db.session.flush()
    if status == "accepted":
        role.status = "cast"
        db.session.flush()
    return p


def make_casting(*, called_back: int = 3, producers: int = 2) -> SimpleNamespace:
    """A production at the end of its callbacks: a verified company, a casting director, producers, one role
    with ``called_back`` shortlisted talent who attended and were rated, and one more shortlisted talent."""
    admin = make_user("admin")
    cd = make_user("casting_director", name="Cara Castwell", credential_verified_by=admin)
    prods = [make_user("producer", name=f"Pat Producer {i + 1}") for i in range(producers)]
    company = make_company(cd, verified_by=admin)
    production = make_production(cd, company, members={p: "producer" for p in prods})
    role = make_role(production, name="Maya")
    session = make_session(production, lead=cd)
    talents, invitations = [], []
    for i in range(called_back + 1):
        user = make_user("talent", name=f"Talent {'ABCDEFGH'[i]} Person")
        talent = make_talent(user=user)
        make_shortlist_entry(role, talent, by=cd, note=f"Strong read, take {i + 1}")
        talents.append(talent)
        if i < called_back:
            invitations.append(make_called_back(role, talent, session=session, by=cd,
                                                ratings=((cd, 5 - i, f"Lovely stillness {i}"),
                                                         (prods[0], 4 - (i % 2), "Good chemistry"))))
    return SimpleNamespace(admin=admin, cd=cd, producers=prods, producer=prods[0], company=company,
                           production=production, role=role, session=session, talents=talents,
                           invitations=invitations)


def make_offer_document(proposal):
    """A bare offer document row for ``proposal`` (for tests that do not need the rendered PDF)."""
    from casting.core.blobs import store_blob
    from casting.documents.models import Document
    from tests.factories import pdf_bytes

    data = pdf_bytes(f"Offer for proposal {proposal.id}")
    blob = store_blob(data, "application/pdf")
    n = next(_seq)
    doc = Document(kind="offer", serial=f"TEST-OFFER-{n}", verification_code=f"TESTCODE{n:08d}", sha256=blob.sha256,
                   blob_sha256=blob.sha256, production_id=proposal.production_id,
                   recipient_talent_id=proposal.talent_id, proposal_id=proposal.id, title="Offer",
                   audit_head_at_issue="0" * 64)
    db.session.add(doc)
    db.session.flush()
    proposal.offer_document_id = doc.id
    db.session.flush()
    return doc
