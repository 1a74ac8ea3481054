"""The ledger of external writes, each under its idempotency key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from sqlalchemy import Connection, RowMapping, select, update

from bot.adapters.store.connection import dialect_insert
from bot.adapters.store.database import SqlDatabase, utc_now
from bot.adapters.store.tables import ledger
from bot.ports import LedgerEntry

_FIELDS = tuple(field.name for field in fields(LedgerEntry))


class SqlWriteLedger(SqlDatabase):
    """The WriteLedger role: one row per external write, claimed before the write is sent."""

    def ledger_claim(
        self, *, key: str, service: str, operation: str, request: Mapping[str, Any]
    ) -> LedgerEntry:
        now = utc_now()
        with self._writing() as connection:
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
                statement.on_conflict_do_nothing(index_elements=[ledger.c.key]).returning(
                    ledger.c.key
                )
            ).first()
            if claimed is None:
                # Another attempt at a pending write is counted; a settled one is left as it is.
                connection.execute(
                    update(ledger)
                    .where(ledger.c.key == key, ledger.c.state == "pending")
                    .values(attempts=ledger.c.attempts + 1, updated_at=now)
                )
            entry = _get(connection, key=key)
        if entry is None:
            raise RuntimeError(f"the ledger entry {key!r} vanished while it was claimed")
        return entry

    def ledger_complete(self, *, key: str, result: Mapping[str, Any]) -> None:
        with self._writing() as connection:
            connection.execute(
                update(ledger)
                .where(ledger.c.key == key)
                .values(state="done", result=dict(result), error=None, updated_at=utc_now())
            )

    def ledger_fail(self, *, key: str, error: str) -> None:
        with self._writing() as connection:
            connection.execute(
                update(ledger)
                .where(ledger.c.key == key)
                .values(state="failed", error=error, updated_at=utc_now())
            )

    def ledger_get(self, *, key: str) -> LedgerEntry | None:
        with self._reading() as connection:
            return _get(connection, key=key)

    def ledger_entries(self, *, prefix: str) -> list[LedgerEntry]:
        query = (
            select(ledger)
            .where(ledger.c.key.startswith(prefix, autoescape=True))
            .order_by(ledger.c.created_at, ledger.c.key)
        )
        with self._reading() as connection:
            rows = connection.execute(query).mappings().all()
        # SQLite's LIKE ignores ASCII case; the keys are compared exactly here.
        return [_entry(row) for row in rows if str(row["key"]).startswith(prefix)]


def _get(connection: Connection, *, key: str) -> LedgerEntry | None:
    row = connection.execute(select(ledger).where(ledger.c.key == key)).mappings().one_or_none()
    return None if row is None else _entry(row)


def _entry(row: RowMapping) -> LedgerEntry:
    return LedgerEntry(**{name: row[name] for name in _FIELDS})
