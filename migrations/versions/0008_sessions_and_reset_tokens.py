"""sessions that end and one-time password links: users.session_version, remember_tokens, password_tokens

Revision ID: 0008
Revises: 0007

users.session_version is the generation of an account's sign-in sessions (a session carries it; logout,
a password change or reset and disabling the account bump it). remember_tokens holds the SHA-256 of each
"keep me signed in" cookie; password_tokens the SHA-256 of each reset or set-password link. Sessions
signed in before this migration carried no generation and end: their users sign in again once.
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# A frozen copy of PasswordTokenPurpose's values (casting/accounts/models.py).
PURPOSES = ("reset", "set_password")


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default=sa.text("0"), nullable=False))

    op.create_table(
        "remember_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_remember_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remember_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_remember_tokens_token_hash")),
    )
    with op.batch_alter_table("remember_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remember_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "password_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(f"purpose IN ({', '.join(repr(p) for p in PURPOSES)})",
                           name=op.f("ck_password_tokens_purpose_valid")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_password_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_tokens_token_hash")),
    )
    with op.batch_alter_table("password_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_tokens_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("password_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_tokens_user_id"))
    op.drop_table("password_tokens")
    with op.batch_alter_table("remember_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remember_tokens_user_id"))
    op.drop_table("remember_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
