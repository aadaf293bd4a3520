"""invitation message threads, and the day-before reminder's mark (issue 13)

Revision ID: 0017
Revises: 0016

invitation_messages: one message of an invitation's thread between the production and the talent (typed, or
a talent's reschedule request or access needs), read by invitation in id order. invitations.reminded_at: when
the reminder went out, so it goes out once (the due query reads the existing index on invitations.starts_at).
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Frozen copies of the enums' values (casting/callbacks/models.py).
MESSAGE_SIDES = ("production", "talent")
MESSAGE_KINDS = ("message", "reschedule_request", "access_needs")


def _in(column, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    op.create_table(
        "invitation_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(_in("side", MESSAGE_SIDES), name=op.f("ck_invitation_messages_side_valid")),
        sa.CheckConstraint(_in("kind", MESSAGE_KINDS), name=op.f("ck_invitation_messages_kind_valid")),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitations.id"],
                                name=op.f("fk_invitation_messages_invitation_id_invitations")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_invitation_messages_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_messages")),
    )
    op.create_index("ix_invitation_messages_invitation_id_id", "invitation_messages", ["invitation_id", "id"])
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", casting.core.db.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
    op.drop_index("ix_invitation_messages_invitation_id_id", table_name="invitation_messages")
    op.drop_table("invitation_messages")
