"""Turning the append-only triggers off for a test that plays the attacker with database access."""
from __future__ import annotations


def drop_triggers(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entries_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    else:
        conn.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER USER")


def restore_triggers(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE audit_entries ENABLE TRIGGER USER")
