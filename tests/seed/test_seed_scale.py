"""The scale data set (casting/seed_scale.py) at tiny sizes: counts, rules, the audit chain, pages."""
from __future__ import annotations

from collections import defaultdict

import pyotp
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casting.accounts.models import Credential, User, UserRole
from casting.audit.models import AuditEntry
from casting.audit.services import verify_chain
from casting.callbacks import checklist, gate, invitations
from casting.callbacks.models import (
    ACTIVE_INVITATION_STATUSES,
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
    InvitationStatus,
)
from casting.callbacks.rules import current_rules
from casting.calls.models import ShortlistEntry, Submission
from casting.core.blobs import Blob
from casting.documents import issuing
from casting.documents.models import CURRENT_DOCUMENT_STATUSES, Document, DocumentStatus
from casting.extensions import db
from casting.productions.models import Production
from casting.seed_scale import KNOWN, PASSWORD, Sizes, add_audit_entries, seed_scale
from casting.talent.models import TalentProfile
from tests.conftest import auth, count, login

SIZES = Sizes(talent=90, productions=3, submissions=200, sessions=12, invitations=40, audit=500)


@pytest.fixture
def seeded(app):
    stages = []

    class Bar:
        def __init__(self, label, total):
            stages.append([label, total, 0])

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n):
            stages[-1][2] += n

    result = seed_scale(SIZES, Bar)
    db.session.commit()
    result["stages"] = stages
    return result


def _user(email) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_counts_are_the_sizes_asked_for(seeded):
    assert count(TalentProfile) == SIZES.talent
    assert count(Production) == SIZES.productions
    assert count(Submission) == SIZES.submissions
    assert count(CallbackSession) == SIZES.sessions
    assert count(Invitation) == SIZES.invitations
    # The bulk entries, then the sample invitation's four documents issued (reserved, then rendered and
    # stored) through the service.
    for action in ("document.issued", "document.rendered"):
        made = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.data.not_like('%"scale":true%')))
        assert made == 4, action
    assert count(AuditEntry) == SIZES.audit + 8
    # Every stage's bar reached its total.
    assert [(label, done) for label, total, done in seeded["stages"] if done != total] == []
    assert seeded["counts"]["invitations"] == SIZES.invitations


def test_the_audit_chain_verifies_and_grows(seeded):
    result = verify_chain()
    assert result.ok, result.reason
    before = result.count
    add_audit_entries(250)
    db.session.commit()
    after = verify_chain()
    assert after.ok and after.count == before + 250
    times = db.session.scalars(sa.select(AuditEntry.created_at).order_by(AuditEntry.id)).all()
    assert times == sorted(times)  # never back in time


def test_the_data_respects_the_rules(app, seeded):
    rules = current_rules()
    scheduled = db.session.scalars(sa.select(CallbackSession.id).where(
        CallbackSession.status == CallbackSessionStatus.scheduled)).all()
    assert scheduled and set(db.session.scalars(sa.select(CallbackSession.status))) >= {"scheduled", "draft"}
    for session_id in scheduled:  # every scheduled session passed the checklist when it was scheduled
        session = db.session.get(CallbackSession, session_id)  # one by one: the N+1 guard allows it
        result = checklist.evaluate(gate.facts_of(session), session.scheduled_at, rules)
        assert result.ready, (session.id, result.failed_codes)
    booked = defaultdict(list)
    for inv in db.session.scalars(sa.select(Invitation).options(
            joinedload(Invitation.session).joinedload(CallbackSession.venue), joinedload(Invitation.role),
            joinedload(Invitation.talent))):
        assert invitations.on_grid(inv.session, inv.starts_at)
        assert db.session.scalar(sa.select(ShortlistEntry.id).where(
            ShortlistEntry.role_id == inv.role_id, ShortlistEntry.talent_id == inv.talent_id)) is not None
        if inv.status in ACTIVE_INVITATION_STATUSES:
            booked[inv.talent_id].append((inv.starts_at, inv.ends_at))
        current = {d.kind for d in issuing.current_documents(inv)}
        if inv.status == InvitationStatus.cancelled:
            assert current == set()
        else:
            assert current == set(issuing.required_kinds(inv)), inv.id
        if inv.status == InvitationStatus.checked_in:
            assert issuing.missing_for_check_in(inv) == []
    for spans in booked.values():  # no talent in two places at once
        spans.sort()
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    # Shortlist ranks are 1..n per role.
    ranks = defaultdict(list)
    for role_id, rank in db.session.execute(sa.select(ShortlistEntry.role_id, ShortlistEntry.rank)):
        ranks[role_id].append(rank)
    assert all(sorted(r) == list(range(1, len(r) + 1)) for r in ranks.values())
    # Minors have a guardian; credentials come verified and pending; the PDFs are real and shared per kind.
    minors = db.session.scalars(sa.select(TalentProfile).where(TalentProfile.guardian_email.is_not(None))).all()
    assert minors and all(m.guardian_name and m.date_of_birth for m in minors)
    states = {c.verified_at is not None for c in db.session.scalars(sa.select(Credential))}
    assert states == {True, False}
    kinds = db.session.execute(sa.select(Document.kind, sa.func.count(sa.distinct(Document.blob_sha256)))
                               .group_by(Document.kind)).all()
    assert len(kinds) == 4 and all(n == 1 for _, n in kinds)
    pdf = db.session.get(Blob, db.session.scalar(sa.select(Document.blob_sha256).limit(1)))
    assert pdf.data.startswith(b"%PDF-")
    serials = db.session.scalars(sa.select(Document.serial)).all()
    assert len(set(serials)) == len(serials)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document).where(
        Document.status.in_(CURRENT_DOCUMENT_STATUSES))) > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document).where(
        Document.status == DocumentStatus.void)) > 0


