"""What `serve` keeps open for its whole life: the store, for run claims and readiness.

Each job opens its train's runtime of its own; this handle answers whether the store answers
(one query), takes and keeps run claims (one write each), and holds the lock that keeps a
second `serve` off a SQLite file.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.errors import BotError, ConfigError

if TYPE_CHECKING:
    from bot.adapters.store import SqlStore
    from bot.settings import Settings

# A claim outlives its holder by this much at most: a replica killed mid-job blocks that one
# fire time (the next one runs anyway); the runner renews it well before it runs out.
LEASE = timedelta(minutes=2)
# Finished claims are kept this long, for people looking at who ran what.
KEEP_CLAIMS = timedelta(days=7)


@contextmanager
def open_serving(settings: Settings) -> Iterator[ServingRuntime]:
    """The store of `serve`, its schema prepared as a sync would; closed when the block ends.

    A second `serve` on the same SQLite file is refused: SQLite serves one process, and two
    schedulers would each run every job.
    """
    from bot.adapters.store import SqlStore

    store = SqlStore(url=settings.store.url)
    try:
        store.prepare(auto_upgrade=settings.store.auto_upgrade)
        if not store.lock_single_process(name="serve"):
            raise ConfigError(
                f"another `serve` already uses the SQLite store at {store.display_url}; a SQLite"
                " store serves one process: stop the other one, or run several replicas on"
                " PostgreSQL (store.url = postgresql+psycopg://...)"
            )
        store.forget_job_claims(finished_before=datetime.now(UTC) - KEEP_CLAIMS)
        yield ServingRuntime(store=store)
    finally:
        store.close()


class ServingRuntime:
    """The run claims and the readiness of one `serve` process, over its store."""

    def __init__(self, *, store: SqlStore) -> None:
        self._store = store
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    def claim(self, job: str, fire_time: datetime) -> bool:
        """Whether this process runs `job` for `fire_time` (another replica may have it)."""
        return self._store.claim_job(job=job, fire_time=fire_time, holder=self.holder, lease=LEASE)

    def renew(self, job: str, fire_time: datetime) -> bool:
        """Keep the claim while the job runs; False when it is no longer this process's."""
        return self._store.renew_job(job=job, fire_time=fire_time, holder=self.holder, lease=LEASE)

    def finish(self, job: str, fire_time: datetime, outcome: str) -> None:
        """The run ended: that fire time never runs again."""
        self._store.finish_job(job=job, fire_time=fire_time, holder=self.holder, outcome=outcome)

    def store_problem(self) -> str | None:
        """None when the store answers a query, else why it does not."""
        try:
            self._store.schema_state()
        except BotError as exc:
            return str(exc)
        return None
