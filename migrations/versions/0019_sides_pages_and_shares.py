"""page counts of sides (issue 14)

Revision ID: 0019
Revises: 0011

sides.page_count: read once at upload, so the checklist's notice by the length of the sides
(casting/callbacks/rules.py) reads no PDF. Existing sides are counted here, once.
"""
import io

from alembic import op
import sqlalchemy as sa

revision = "0019"
down_revision = "0011"
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
    rows = bind.execute(sa.text("SELECT sides.id, blobs.data FROM sides JOIN blobs ON blobs.sha256 = sides.blob_sha256"))
    counts = [{"id": side_id, "pages": _pages(data)} for side_id, data in rows]
    if counts:
        bind.execute(sa.text("UPDATE sides SET page_count = :pages WHERE id = :id"), counts)


def downgrade():
    with op.batch_alter_table("sides") as batch_op:
        batch_op.drop_column("page_count")
