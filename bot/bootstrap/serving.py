"""What `serve` keeps open for its whole life: the store (run claims, readiness) and Slack.

Each job opens its train's runtime of its own; this handle answers whether the store answers
(one query), takes and keeps run claims (one write each), and holds the lock that keeps a
second `serve` off a SQLite file. Slack's Socket Mode connects in the background and retries
until it is up (Slack's client reconnects by itself after that), so a Slack outage at start-up
delays readiness instead of stopping the process. While Slack is served, threads take turns
at the GIL every 0.5 ms rather than 5 ms, so acknowledgements are not held behind a listener
computing a view (see ACK_SWITCH_INTERVAL).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.errors import BotError, ConfigError

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from starlette.types import ASGIApp

    from bot.adapters.store import SqlStore
    from bot.metrics import Metrics
    from bot.ports.store import Store
    from bot.settings import Settings

log = logging.getLogger("bot.serve")

# A claim outlives its holder by this much at most: a replica killed mid-job blocks that one
# fire time (the next one runs anyway); the runner renews it well before it runs out.
LEASE = timedelta(minutes=2)
# Finished claims are kept this long, for people looking at who ran what.
KEEP_CLAIMS = timedelta(days=7)
# Socket Mode pings Slack this often (seconds); readiness notices a silent socket within one.
PING_INTERVAL = 10.0
# How long (seconds) a thread holding the GIL runs before one waiting for it gets a turn, while
# Slack is served. CPython's 5 ms default lets one view computation on a listener thread delay
# every hop of an acknowledgement (the event loop waking, the dispatch thread starting, the
# answer going back) by up to 5 ms each: on a 10,000-change sprint 50 commands at once were
# acknowledged 2.4x slower than forged requests refused at the signature check; at 0.5 ms,
# 1.2x (benchmarks/bench_slack_burst.py). The cost is more frequent switching, only while
# several threads want to run.
ACK_SWITCH_INTERVAL = 0.0005


@contextmanager
def open_serving(settings: Settings) -> Iterator[ServingRuntime]:
    """The store of `serve`, its schema prepared as a sync would; closed when the block ends.

    A second `serve` on the same SQLite file is refused: SQLite serves one process, and two
    schedulers would each run every job.
    """
    from bot.bootstrap.build import new_store

    store = new_store(settings.store.url)
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
    """The run claims and the readiness of one `serve` process, over its store (which the
    process's Slack requests share)."""

    def __init__(self, *, store: SqlStore) -> None:
        self._store = store
        self.store: Store = store
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


def open_chat(
    settings: Settings,
    *,
    serving: ServingRuntime,
    stack: ExitStack,
    metrics: Metrics | None = None,
) -> tuple[ASGIApp | None, list[Callable[[], str | None]]]:
    """The handler to mount at /slack/events (HTTP mode) and the readiness checks (Socket Mode);
    nothing without `[slack]`. Slack's requests share `serving`'s store. What is started is
    stopped when `stack` closes."""
    if settings.slack is None:
        return None, []
    from bot.bootstrap.slack import slack_app_for, socket_mode_handler
    from bot.slack_app.pools import WorkPools

    pools = WorkPools()
    stack.callback(pools.shutdown)
    stack.callback(sys.setswitchinterval, sys.getswitchinterval())
    sys.setswitchinterval(ACK_SWITCH_INTERVAL)
    app = slack_app_for(settings, store=serving.store, pools=pools, metrics=metrics)
    if settings.slack.mode == "http":
        from bot.slack_app.app import asgi_handler

        return asgi_handler(app, signing_secret=settings.slack.secret("signing_secret")), []
    socket = SocketConnection(
        socket_mode_handler(settings, app, ping_interval=PING_INTERVAL), ping_interval=PING_INTERVAL
    )
    socket.start()
    stack.callback(socket.stop)
    if metrics is not None:
        metrics.watch_slack_socket(lambda: socket.problem() is None)
    return None, [socket.problem]


class SocketConnection:
    """Socket Mode, connected in a thread of its own with growing pauses between tries.

    Ready while the socket answers: the SDK pings every `ping_interval` seconds and only drops a
    connection whose pongs stopped four intervals ago, so readiness also looks at the last pong
    and says not ready once it is older than one interval and a margin.
    """

    def __init__(self, handler: SocketModeHandler, *, ping_interval: float) -> None:
        self._handler = handler
        self._ping_interval = ping_interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._connect, name="slack-socket", daemon=True)
        self._first_seen: dict[int, float] = {}  # session (by id) -> when readiness first saw it

    def start(self) -> None:
        self._thread.start()

    def _connect(self) -> None:
        pause = 1.0
        while not self._stopping.is_set():
            try:
                self._handler.connect()  # type: ignore[no-untyped-call]
                log.info("Slack Socket Mode connected", extra={"event": "slack_connected"})
                return
            except Exception as exc:  # the SDK raises its own and the network's errors
                log.warning("Slack Socket Mode could not connect (%s); retrying", exc)
            self._stopping.wait(pause)
            pause = min(pause * 2, 60.0)

    def problem(self) -> str | None:
        """None while the socket is connected and answering, else why not ready."""
        session = self._handler.client.current_session
        if session is None or not session.is_active():
            return "the Slack socket (Socket Mode) is not connected"
        now = time.time()
        last = session.last_ping_pong_time or self._first_seen.setdefault(id(session), now)
        silent = now - last
        if silent > self._ping_interval + max(2.0, self._ping_interval / 4):
            return f"the Slack socket (Socket Mode) has not answered a ping for {silent:.0f} s"
        return None

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(5)
        self._handler.close()  # type: ignore[no-untyped-call]
