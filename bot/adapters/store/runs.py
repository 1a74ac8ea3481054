"""The record of sync runs: when each started and how it ended (or that its process stopped).

A run left `running` by a process that stopped (killed, crashed, machine gone) is marked
`interrupted` when the train's next run starts, if its holder is known to be gone (a process of
this host that ended, a store of this process that was closed) or it started more than
STALE_RUN before the new run (a holder on another host, or one an older release did not name).
A run of a live replica is left alone, so replicas never mark each other's runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from bot.adapters.store.database import SqlDatabase, holder_gone
from bot.adapters.store.tables import sync_runs
from bot.ports.store import SyncRun

# Far longer than any sync takes: a run this old whose holder cannot be asked has stopped.
STALE_RUN = timedelta(hours=2)
INTERRUPTED = "the process running it stopped before it finished"


class SqlSyncRuns(SqlDatabase):
    """The SyncRuns role: one row per sync, `running` until it is finished."""

    def start_run(self, *, train: str, started_at: datetime) -> int:
        statement = insert(sync_runs).values(
            train=train, started_at=started_at, status="running", counts={}, holder=self.holder
        )
        with self._writing() as connection:
            _mark_interrupted(connection, train=train, now=started_at)
            run_id: int = connection.execute(statement.returning(sync_runs.c.id)).scalar_one()
        return run_id

    def finish_run(
        self,
        *,
        run_id: int,
        finished_at: datetime,
        status: str,
        counts: Mapping[str, int],
        error: str | None,
    ) -> None:
        with self._writing() as connection:
            connection.execute(
                update(sync_runs)
                .where(sync_runs.c.id == run_id)
                .values(finished_at=finished_at, status=status, counts=dict(counts), error=error)
            )

    def last_runs(self, *, train: str, limit: int) -> list[SyncRun]:
        query = (
            select(sync_runs)
            .where(sync_runs.c.train == train)
            .order_by(sync_runs.c.started_at.desc(), sync_runs.c.id.desc())
            .limit(limit)
        )
        with self._reading() as connection:
            rows = connection.execute(query).mappings().all()
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
            for row in rows
        ]


def _mark_interrupted(connection: Connection, *, train: str, now: datetime) -> None:
    """Mark the train's runs whose process stopped as `interrupted` (inside the caller's
    transaction); their finish time stays unknown."""
    running = connection.execute(
        select(sync_runs.c.id, sync_runs.c.holder, sync_runs.c.started_at).where(
            sync_runs.c.train == train, sync_runs.c.status == "running"
        )
    ).all()
    stopped = [
        row.id for row in running if holder_gone(row.holder) or row.started_at < now - STALE_RUN
    ]
    if stopped:
        connection.execute(
            update(sync_runs)
            .where(sync_runs.c.id.in_(stopped), sync_runs.c.status == "running")
            .values(status="interrupted", error=INTERRUPTED)
        )
