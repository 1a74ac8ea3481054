"""The ledger of external writes, each under its idempotency key.

A pending write is held by one sender at a time: another process (or replica) by the row's
holder and lease, and, inside the process that holds the row, one thread: a store object shared
by threads (the Slack app's) lets a second thread hold a write only once the first has finished
it, failed it or let it go, so two threads never send the same write.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, or_, select, update

from bot.adapters.store.connection import dialect_insert
from bot.adapters.store.database import SqlDatabase, holder_gone, utc_now
from bot.adapters.store.tables import ledger
from bot.ports.store import LedgerEntry

_FIELDS = tuple(field.name for field in dataclasses.fields(LedgerEntry) if field.name != "held")
# How long a claimed write is its holder's alone: longer than one write with its retries
# (the Jira client's timeout and retry budget). A holder found gone loses it at once.
LEDGER_LEASE = timedelta(minutes=5)


class SqlWriteLedger(SqlDatabase):
    """The WriteLedger role: one row per external write, claimed before the write is sent."""

    def __init__(self, *, url: str) -> None:
        super().__init__(url=url)
        # The writes a thread of this store is sending: key -> (thread id, since when).
        self._sending: dict[str, tuple[int, datetime]] = {}
        self._sending_lock = threading.Lock()

    def ledger_claim(
        self, *, key: str, service: str, operation: str, request: Mapping[str, Any]
    ) -> LedgerEntry:
        if not self._start_sending(key):
            # Another thread of this store is sending it (its row may not be committed yet).
            entry = self.ledger_get(key=key)
            return entry or LedgerEntry(
                key=key,
                service=service,
                operation=operation,
                state="pending",
                request=dict(request),
                result=None,
                attempts=1,
            )
        try:
            entry = self._claim(key=key, service=service, operation=operation, request=request)
        except BaseException:
            self._stop_sending(key)
            raise
        if not entry.held:
            self._stop_sending(key)
        return entry

    def _claim(
        self, *, key: str, service: str, operation: str, request: Mapping[str, Any]
    ) -> LedgerEntry:
        now = utc_now()
        mine = {"holder": self.holder, "lease_until": now + LEDGER_LEASE, "updated_at": now}
        with self._writing() as connection:
            inserted = insert_pending(
                connection,
                key=key,
                service=service,
                operation=operation,
                request=request,
                holder=self.holder,
            )
            held = inserted or _take_over(connection, key=key, now=now, mine=mine)
            entry = _get(connection, key=key)
        if entry is None:
            raise RuntimeError(f"the ledger entry {key!r} vanished while it was claimed")
        return dataclasses.replace(entry, held=held)

    def ledger_complete(self, *, key: str, result: Mapping[str, Any]) -> None:
        with self._writing() as connection:
            connection.execute(
                update(ledger)
                .where(ledger.c.key == key)
                .values(state="done", result=dict(result), error=None, updated_at=utc_now())
            )
        self._stop_sending(key)

    def ledger_fail(self, *, key: str, error: str) -> None:
        with self._writing() as connection:
            connection.execute(
                update(ledger)
                .where(ledger.c.key == key)
                .values(state="failed", error=error, updated_at=utc_now())
            )
        self._stop_sending(key)

    def ledger_release(self, *, key: str) -> None:
        """Stop holding a pending write without an outcome: anyone may claim it at once (a
        later claim counts another attempt, so its sender reads back before sending)."""
        with self._writing() as connection:
            connection.execute(
                update(ledger)
                .where(ledger.c.key == key, ledger.c.state == "pending")
                .values(lease_until=utc_now(), updated_at=utc_now())
            )
        self._stop_sending(key)

    def _start_sending(self, key: str) -> bool:
        """Mark `key` as sent by this thread; False while another thread of this store sends it
        (a mark older than the lease is taken to be abandoned, as another process's would be)."""
        me, now = threading.get_ident(), utc_now()
        with self._sending_lock:
            sender = self._sending.get(key)
            if sender is not None and sender[0] != me and sender[1] + LEDGER_LEASE > now:
                return False
            self._sending[key] = (me, now)
            return True

    def _stop_sending(self, key: str) -> None:
        with self._sending_lock:
            self._sending.pop(key, None)

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


def insert_pending(
    connection: Connection,
    *,
    key: str,
    service: str,
    operation: str,
    request: Mapping[str, Any],
    holder: str,
) -> bool:
    """Record a new pending write held by `holder`, in the caller's transaction; False when
    the key is already recorded (nothing is changed then)."""
    now = utc_now()
    statement = dialect_insert(connection, ledger).values(
        key=key,
        service=service,
        operation=operation,
        state="pending",
        request=dict(request),
        attempts=1,
        created_at=now,
        updated_at=now,
        holder=holder,
        lease_until=now + LEDGER_LEASE,
    )
    inserted = connection.execute(
        statement.on_conflict_do_nothing(index_elements=[ledger.c.key]).returning(ledger.c.key)
    ).first()
    return inserted is not None


def _take_over(connection: Connection, *, key: str, now: datetime, mine: dict[str, Any]) -> bool:
    """Hold a pending write again: one of this store's, or one whose holder is gone.

    Its holder is gone when its lease ran out, its process ended or its store was closed, or
    it is unknown (a row written before holders were kept). The UPDATE checks the same in the
    database, so of two processes taking over at once only the first matches.
    """
    row = connection.execute(
        select(ledger.c.state, ledger.c.holder, ledger.c.lease_until).where(ledger.c.key == key)
    ).one_or_none()
    if row is None or row.state != "pending":
        return False
    if _held_elsewhere(row.holder, row.lease_until, mine=mine["holder"], now=now):
        return False  # another live process is sending it: its outcome is its own
    takers = [mine["holder"]] + ([row.holder] if holder_gone(row.holder) else [])
    taken = connection.execute(
        update(ledger)
        .where(
            ledger.c.key == key,
            ledger.c.state == "pending",
            or_(
                ledger.c.holder.is_(None),
                ledger.c.holder.in_(takers),
                ledger.c.lease_until.is_(None),
                ledger.c.lease_until <= now,
            ),
        )
        .values(attempts=ledger.c.attempts + 1, **mine)
    ).rowcount
    return bool(taken == 1)


def _held_elsewhere(
    holder: str | None, lease_until: datetime | None, *, mine: str, now: datetime
) -> bool:
    """Whether another holder that may still be alive is sending the write."""
    if holder is None or holder == mine or lease_until is None or lease_until <= now:
        return False
    return not holder_gone(holder)


def _get(connection: Connection, *, key: str) -> LedgerEntry | None:
    row = connection.execute(select(ledger).where(ledger.c.key == key)).mappings().one_or_none()
    return None if row is None else _entry(row)


def _entry(row: RowMapping) -> LedgerEntry:
    return LedgerEntry(**{name: row[name] for name in _FIELDS})
