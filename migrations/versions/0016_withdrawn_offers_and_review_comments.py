"""withdrawn offers (proposals.status 'withdrawn', who, when, why) and the producers' review comments

Revision ID: 0016
Revises: 0011

SQLite cannot change a CHECK in place: batch mode copies the proposals table (columns, keys, foreign keys
and its plain indexes come along). Only ``proposals`` is copied: the audit triggers (on audit_entries) and
the partial unique index uq_invitations_active_slot (on invitations) are on other tables and untouched;
tests/decisions/test_migration_0016.py checks both are still there afterwards. The copy runs with foreign
keys off (migrations/env.py); every key is checked once the table is back in place.
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None

# Frozen copies of ProposalStatus's values (a migration must not change later).
BEFORE = ("proposed", "approved", "rejected", "accepted", "declined")
AFTER = (*BEFORE, "withdrawn")
CHECK = "ck_proposals_status_valid"


def _condition(values) -> str:
    return f"status IN ({', '.join(repr(v) for v in values)})"


def _check_foreign_keys() -> None:
    if op.get_bind().dialect.name == "sqlite":
        bad = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise RuntimeError(f"foreign keys broken by the table copy: {bad[:5]}")


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), _condition(AFTER))
        batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", casting.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_proposals_withdrawn_by_id_users"), "users", ["withdrawn_by_id"], ["id"])
    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", casting.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_review_comments_author_id_users")),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"],
                                name=op.f("fk_review_comments_proposal_id_proposals")),
        sa.ForeignKeyConstraint(["role_id"], ["production_roles.id"],
                                name=op.f("fk_review_comments_role_id_production_roles")),
        sa.ForeignKeyConstraint(["talent_id"], ["talent_profiles.id"],
                                name=op.f("fk_review_comments_talent_id_talent_profiles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comments")),
    )
    op.create_index("ix_review_comments_role_id_talent_id", "review_comments", ["role_id", "talent_id"])
    op.create_index(op.f("ix_review_comments_proposal_id"), "review_comments", ["proposal_id"])
    _check_foreign_keys()


def downgrade():
    op.drop_index(op.f("ix_review_comments_proposal_id"), table_name="review_comments")
    op.drop_index("ix_review_comments_role_id_talent_id", table_name="review_comments")
    op.drop_table("review_comments")
    # A withdrawn proposal has no place in the old CHECK: it becomes the declined offer it is closest to.
    op.execute("UPDATE proposals SET status = 'declined' WHERE status = 'withdrawn'")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_proposals_withdrawn_by_id_users"), type_="foreignkey")
        batch_op.drop_column("withdrawal_reason")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("withdrawn_by_id")
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), _condition(BEFORE))
    _check_foreign_keys()
