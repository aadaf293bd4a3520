"""safety: reports of a concern with the admins' notes, and suspended productions (issue 14)

Revision ID: 0018
Revises: 0017

- reports: a concern reported by anyone (about a production, a session, a letter's code or a company name),
  its reference, status (open, investigating, closed) and optional contact; report_notes: each status change
  by an admin with its note.
- productions.suspended_at, suspended_by_id, suspension_reason: set while an admin has suspended the
  production (every member's write is refused); reinstating (another admin) clears them.

On SQLite the new foreign key needs batch mode (a table copy); migrations/env.py turns foreign keys off for it.
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

STATUSES = "status IN ('open', 'investigating', 'closed')"


def upgrade():
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("about", sa.String(length=32), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("verification_code", sa.String(length=40), nullable=True),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(STATUSES, name=op.f("ck_reports_status_valid")),
        sa.CheckConstraint("about IN ('production', 'session', 'verification_code', 'company_name')",
                           name=op.f("ck_reports_about_valid")),
        sa.ForeignKeyConstraint(["production_id"], ["productions.id"], name=op.f("fk_reports_production_id_productions")),
        sa.ForeignKeyConstraint(["session_id"], ["callback_sessions.id"],
                                name=op.f("fk_reports_session_id_callback_sessions")),
        sa.ForeignKeyConstraint(["reporter_id"], ["users.id"], name=op.f("fk_reports_reporter_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("reference", name=op.f("uq_reports_reference")),
    )
    op.create_index(op.f("ix_reports_production_id"), "reports", ["production_id"])
    op.create_index(op.f("ix_reports_reporter_id"), "reports", ["reporter_id"])
    op.create_index(op.f("ix_reports_created_at"), "reports", ["created_at"])
    op.create_table(
        "report_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(STATUSES, name=op.f("ck_report_notes_status_valid")),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f("fk_report_notes_report_id_reports")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_report_notes_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_notes")),
    )
    op.create_index(op.f("ix_report_notes_report_id"), "report_notes", ["report_id"])
    with op.batch_alter_table("productions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspended_at", casting.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("suspended_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("suspension_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_productions_suspended_by_id_users"), "users", ["suspended_by_id"], ["id"])


def downgrade():
    with op.batch_alter_table("productions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_productions_suspended_by_id_users"), type_="foreignkey")
        batch_op.drop_column("suspension_reason")
        batch_op.drop_column("suspended_by_id")
        batch_op.drop_column("suspended_at")
    op.drop_index(op.f("ix_report_notes_report_id"), table_name="report_notes")
    op.drop_table("report_notes")
    op.drop_index(op.f("ix_reports_created_at"), table_name="reports")
    op.drop_index(op.f("ix_reports_reporter_id"), table_name="reports")
    op.drop_index(op.f("ix_reports_production_id"), table_name="reports")
    op.drop_table("reports")
