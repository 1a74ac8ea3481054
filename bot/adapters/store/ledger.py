"""The ledger of external writes, each under its idempotency key."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, select, update

from bot.adapters.store.connection import dialect_insert
from bot.adapters.store.tables import ledger
from bot.ports import LedgerEntry


def claim(
    connection: Connection,
    *,
    key: str,
    service: str,
    operation: str,
    request: Mapping[str, Any],
    now: datetime,
) -> LedgerEntry:
    """Record the write as pending, or count another attempt at a pending one; returns the entry.

    A done or failed entry is returned as it is.
    """
    statement = dialect_insert(connection, ledger).values(
        key=key,
        service=service,
        operation=operation,
        state="pending",
        request=dict(request),
        attempts=1,
        created_at=now,
        updated_at=now,
    )
    claimed = connection.execute(
        statement.on_conflict_do_nothing(index_elements=[ledger.c.key]).returning(ledger.c.key)
    ).first()
    if claimed is None:
        connection.execute(
            update(ledger)
            .where(ledger.c.key == key, ledger.c.state == "pending")
            .values(attempts=ledger.c.attempts + 1, updated_at=now)
        )
    entry = get(connection, key=key)
    if entry is None:
        raise RuntimeError(f"the ledger entry {key!r} vanished while it was claimed")
    return entry


def complete(connection: Connection, *, key: str, result: Mapping[str, Any], now: datetime) -> None:
    """Mark the write done with what the service answered."""
    connection.execute(
        update(ledger)
        .where(ledger.c.key == key)
        .values(state="done", result=dict(result), error=None, updated_at=now)
    )


def fail(connection: Connection, *, key: str, error: str, now: datetime) -> None:
    """Mark the write failed."""
    connection.execute(
        update(ledger)
        .where(ledger.c.key == key)
        .values(state="failed", error=error, updated_at=now)
    )


def get(connection: Connection, *, key: str) -> LedgerEntry | None:
    """The entry under this key."""
    row = connection.execute(select(ledger).where(ledger.c.key == key)).mappings().one_or_none()
    return None if row is None else _entry(row)


def pending(connection: Connection, *, service: str) -> list[LedgerEntry]:
    """The service's writes still pending, oldest first."""
    query = (
        select(ledger)
        .where(ledger.c.service == service, ledger.c.state == "pending")
        .order_by(ledger.c.created_at, ledger.c.key)
    )
    return [_entry(row) for row in connection.execute(query).mappings()]


def _entry(row: RowMapping) -> LedgerEntry:
    return LedgerEntry(
        key=row["key"],
        service=row["service"],
        operation=row["operation"],
        state=row["state"],
        request=row["request"],
        result=row["result"],
        attempts=row["attempts"],
    )
