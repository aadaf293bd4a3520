"""A world at a chosen size for the statement-count test: the access matrix's world (a user of every kind,
every object an access row needs) plus ``n`` rows of everything a page lists, inserted in bulk.

Every list the app shows grows with ``n`` here: users (half of them casting directors with a pending
credential), talent added by our casting director, their submissions and shortlist entries for the world's
role, our productions, companies, venues and open calls, the production's sessions, invitations in the
world's sessions and the talent's own invitations, the message thread of talent_a's invitation, documents (the production's and talent_a's), proposals
(a role's, and offers to talent_a), talent_a's submissions, and audit entries of the production (a valid
chain). Not scaled, because no real office has thousands of them: a production's roles and members, a
session's roles and panel, a user's API tokens.

Rows go in with SQLAlchemy Core ``insert`` executemany, so 5,000 of each take about a second."""
from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from casting.accounts.models import Credential, User
from casting.audit.models import AuditEntry
from casting.audit.services import compute_hash, head
from casting.callbacks.models import (
    CallbackSession,
    Invitation,
    InvitationMessage,
    session_panel,
    session_roles,
)
from casting.calls.models import OpenCall, ShortlistEntry, Submission, open_call_roles
from casting.companies.models import Company, CompanyMember
from casting.core.blobs import store_blob
from casting.core.db import utcnow
from casting.decisions.models import Proposal
from casting.documents.models import Document
from casting.extensions import db
from casting.productions.models import (
    Production,
    ProductionMember,
    ProductionRole,
    Venue,
)
from casting.talent.models import TalentHeadshot, TalentProfile, TalentSkill, TalentUnion
from tests.access.world import World, build_full_world
from tests.factories import GOOD_DESCRIPTION, make_open_call, pdf_bytes, png_bytes


def _insert(model_or_table, rows: list[dict]) -> None:
    if rows:
        table = getattr(model_or_table, "__table__", model_or_table)
        db.session.execute(sa.insert(table), rows)


def _ids(model, *where) -> list[int]:
    return list(db.session.scalars(sa.select(model.id).where(*where).order_by(model.id)))


def build_scale_world(n: int) -> World:
    """The access world plus ``n`` rows of every list (committed)."""
    world = build_full_world()
    add_rows(world, n)
    db.session.commit()
    return world


