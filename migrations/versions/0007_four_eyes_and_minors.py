"""four eyes that holds, and minors' safeguarding data the talent cannot undo

Revision ID: 0007
Revises: 0006

- users.created_by_id: the admin who created an account (None: self-registration, a claimed profile,
  `flask users create`); credentials.submitted_by_id: who submitted a credential. Both are filled for
  existing rows from the audit log (the actor of the latest `user.created` / `credential.submitted`
  entry), so four eyes holds for accounts made before this migration too.
- talent_profiles: who set the date of birth and the guardian (date_of_birth_set_by_id,
  guardian_set_by_id), and a talent's pending change of date of birth (pending_date_of_birth, _at, _by_id).
  Existing profiles added by a casting office keep that office's values locked unless the talent has
  changed them since (a `talent.updated` entry naming the field).

On SQLite the new foreign keys need batch mode (a table copy); migrations/env.py turns foreign keys off
for it, and they are checked once the tables are back (PRAGMA foreign_key_check).
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

def _fk(table: str, column: str) -> str:
    return f"fk_{table}_{column}_users"


def _latest_actor(action: str, entity_type: str, table: str) -> str:
    return (f"(SELECT a.actor_id FROM audit_entries a WHERE a.action = '{action}' "
            f"AND a.entity_type = '{entity_type}' AND a.entity_id = {table}.id "
            f"AND a.actor_id IN (SELECT u.id FROM users u) ORDER BY a.id DESC LIMIT 1)")


def _talent_changed(fields) -> str:
    """SQL: the talent changed one of ``fields`` after the profile was added (a talent.updated entry)."""
    likes = " OR ".join(f"a.data LIKE '%\"{name}\"%'" for name in fields)
    return (f"EXISTS (SELECT 1 FROM audit_entries a WHERE a.action = 'talent.updated' "
            f"AND a.entity_type = 'talent_profiles' AND a.entity_id = talent_profiles.id AND ({likes}))")


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f(_fk("users", "created_by_id")), "users", ["created_by_id"], ["id"])
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f(_fk("credentials", "submitted_by_id")), "users", ["submitted_by_id"], ["id"])
    with op.batch_alter_table("talent_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date_of_birth_set_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("guardian_set_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pending_date_of_birth", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("pending_date_of_birth_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("pending_date_of_birth_by_id", sa.Integer(), nullable=True))
        for column in ("date_of_birth_set_by_id", "guardian_set_by_id", "pending_date_of_birth_by_id"):
            batch_op.create_foreign_key(op.f(_fk("talent_profiles", column)), "users", [column], ["id"])

    op.execute(f"UPDATE users SET created_by_id = {_latest_actor('user.created', 'users', 'users')} "
               "WHERE created_by_id IS NULL")
    op.execute("UPDATE users SET created_by_id = NULL WHERE created_by_id = id")
    op.execute("UPDATE credentials SET submitted_by_id = "
               f"{_latest_actor('credential.submitted', 'credentials', 'credentials')}")
    op.execute("UPDATE talent_profiles SET date_of_birth_set_by_id = created_by_id "
               "WHERE created_by_id IS NOT NULL AND date_of_birth IS NOT NULL "
               f"AND NOT {_talent_changed(['date_of_birth'])}")
    op.execute("UPDATE talent_profiles SET guardian_set_by_id = created_by_id "
               "WHERE created_by_id IS NOT NULL "
               "AND (guardian_name IS NOT NULL OR guardian_email IS NOT NULL OR guardian_phone IS NOT NULL) "
               f"AND NOT {_talent_changed(['guardian_name', 'guardian_email', 'guardian_phone'])}")

    if op.get_bind().dialect.name == "sqlite":
        bad = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise RuntimeError(f"foreign keys broken by the table copies: {bad[:5]}")


def downgrade():
    with op.batch_alter_table("talent_profiles", schema=None) as batch_op:
        for column in ("pending_date_of_birth_by_id", "guardian_set_by_id", "date_of_birth_set_by_id"):
            batch_op.drop_constraint(op.f(_fk("talent_profiles", column)), type_="foreignkey")
        for column in ("pending_date_of_birth_by_id", "pending_date_of_birth_at", "pending_date_of_birth",
                       "guardian_set_by_id", "date_of_birth_set_by_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(_fk("credentials", "submitted_by_id")), type_="foreignkey")
        batch_op.drop_column("submitted_by_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(_fk("users", "created_by_id")), type_="foreignkey")
        batch_op.drop_column("created_by_id")
