"""What `serve` keeps open for its whole life: the store, for run claims and readiness.

Each job opens its train's runtime of its own; this handle only answers whether the store
answers (one query) and says which fire times this process runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from bot.errors import BotError

if TYPE_CHECKING:
    from bot.adapters.store import SqlStore
    from bot.settings import Settings


@contextmanager
def open_serving(settings: Settings) -> Iterator[ServingRuntime]:
    """The store of `serve`, its schema prepared as a sync would; closed when the block ends."""
    from bot.adapters.store import SqlStore

    store = SqlStore(url=settings.store.url)
    try:
        store.prepare(auto_upgrade=settings.store.auto_upgrade)
        yield ServingRuntime(store=store)
    finally:
        store.close()


class ServingRuntime:
    """The run claims and the readiness of one `serve` process, over its store."""

    def __init__(self, *, store: SqlStore) -> None:
        self._store = store

    def claim(self, job: str, fire_time: datetime) -> bool:
        """Whether this process runs `job` for `fire_time`: every one, as the only process."""
        return True

    def renew(self, job: str, fire_time: datetime) -> bool:
        """Keep the claim while the job runs."""
        return True

    def finish(self, job: str, fire_time: datetime, outcome: str) -> None:
        """The run ended."""

    def store_problem(self) -> str | None:
        """None when the store answers a query, else why it does not."""
        try:
            self._store.schema_state()
        except BotError as exc:
            return str(exc)
        return None