def test_new_rows_after_seeding_get_fresh_ids(app, seeded):
    """On PostgreSQL the id sequences were moved past the bulk rows: the app can insert again."""
    from casting.accounts import services as accounts

    user = accounts.create_user("after@example.com", "After Seed", UserRole.talent, verified=True)
    db.session.commit()
    assert user.id > seeded["counts"]["users"]


def test_pages_render_for_the_known_logins(app, client, seeded):
    cd = _user(KNOWN["casting_director"][0])
    production = db.session.get(Production, seeded["production_id"])
    session = db.session.scalar(sa.select(CallbackSession).where(
        CallbackSession.production_id == production.id, CallbackSession.status == CallbackSessionStatus.scheduled)
        .order_by(CallbackSession.id))
    role = production.roles[0]
    call_id = db.session.scalar(sa.select(Submission.open_call_id).where(Submission.role_id == role.id).limit(1))
    login(client, cd)
    for url in (f"/productions/{production.id}", f"/calls/{call_id}/submissions", f"/roles/{role.id}/shortlist",
                f"/sessions/{session.id}", f"/productions/{production.id}/review",
                f"/productions/{production.id}/documents", f"/productions/{production.id}/sessions"):
        response = client.get(url)
        assert response.status_code == 200, url
    headers = auth(cd)
    for url in (f"/api/v1/productions/{production.id}/sessions", f"/api/v1/open-calls/{call_id}/submissions"):
        response = client.get(url, headers=headers)
        assert response.status_code == 200 and response.json["total"] > 0, url

    talent = _user(KNOWN["talent"][0])
    login(client, talent)
    page = client.get("/me/callbacks")
    assert page.status_code == 200 and production.title.encode() in page.data
    admin = _user(KNOWN["admin"][0])
    login(client, admin)
    assert client.get("/admin/users").status_code == 200
    assert client.get("/audit").status_code == 200


def test_known_logins_sign_in_with_the_printed_password(app, client, seeded):
    admin = _user(KNOWN["admin"][0])
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    cd = KNOWN["casting_director"][0]
    client2 = app.test_client()
    assert client2.post("/login", data={"email": cd, "password": PASSWORD}).status_code == 302
    assert client2.get("/productions").status_code == 200
    assert pyotp.TOTP(admin.mfa_secret).now()


def test_the_command_refuses_a_second_run(runner):
    first = runner.invoke(args=["seed-scale", "--preset", "tiny", "--audit", "50"])
    assert first.exit_code == 0, first.output
    assert PASSWORD in first.output and KNOWN["casting_director"][0] in first.output
    assert verify_chain().ok
    second = runner.invoke(args=["seed-scale", "--preset", "tiny"])
    assert second.exit_code != 0 and "already holds a scale data set" in second.output


def test_impossible_sizes_are_refused(runner):
    result = runner.invoke(args=["seed-scale", "--talent", "10", "--invitations", "50", "--productions", "1",
                                 "--submissions", "10", "--sessions", "2", "--audit", "0"])
    assert result.exit_code != 0 and "invitations must be fewer than talent" in result.output
    assert count(User) == 0


def test_the_same_seed_gives_the_same_entries(app, seeded):
    def batch(seed):
        last = add_audit_entries(60, seed=seed)
        rows = db.session.execute(sa.select(AuditEntry.action, AuditEntry.entity_type, AuditEntry.entity_id,
                                            AuditEntry.production_id, AuditEntry.actor_id)
                                  .where(AuditEntry.id > last - 60).order_by(AuditEntry.id)).all()
        return [tuple(r) for r in rows]

    first, again, other = batch(7), batch(7), batch(8)
    assert first == again
    assert first != other
    db.session.commit()
    assert verify_chain().ok
