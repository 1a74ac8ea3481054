"""A train's sprints and its record of sync runs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from bot.adapters.store.connection import dialect_insert
from bot.adapters.store.tables import sprints, sync_runs
from bot.domain.model import Sprint
from bot.ports import SyncRun


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
    if row is None:
        return None
    return Sprint(
        name=row["name"],
        start=row["starts_at"],
        end=row["ends_at"],
        id=row["external_id"],
        state=row["state"],
    )


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