def add_rows(w: World, n: int) -> None:  # noqa: PLR0915 - one flat recipe reads best
    now = utcnow()
    cd, producer, talent_a = w.users["cd_own"], w.users["producer"], w.talent_a
    future = now + timedelta(days=30)

    # Users: half casting directors with a credential waiting for an admin, half producers.
    _insert(User, [{"email": f"bulk-user-{i}@example.com", "name": f"Bulk User {i:05d}",
                    "role": "casting_director" if i % 2 == 0 else "producer", "password_hash": None, "active": True,
                    "created_at": now, "email_verified_at": now, "session_version": 0} for i in range(n)])
    cds = _ids(User, User.email.like("bulk-user-%"), User.role == "casting_director")
    _insert(Credential, [{"user_id": uid, "registry": "Casting Society", "reference": f"CSA-B{uid}",
                          "submitted_at": now, "submitted_by_id": uid} for uid in cds])

    # Talent our casting director added (so they see them), each applying to and shortlisted for the role.
    # Their casting profiles: every one in Bristol, playing 20-40, with two skills, a union and a primary
    # headshot, so a search by every filter matches a full page at any size.
    _insert(TalentProfile, [{"legal_name": f"Bulk Talent {i:05d}", "email": f"bulk-talent-{i}@example.com",
                             "created_by_id": cd.id, "created_at": now, "location": "Bristol",
                             "location_key": "bristol", "playing_age_min": 20, "playing_age_max": 40,
                             "resume_visibility": "applied", "reel_visibility": "applied"} for i in range(n)])
    talent = _ids(TalentProfile, TalentProfile.email.like("bulk-talent-%"))
    _insert(TalentSkill, [{"talent_id": t, "key": key, "label": key.title()} for t in talent
                          for key in ("stage combat", "guitar")])
    _insert(TalentUnion, [{"talent_id": t, "key": "equity", "label": "Equity"} for t in talent])
    headshot = store_blob(png_bytes(), "image/png")
    _insert(TalentHeadshot, [{"talent_id": t, "sha256": headshot.sha256, "content_type": "image/png",
                              "is_primary": True, "created_at": now} for t in talent])
    _insert(Submission, [{"open_call_id": w.open_call.id, "role_id": w.role.id, "talent_id": t, "note": "Bulk",
                          "created_at": now} for t in talent])
    top = db.session.scalar(sa.select(sa.func.max(ShortlistEntry.rank)).where(ShortlistEntry.role_id == w.role.id))
    _insert(ShortlistEntry, [{"role_id": w.role.id, "talent_id": t, "rank": top + i + 1, "note": "",
                              "added_by_id": cd.id, "created_at": now} for i, t in enumerate(talent)])

    # Our productions, companies, venues and open calls.
    _insert(Production, [{"company_id": w.company.id, "title": f"Bulk Production {i:05d}", "kind": "film",
                          "description": "", "safeguarding_contact": "Sam Safe, safe@example.com",
                          "created_by_id": cd.id, "created_at": now} for i in range(n)])
    productions = _ids(Production, Production.title.like("Bulk Production %"))
    _insert(ProductionMember, [{"production_id": p, "user_id": cd.id, "role": "casting_director",
                                "created_at": now} for p in productions])
    _insert(Company, [{"legal_name": f"Bulk Company {i:05d} Ltd", "registration_number": f"B{i:07d}",
                       "address": "1 Bulk Street, London", "created_by_id": cd.id, "created_at": now}
                      for i in range(n)])
    companies = _ids(Company, Company.legal_name.like("Bulk Company %"))
    _insert(CompanyMember, [{"company_id": c, "user_id": cd.id, "created_at": now} for c in companies])
    _insert(Venue, [{"name": f"Bulk Studio {i:05d}", "kind": "casting_studio", "address": "2 Bulk Street, London",
                     "timezone": "Europe/London", "created_by_id": cd.id, "created_at": now} for i in range(n)])
    _insert(OpenCall, [{"production_id": w.production.id, "title": f"Bulk Call {i:05d}", "instructions": "",
                        "closes_at": future, "status": "published", "published_at": now, "created_by_id": cd.id,
                        "created_at": now} for i in range(n)])
    calls = _ids(OpenCall, OpenCall.title.like("Bulk Call %"))
    _insert(open_call_roles, [{"open_call_id": c, "role_id": w.role.id} for c in calls])

    # The production's sessions (each with a role and a panel), and talent_a invited to each.
    _insert(CallbackSession, [{"production_id": w.production.id, "title": f"Bulk Session {i:05d}",
                               "venue_id": w.venue.id, "starts_at": future + timedelta(days=i),
                               "ends_at": future + timedelta(days=i, hours=2), "slot_minutes": 20,
                               "recorded": False, "status": "draft", "lead_casting_director_id": cd.id,
                               "created_at": now} for i in range(n)])
    sessions = _ids(CallbackSession, CallbackSession.title.like("Bulk Session %"))
    _insert(session_roles, [{"session_id": s, "role_id": w.role.id} for s in sessions])
    _insert(session_panel, [{"session_id": s, "user_id": u} for s in sessions for u in (cd.id, producer.id)])
    _insert(Invitation, [{"session_id": s, "role_id": w.role.id, "talent_id": talent_a.id,
                          "starts_at": future + timedelta(days=i), "ends_at": future + timedelta(days=i, minutes=20),
                          "status": "invited", "invited_by_id": cd.id, "created_at": now}
                         for i, s in enumerate(sessions)])
    mine = _ids(Invitation, Invitation.session_id.in_(sessions))
    # Invitations of the world's draft and scheduled sessions, one slot after another.
    for session in (w.draft, w.scheduled):
        slot = timedelta(minutes=session.slot_minutes)
        _insert(Invitation, [{"session_id": session.id, "role_id": w.role.id, "talent_id": t,
                              "starts_at": session.starts_at + (i + 1) * slot,
                              "ends_at": session.starts_at + (i + 2) * slot, "status": "invited",
                              "invited_by_id": cd.id, "created_at": now} for i, t in enumerate(talent)])
    # The message thread of the world's invitation (talent_a's), both sides writing.
    _insert(InvitationMessage, [{"invitation_id": w.invitation.id, "author_id": cd.id if i % 2 else talent_a.user_id,
                                 "side": "production" if i % 2 else "talent", "kind": "message",
                                 "body": f"Bulk message {i:05d}", "created_at": now} for i in range(n)])

    # Documents: the production's (to the bulk talent) and talent_a's own.
    blob = store_blob(pdf_bytes("Bulk letter"), "application/pdf")
    docs = [(t, None) for t in talent] + [(talent_a.id, inv) for inv in mine]
    _insert(Document, [{"kind": "callback_confirmation", "serial": f"BULK-{i:06d}", "verification_code": f"BULKCODE{i:06d}",
                        "sha256": blob.sha256, "blob_sha256": blob.sha256, "status": "issued", "version": 1,
                        "production_id": w.production.id, "recipient_talent_id": t, "invitation_id": inv,
                        "title": "Callback confirmation", "issued_at": now, "issued_by_id": cd.id,
                        "audit_head_at_issue": "0" * 64, "signed_by_guardian": False}
                       for i, (t, inv) in enumerate(docs)])

    # Proposals for a role (to the bulk talent), and offers to talent_a for parts of another production
    # (where talent_a also applied).
    _insert(Proposal, [{"role_id": w.dec_proposed.role_id, "talent_id": t, "terms": {"fee": "Equity minimum"},
                        "status": "proposed", "proposed_by_id": cd.id, "created_at": now} for t in talent])
    _insert(ProductionRole, [{"production_id": w.other_production.id, "name": f"Bulk Part {i:05d}",
                              "description": GOOD_DESCRIPTION, "nudity_or_intimacy": False, "status": "open",
                              "created_at": now} for i in range(n)])
    parts = _ids(ProductionRole, ProductionRole.name.like("Bulk Part %"))
    other_call = make_open_call(w.other_production, [])
    _insert(Submission, [{"open_call_id": other_call.id, "role_id": r, "talent_id": talent_a.id, "note": "",
                          "created_at": now} for r in parts])
    _insert(Proposal, [{"role_id": r, "talent_id": talent_a.id, "terms": {"fee": "Equity minimum"},
                        "status": "approved", "proposed_by_id": w.users["cd_other"].id, "created_at": now,
                        "decided_at": now} for r in parts])

    _add_audit_entries(w.production.id, cd, n)
    db.session.flush()


def _add_audit_entries(production_id: int, actor, n: int) -> None:
    """``n`` entries about the production, continuing the chain (ids given, since the hash covers them)."""
    last_id, prev = head()
    now = utcnow()
    rows = []
    for i in range(1, n + 1):
        entry = SimpleNamespace(id=last_id + i, created_at=now, actor_id=actor.id, actor_label=actor.email,
                                action="role.update", entity_type="production_role", entity_id=i,
                                production_id=production_id, data=json.dumps({"bulk": i}))
        entry.hash = compute_hash(prev, entry)
        entry.prev_hash, prev = prev, entry.hash
        rows.append(vars(entry))
    _insert(AuditEntry, rows)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('audit_entries', 'id'), "
                                   "(SELECT max(id) FROM audit_entries))"))
