"""The sync runs role: each sync recorded as running, then how it ended."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class SyncRun:
    """One recorded sync."""

    id: int
    train: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # running | ok | failed | interrupted (its process stopped before it finished)
    counts: Mapping[str, int]
    error: str | None


class SyncRuns(Protocol):
    """The history of syncs: each recorded as running when it starts, then how it ended."""

    def start_run(self, *, train: str, started_at: datetime) -> int:
        """Record a sync as running; returns its id.

        The train's runs left running by a process that stopped become `interrupted` first:
        those whose holder is known to be gone, or that started hours before `started_at`.
        """
        ...

    def finish_run(
        self,
        *,
        run_id: int,
        finished_at: datetime,
        status: str,
        counts: Mapping[str, int],
        error: str | None,
    ) -> None: ...

    def last_runs(self, *, train: str, limit: int) -> list[SyncRun]:
        """The train's most recent syncs, newest first."""
        ...
