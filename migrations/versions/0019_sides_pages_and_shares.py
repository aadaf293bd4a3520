"""page counts of sides, callbacks shared with trusted people (issue 14)

Revision ID: 0019
Revises: 0018

sides.page_count: read once at upload, so the checklist's notice by the length of the sides
(casting/callbacks/rules.py) reads no PDF. Existing sides are counted here, once.
invitation_shares: the trusted people a talent shares a callback with (casting/callbacks/shares.py).
"""
import io

from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _pages(data: bytes) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(bytes(data))).pages)
    except Exception:  # an unreadable old upload keeps no count: it adds no pages to the notice
        return None


def upgrade():
    op.add_column("sides", sa.Column("page_count", sa.Integer(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT sides.id, blobs.data FROM sides "
                                "JOIN blobs ON blobs.sha256 = sides.blob_sha256"))
    counts = [{"id": side_id, "pages": _pages(data)} for side_id, data in rows]
    if counts:
        bind.execute(sa.text("UPDATE sides SET page_count = :pages WHERE id = :id"), counts)
    op.create_table(
        "invitation_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("is_guardian", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.Column("stopped_at", casting.core.db.UTCDateTime(), nullable=True),
        sa.Column("ended_notified_at", casting.core.db.UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('active', 'stopped')", name=op.f("ck_invitation_shares_status_valid")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_invitation_shares_created_by_id_users")),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitations.id"],
                                name=op.f("fk_invitation_shares_invitation_id_invitations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_shares")),
    )
    op.create_index(op.f("ix_invitation_shares_invitation_id"), "invitation_shares", ["invitation_id"])


def downgrade():
    op.drop_index(op.f("ix_invitation_shares_invitation_id"), table_name="invitation_shares")
    op.drop_table("invitation_shares")
    with op.batch_alter_table("sides") as batch_op:
        batch_op.drop_column("page_count")
