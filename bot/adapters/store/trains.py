"""A train's sprints (with their Release Train tickets), its record of sync runs and its writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from bot.adapters.store.connection import dialect_insert
from bot.adapters.store.tables import ledger, sprints, sync_runs
from bot.domain.model import Sprint
from bot.ports import LedgerEntry, SyncRun


def save_sprint(connection: Connection, *, train: str, sprint: Sprint) -> None:
    """Insert or update a sprint's window; its ticket key is kept."""
    values: dict[str, Any] = {
        "starts_at": sprint.start,
        "ends_at": sprint.end,
        "external_id": sprint.id,
        "state": sprint.state,
    }
    statement = dialect_insert(connection, sprints).values(train=train, name=sprint.name, **values)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[sprints.c.train, sprints.c.name], set_=values
        )
    )


def get_sprint(connection: Connection, *, train: str, name: str) -> Sprint | None:
    """One saved sprint."""
    query = select(sprints).where(sprints.c.train == train, sprints.c.name == name)
    row = connection.execute(query).mappings().one_or_none()
    return None if row is None else _sprint(row)


def list_sprints(connection: Connection, *, train: str) -> list[Sprint]:
    """Every saved sprint of the train, earliest start first (then by name)."""
    query = (
        select(sprints)
        .where(sprints.c.train == train)
        .order_by(sprints.c.starts_at, sprints.c.name)
    )
    return [_sprint(row) for row in connection.execute(query).mappings()]


def ticket_key(connection: Connection, *, train: str, sprint: Sprint) -> str | None:
    """The ticket key remembered for the sprint: by its Jira id when it has one, else by name.

    By id, so a sprint renamed in Jira (saved again under its new name) keeps its ticket.
    """
    match = sprints.c.external_id == sprint.id if sprint.id else sprints.c.name == sprint.name
    query = (
        select(sprints.c.ticket_key)
        .where(sprints.c.train == train, match, sprints.c.ticket_key.is_not(None))
        .order_by(sprints.c.name)
        .limit(1)
    )
    key: str | None = connection.execute(query).scalar_one_or_none()
    return key


def set_ticket_key(connection: Connection, *, train: str, sprint: Sprint, key: str) -> None:
    """Remember the sprint's ticket; the sprint's row is saved too when it is not yet."""
    values: dict[str, Any] = {
        "starts_at": sprint.start,
        "ends_at": sprint.end,
        "external_id": sprint.id,
        "state": sprint.state,
        "ticket_key": key,
    }
    statement = dialect_insert(connection, sprints).values(train=train, name=sprint.name, **values)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[sprints.c.train, sprints.c.name], set_={"ticket_key": key}
        )
    )


def ledger_entries(connection: Connection, *, prefix: str) -> list[LedgerEntry]:
    """The ledger's entries whose key starts with `prefix` (case-sensitive), oldest first."""
    query = (
        select(ledger)
        .where(ledger.c.key.startswith(prefix, autoescape=True))
        .order_by(ledger.c.created_at, ledger.c.key)
    )
    rows = connection.execute(query).mappings()
    # SQLite's LIKE ignores ASCII case; the keys are compared exactly here.
    return [_ledger_entry(row) for row in rows if str(row["key"]).startswith(prefix)]


def _sprint(row: RowMapping) -> Sprint:
    return Sprint(
        name=row["name"],
        start=row["starts_at"],
        end=row["ends_at"],
        id=row["external_id"],
        state=row["state"],
    )


_LEDGER_FIELDS = tuple(field.name for field in fields(LedgerEntry))


def _ledger_entry(row: RowMapping) -> LedgerEntry:
    return LedgerEntry(**{name: row[name] for name in _LEDGER_FIELDS})


def start_run(connection: Connection, *, train: str, started_at: datetime) -> int:
    """Record a sync as running; returns its id."""
    statement = insert(sync_runs).values(
        train=train, started_at=started_at, status="running", counts={}
    )
    run_id: int = connection.execute(statement.returning(sync_runs.c.id)).scalar_one()
    return run_id


def finish_run(
    connection: Connection,
    *,
    run_id: int,
    finished_at: datetime,
    status: str,
    counts: Mapping[str, int],
    error: str | None,
) -> None:
    """Record how a sync ended."""
    connection.execute(
        update(sync_runs)
        .where(sync_runs.c.id == run_id)
        .values(finished_at=finished_at, status=status, counts=dict(counts), error=error)
    )


def last_runs(connection: Connection, *, train: str, limit: int) -> list[SyncRun]:
    """The train's most recent syncs, newest first."""
    query = (
        select(sync_runs)
        .where(sync_runs.c.train == train)
        .order_by(sync_runs.c.started_at.desc(), sync_runs.c.id.desc())
        .limit(limit)
    )
    return [
        SyncRun(
            id=row["id"],
            train=row["train"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            status=row["status"],
            counts=dict(row["counts"]),
            error=row["error"],
        )
        for row in connection.execute(query).mappings()
    ]
