"""audit at scale: signed checkpoints, (column, id) indexes for the audit page and API

Revision ID: 0010
Revises: 0008

audit_checkpoints holds signed verified heads (`flask audit checkpoint`; `audit verify --from-checkpoint`
reads only the entries after one). The audit page and API filter by production or action and page by id,
newest first: (production_id, id) and (action, id) replace the single-column indexes they extend.
TRUNCATE of audit_entries is already refused on PostgreSQL since 0002 (trigger audit_entries_no_truncate).
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_production_id_id", ["production_id", "id"], unique=False)
        batch_op.create_index("ix_audit_entries_action_id", ["action", "id"], unique=False)
        batch_op.drop_index(batch_op.f("ix_audit_entries_production_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_action"))


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_production_id"), ["production_id"], unique=False)
        batch_op.drop_index("ix_audit_entries_action_id")
        batch_op.drop_index("ix_audit_entries_production_id_id")
    op.drop_table("audit_checkpoints")
