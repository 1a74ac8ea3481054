"""The record of sync runs: when each started and how it ended."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import insert, select, update

from bot.adapters.store.database import SqlDatabase
from bot.adapters.store.tables import sync_runs
from bot.ports import SyncRun


class SqlSyncRuns(SqlDatabase):
    """The SyncRuns role: one row per sync, `running` until it is finished."""

    def start_run(self, *, train: str, started_at: datetime) -> int:
        statement = insert(sync_runs).values(
            train=train, started_at=started_at, status="running", counts={}
        )
        with self._writing() as connection:
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
