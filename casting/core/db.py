"""Declarative base with a naming convention, a UTC-aware datetime type, and CHECKs for enum columns."""
from __future__ import annotations

import enum
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores aware datetimes as naive UTC and gives them back aware.

    SQLite has no timezone support, so without this a value read back would be
    naive and comparisons with aware values would fail.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give a timezone")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def enum_check(column: str, values: type[enum.Enum]) -> sa.CheckConstraint:
    """A CHECK that ``column`` holds one of the values of the enum ``values``.

    Named ``<column>_valid``; the naming convention makes it ``ck_<table>_<column>_valid``.
    """
    allowed = ", ".join("'" + str(member.value).replace("'", "''") + "'" for member in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")
