"""The append-only, hash-chained audit log."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casting.core.db import UTCDateTime, utcnow
from casting.extensions import db

GENESIS_HASH = "0" * 64


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    # The page and the API filter by production or action and page by id, newest first: (column, id) indexes
    # answer "the 100 newest entries of production 7 before id N" with one index range, at any table size.
    __table_args__ = (
        sa.Index("ix_audit_entries_production_id_id", "production_id", "id"),
        sa.Index("ix_audit_entries_action_id", "action", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # No foreign keys: the log outlives whatever it talks about and is never cascaded.
    actor_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(64))
    entity_type: Mapped[str | None] = mapped_column(sa.String(64))
    entity_id: Mapped[int | None]
    production_id: Mapped[int | None]
    data: Mapped[str] = mapped_column(sa.Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


class AuditCheckpoint(db.Model):
    """A verified head, signed with the SECRET_KEY (``token``): a later verify can start from it
    (``flask audit verify --from-checkpoint``). In the database so it travels with backups; the signature,
    not the row, is what is trusted: someone who can write the database cannot make one."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entry_id: Mapped[int]
    entry_hash: Mapped[str] = mapped_column(sa.String(64))
    token: Mapped[str] = mapped_column(sa.Text)


# Shipped in the initial migration too; kept here so create_all() (tests) builds the same guard.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON audit_entries
       FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()""",
    """CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()""",
]


@sa.event.listens_for(AuditEntry.__table__, "after_create")
def _install_triggers(target, connection, **kw):
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(connection.dialect.name, [])
    for stmt in statements:
        connection.exec_driver_sql(stmt)
