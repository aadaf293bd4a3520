"""statuses and kinds: CHECK constraints restricting each column to its enum's values

Revision ID: 0004
Revises: 0003

On SQLite, batch mode recreates each table (SQLite cannot add a CHECK to an existing table).
The copy keeps columns, keys, foreign keys and plain indexes; this migration itself drops and
re-creates the partial unique index uq_invitations_active_slot around the copy, so it never
comes back without its WHERE. The audit triggers live on audit_entries, which is not touched.
The copies run with foreign keys off (migrations/env.py); every key is checked once the tables
are back in place (PRAGMA foreign_key_check).
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen copies of the enums' values (casting/*/models.py): a migration must not change later.
CHECKS = {
    "users": {"role": ("admin", "casting_director", "producer", "talent")},
    "productions": {"kind": ("film", "tv", "theatre", "commercial", "modeling", "other")},
    "production_members": {"role": ("casting_director", "producer", "director", "intimacy_coordinator", "reader")},
    "production_roles": {"status": ("open", "cast")},
    "venues": {"kind": ("casting_studio", "production_office", "rehearsal_space", "theatre", "sound_stage",
                        "virtual", "private_residence", "hotel_room", "vehicle", "other")},
    "open_calls": {"status": ("draft", "published")},
    "callback_sessions": {"status": ("draft", "scheduled", "completed", "cancelled")},
    "invitations": {"status": ("invited", "confirmed", "reschedule_requested", "declined", "cancelled", "checked_in",
                               "attended", "no_show")},
    "proposals": {"status": ("proposed", "approved", "rejected", "accepted", "declined")},
    "documents": {"kind": ("callback_confirmation", "consent_rider", "recording_release", "guardian_consent", "offer"),
                  "status": ("issued", "signed", "superseded", "void")},
}

# The partial unique index of 0003, as it was created there.
ACTIVE_SLOT = "uq_invitations_active_slot"
ACTIVE_SQL = "status IN ('invited', 'confirmed', 'reschedule_requested', 'checked_in', 'attended')"


def _name(table: str, column: str) -> str:
    return f"ck_{table}_{column}_valid"


def _condition(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _drop_active_slot() -> None:
    op.drop_index(ACTIVE_SLOT, table_name="invitations")


def _create_active_slot() -> None:
    op.create_index(ACTIVE_SLOT, "invitations", ["session_id", "starts_at"], unique=True,
                    sqlite_where=sa.text(ACTIVE_SQL), postgresql_where=sa.text(ACTIVE_SQL))


def _check_foreign_keys() -> None:
    bad = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise RuntimeError(f"foreign keys broken by the table copies: {bad[:5]}")


def _alter(add: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
            # migrations/env.py turns them off: dropping a table other rows point at would fail.
            raise RuntimeError("run this migration with SQLite's foreign keys off (PRAGMA foreign_keys=OFF)")
        _drop_active_slot()
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                if add:
                    batch_op.create_check_constraint(op.f(_name(table, column)), _condition(column, values))
                else:
                    batch_op.drop_constraint(op.f(_name(table, column)), type_="check")
    if sqlite:
        _create_active_slot()
        _check_foreign_keys()


def upgrade():
    _alter(add=True)


def downgrade():
    _alter(add=False)
