"""Column types that behave the same on SQLite and PostgreSQL: aware UTC times and JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that accepts only aware datetimes and always returns aware UTC ones.

    SQLite keeps no offset, so values are stored as naive UTC there and given their zone back
    on the way out; PostgreSQL keeps `timestamptz` and returns the session's zone, which is
    normalised to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"refusing to store a naive datetime: {value.isoformat()}")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSONDocument(TypeDecorator[Any]):
    """JSON that maps Python None to SQL NULL; JSONB on PostgreSQL.

    The PostgreSQL type is chosen when a dialect asks for it rather than up front (as
    `with_variant` would), so a SQLite store never imports PostgreSQL's dialect package.
    """

    impl = JSON
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(none_as_null=True)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB(none_as_null=True))
        return dialect.type_descriptor(self.impl_instance)


def json_column_type() -> TypeEngine[Any]:
    """The column type of every JSON column of the store."""
    return JSONDocument()
