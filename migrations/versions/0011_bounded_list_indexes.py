"""indexes for bounded lists and searches (issue 9)

Revision ID: 0011
Revises: 0008

The admin's user list is ordered and filtered by kind then name (users.role, name); the shortlist pages and
the review page read rank ranges of a role's shortlist (shortlist_entries.role_id, rank); the shortlist's
add-talent search lists talent by name among those an office added (talent_profiles.legal_name,
created_by_id).
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_users_role_name", "users", ["role", "name"])
    op.create_index("ix_shortlist_entries_role_id_rank", "shortlist_entries", ["role_id", "rank"])
    op.create_index("ix_talent_profiles_legal_name", "talent_profiles", ["legal_name"])
    op.create_index("ix_talent_profiles_created_by_id", "talent_profiles", ["created_by_id"])


def downgrade():
    op.drop_index("ix_talent_profiles_created_by_id", table_name="talent_profiles")
    op.drop_index("ix_talent_profiles_legal_name", table_name="talent_profiles")
    op.drop_index("ix_shortlist_entries_role_id_rank", table_name="shortlist_entries")
    op.drop_index("ix_users_role_name", table_name="users")
