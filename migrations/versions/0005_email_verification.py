"""accounts: email_verified_at (an account sees nothing private until its email is proven)

Revision ID: 0005
Revises: 0004

Accounts that exist already were made before verification existed (by the operator, an admin, or
a sign-up that was trusted then): they count as verified from their creation.
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: SQLite supports it, so the users table (and its CHECK) is not copied.
    op.add_column("users", sa.Column("email_verified_at", casting.core.db.UTCDateTime(), nullable=True))
    op.execute("UPDATE users SET email_verified_at = created_at")


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email_verified_at")
