"""Every status and kind column takes only its enum's values: a CHECK constraint refuses anything else,
in the schema the models build and in the migrated one, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from casting.accounts.models import PasswordToken, PasswordTokenPurpose, UserRole
from casting.callbacks.models import (
    CallbackSessionStatus,
    Invitation,
    InvitationMessage,
    InvitationShare,
    InvitationStatus,
    MessageKind,
    MessageSide,
    ShareStatus,
)
from casting.calls.models import OpenCallStatus
from casting.decisions.models import ProposalStatus
from casting.documents.models import DocumentKind, DocumentStatus
from casting.core.db import utcnow
from casting.extensions import db
from casting.jobs.models import Job, JobStatus
from casting.safety.models import Report, ReportAbout, ReportNote, ReportStatus
from casting.productions.models import MemberRole, ProductionKind, ProductionRoleStatus, VenueKind
from casting.talent.models import MediaVisibility
from tests.core.test_migrations import migrated  # noqa: F401  (fixture: a database built by the migrations)
from tests.decisions.factories import make_called_back, make_offer_document, make_proposal, make_session
from tests.factories import make_open_call, make_production, make_role, make_user

COLUMNS = [
    ("users", "role", UserRole),
    ("productions", "kind", ProductionKind),
    ("production_members", "role", MemberRole),
    ("production_roles", "status", ProductionRoleStatus),
    ("venues", "kind", VenueKind),
    ("open_calls", "status", OpenCallStatus),
    ("callback_sessions", "status", CallbackSessionStatus),
    ("invitations", "status", InvitationStatus),
    ("proposals", "status", ProposalStatus),
    ("documents", "kind", DocumentKind),
    ("documents", "status", DocumentStatus),
    ("password_tokens", "purpose", PasswordTokenPurpose),
    ("jobs", "status", JobStatus),
    ("talent_profiles", "resume_visibility", MediaVisibility),
    ("talent_profiles", "reel_visibility", MediaVisibility),
    ("invitation_messages", "side", MessageSide),
    ("invitation_messages", "kind", MessageKind),
    ("invitation_shares", "status", ShareStatus),
    ("reports", "about", ReportAbout),
    ("reports", "status", ReportStatus),
    ("report_notes", "status", ReportStatus),
]
IDS = [f"{table}.{column}" for table, column, _ in COLUMNS]


def one_of_each() -> None:
    """A valid row in every table with a constrained column."""
    cd = make_user("casting_director", password=None)
    talent = make_user("talent", password=None).talent_profile
    production = make_production(cd)
    role = make_role(production, with_sides=False)
    make_open_call(production, [role])
    session = make_session(production, lead=cd)
    invitation = make_called_back(role, talent, session=session, by=cd)
    make_offer_document(make_proposal(role, talent, by=cd))
    # A short stand-in hash, so that insert_copy's "-copy" suffix still fits the column.
    db.session.add(PasswordToken(user_id=cd.id, purpose=PasswordTokenPurpose.reset, token_hash="t" * 40,
                                 expires_at=utcnow()))
    db.session.add(Job(kind="documents.complete", payload="{}", created_by_id=cd.id))
    assert isinstance(invitation, Invitation)
    db.session.add(InvitationMessage(invitation_id=invitation.id, author_id=cd.id, side=MessageSide.production,
                                     kind=MessageKind.message, body="See you on Tuesday."))
    db.session.add(InvitationShare(invitation_id=invitation.id, name="Sam Friend", email="sam@example.com",
                                   status=ShareStatus.active, created_by_id=talent.user_id))
    report = Report(reference="R-TEST-0001", about=ReportAbout.production, production_id=production.id,
                    details="They asked for a fee.", status=ReportStatus.open)
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportNote(report_id=report.id, author_id=cd.id, status=ReportStatus.investigating, note="Looking."))
    db.session.commit()


def insert_copy(table: str, column: str, value: str) -> None:
    """INSERT, with raw SQL, a copy of the table's first row with ``column`` set to ``value``
    (unique text columns get a suffix, nullable unique others are left empty, so only the value can be refused)."""
    t = db.metadata.tables[table]
    unique = {c.name for c in t.columns if c.unique}
    empty = {c.name for c in t.columns if c.unique and c.nullable and not isinstance(c.type, sa.String)}
    cols = [c for c in t.columns if c.name != "id"]
    exprs = [":value" if c.name == column else "NULL" if c.name in empty
             else f"\"{c.name}\" || '-copy'" if c.name in unique else f'"{c.name}"' for c in cols]
    names = ", ".join(f'"{c.name}"' for c in cols)
    db.session.execute(sa.text(f'INSERT INTO "{table}" ({names}) SELECT {", ".join(exprs)} FROM "{table}" '
                               f'WHERE id = (SELECT min(id) FROM "{table}")'), {"value": value})


def refused(table: str, column: str, value: str) -> str | None:
    """The database's message when it refuses the copy with ``value``, else None."""
    try:
        with db.session.begin_nested():
            insert_copy(table, column, value)
    except IntegrityError as exc:
        return str(exc.orig)
    return None


@pytest.mark.parametrize("table, column, enum", COLUMNS, ids=IDS)
def test_a_value_outside_the_enum_is_refused(app, table, column, enum):
    one_of_each()
    message = refused(table, column, "not_a_" + column)
    assert message is not None and f"ck_{table}_{column}_valid" in message


@pytest.mark.parametrize("table, column, enum", COLUMNS, ids=IDS)
def test_every_value_of_the_enum_is_accepted(app, table, column, enum):
    one_of_each()
    row = db.session.scalar(sa.text(f'SELECT min(id) FROM "{table}"'))
    for member in enum:
        with db.session.begin_nested():
            db.session.execute(sa.text(f'UPDATE "{table}" SET "{column}" = :v WHERE id = :id'),
                               {"v": member.value, "id": row})
    db.session.rollback()


def test_the_models_declare_one_check_per_column():
    checks = {(c.table.name, c.name) for t in db.metadata.sorted_tables for c in t.constraints
              if isinstance(c, sa.CheckConstraint) and c.name.endswith("_valid")}
    assert checks == {(table, f"ck_{table}_{column}_valid") for table, column, _ in COLUMNS}


def test_the_migrated_database_has_the_constraints(migrated):  # noqa: F811
    inspector = sa.inspect(db.engine)
    for table, column, _ in COLUMNS:
        names = {c["name"] for c in inspector.get_check_constraints(table)}
        assert f"ck_{table}_{column}_valid" in names, (table, names)
    one_of_each()
    for table, column, enum in COLUMNS:
        message = refused(table, column, "not_a_" + column)
        assert message is not None and f"ck_{table}_{column}_valid" in message, (table, column, message)


def test_migrating_keeps_the_partial_slot_index_and_the_audit_triggers(migrated):  # noqa: F811
    from casting.audit import services as audit

    one_of_each()
    inv = db.session.scalar(sa.text("SELECT id FROM invitations"))
    # A cancelled invitation may share the slot of an active one; a second active one may not.
    assert refused("invitations", "status", InvitationStatus.cancelled) is None
    message = refused("invitations", "status", InvitationStatus.confirmed)
    assert message and ("uq_invitations_active_slot" in message  # PostgreSQL names the index, SQLite its columns
                        or "invitations.session_id, invitations.starts_at" in message), message
    audit.record("test.migrated")
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with db.session.begin_nested():
            db.session.execute(sa.text("DELETE FROM audit_entries"))
    db.session.rollback()
    assert inv is not None and audit.verify_chain().ok
