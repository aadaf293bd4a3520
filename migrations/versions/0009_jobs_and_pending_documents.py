"""background jobs, mail held for its attachments, documents rendered off the write lock

Revision ID: 0009
Revises: 0008

jobs: the app's record of each background job (casting/jobs). held_mail: an email waiting for
attachments still being rendered (casting/core/mail.py). documents: a document is first reserved
(status pending: serial, code and audit head allocated, render_context kept) and rendered after the
write transaction commits, so sha256 and blob_sha256 are empty until then.

On SQLite, batch mode recreates documents (new CHECK, nullable columns); foreign keys are off during
the copy (migrations/env.py) and checked afterwards.
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Frozen copies of the enums' values (casting/jobs/models.py, casting/documents/models.py).
JOB_STATUSES = ("queued", "running", "done", "failed")
DOCUMENT_STATUSES_BEFORE = ("issued", "signed", "superseded", "void")
DOCUMENT_STATUSES = ("pending", "issued", "signed", "superseded", "void")


def _in(column, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _check_foreign_keys() -> None:
    if op.get_bind().dialect.name == "sqlite":
        bad = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise RuntimeError(f"foreign keys broken by the table copy: {bad[:5]}")


def upgrade():
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.Column("started_at", casting.core.db.UTCDateTime(), nullable=True),
        sa.Column("finished_at", casting.core.db.UTCDateTime(), nullable=True),
        sa.Column("updated_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(_in("status", JOB_STATUSES), name=op.f("ck_jobs_status_valid")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_jobs_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_status"), ["status"], unique=False)

    op.create_table(
        "held_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("refs", sa.Text(), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.Column("sent_at", casting.core.db.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_mail")),
    )
    with op.batch_alter_table("held_mail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_held_mail_sent_at"), ["sent_at"], unique=False)

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("render_context", sa.Text(), nullable=True))
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("blob_sha256", existing_type=sa.String(length=64), nullable=True)
        batch_op.drop_constraint(op.f("ck_documents_status_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_documents_status_valid"), _in("status", DOCUMENT_STATUSES))
    _check_foreign_keys()


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_documents_status_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_documents_status_valid"), _in("status", DOCUMENT_STATUSES_BEFORE))
        batch_op.alter_column("blob_sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("render_context")
    _check_foreign_keys()
    op.drop_table("held_mail")
    op.drop_table("jobs")
