"""accounts: a second factor (TOTP secret, last accepted step) and hashed recovery codes

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs: SQLite supports them, so the users table (and its CHECK) is not copied.
    op.add_column("users", sa.Column("mfa_secret", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("mfa_enabled_at", casting.core.db.UTCDateTime(), nullable=True))
    op.add_column("users", sa.Column("mfa_last_step", sa.Integer(), nullable=True))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", casting.core.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("mfa_last_step")
        batch.drop_column("mfa_enabled_at")
        batch.drop_column("mfa_secret")
