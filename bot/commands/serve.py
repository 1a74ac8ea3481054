"""`release-train serve`: the scheduler and the HTTP endpoints, until SIGTERM or SIGINT.

Start-up refuses what would fail later (a port taken, the store's schema; loading the settings
refused missing secrets) before any job runs. Stopping takes no new work, lets a running job
finish within SHUTDOWN_GRACE, then closes the server and the store; a job still running after
that is given up (the store's claims and write ledger let the next fire time finish its work).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Sequence
from contextlib import ExitStack, closing
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.commands.common import load_settings_only
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.commands.common import Globals
    from bot.metrics import Metrics
    from bot.scheduling import JobSpec, Scheduler
    from bot.settings import Settings, TrainSettings

log = logging.getLogger(__name__)

# Kubernetes waits 30 s between SIGTERM and SIGKILL by default; leave room to close.
SHUTDOWN_GRACE = 25.0
# Tests and demos only: every job fires each N seconds instead of on its cron schedule.
EVERY_SECONDS_VARIABLE = "RELEASE_TRAIN_TEST_SCHEDULE_SECONDS"


def run_serve(g: Globals) -> None:
    """Serve every train of the configuration (or the one `--train` names) until stopped."""
    settings = load_settings_only(g)
    stop = _stop_on_signals()
    service = _Service(settings, train=g.train)
    try:
        service.start()
        while not stop.wait(0.5):
            pass
        log.info(
            "stopping: no new jobs; waiting up to %.0fs for running ones",
            SHUTDOWN_GRACE,
            extra={"event": "stopping"},
        )
        finished = service.stop(grace=SHUTDOWN_GRACE)
    except BaseException:
        service.stop(grace=0.0)
        raise
    if not finished:
        log.warning(
            "a job was still running after %.0fs; it was given up",
            SHUTDOWN_GRACE,
            extra={"event": "stopped"},
        )
        logging.shutdown()
        # The job's worker thread would hold the interpreter open until it ends.
        os._exit(0)
    log.info("stopped", extra={"event": "stopped"})


def _stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT (instead of dying, or a KeyboardInterrupt mid-job)."""
    stop = threading.Event()

    def _on_signal(_signum: int, _frame: object) -> None:
        stop.set()  # no logging here: the handler may interrupt a thread holding its lock

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    return stop


class _Service:
    """The running parts of `serve`, started in order and stopped in reverse."""

    def __init__(self, settings: Settings, *, train: str | None) -> None:
        self._settings = settings
        self._trains = [settings.train(train)] if train else list(settings.trains)
        self._stack = ExitStack()
        self._scheduler: Scheduler | None = None

    def start(self) -> None:
        """Bind the port, open the store, then fire jobs and serve HTTP."""
        from bot.bootstrap.serving import open_chat, open_serving
        from bot.scheduling import JobRunner, Scheduler, job_specs
        from bot.scheduling.jobs import TrainJobs
        from bot.web import HttpServer, bind, build_app

        server = self._settings.server
        sock = self._stack.enter_context(closing(bind(server.host, server.port)))
        serving = self._stack.enter_context(open_serving(self._settings))
        specs = job_specs(
            self._trains,
            kinds=TrainJobs.KINDS,
            chat=self._settings.slack is not None,
            every_seconds=_every_seconds(),
        )
        metrics = _metrics(self._settings, self._trains, specs)
        jobs = TrainJobs(settings=self._settings, metrics=metrics)
        runner = JobRunner(body=jobs, claims=serving, metrics=metrics)
        events, chat_checks = open_chat(
            self._settings, serving=serving, stack=self._stack, metrics=metrics
        )
        scheduler = self._scheduler = Scheduler(specs=specs, runner=runner)
        metrics.watch_scheduler(lambda: scheduler.problem() is None)
        app = build_app(
            metrics=metrics,
            checks=[serving.store_problem, *chat_checks],
            health=scheduler.problem,
            slack_events=events,
        )
        http = HttpServer(app=app, sock=sock)
        scheduler.start()  # first, so /healthz never sees a scheduler not yet started
        http.start()
        self._stack.callback(http.stop, timeout=10.0)
        host, port = http.address
        log.info(
            "serving %d job(s) of %d train(s) on http://%s:%d",
            len(specs),
            len(self._trains),
            host,
            port,
            extra={"event": "serving", "host": host, "port": port},
        )

    def stop(self, *, grace: float) -> bool:
        """Stop firing, wait for running jobs (at most `grace` s), close everything; whether
        the running jobs finished."""
        finished = True
        if self._scheduler is not None:
            finished = self._scheduler.stop(timeout=grace)
        self._stack.close()
        return finished


def _metrics(
    settings: Settings, trains: Sequence[TrainSettings], specs: Sequence[JobSpec]
) -> Metrics:
    """The process's metrics, every series an alert reads already at 0: each train's, each
    job's, and each service the configuration uses."""
    from bot.metrics import Metrics
    from bot.scheduling import longest_gap

    services: set[str] = {source.kind for train in trains for source in train.sources}
    services |= {name for name in ("jira", "slack") if getattr(settings, name) is not None}
    now = datetime.now(UTC)
    periods = {
        spec.train: gap.total_seconds()
        for spec in specs
        if spec.kind == "sync" and (gap := longest_gap(spec.trigger, now=now)) is not None
    }
    return Metrics(
        trains=[train.name for train in trains],
        jobs=[(spec.train, spec.kind) for spec in specs],
        services=sorted(services),
        decisions=settings.slack is not None,
        sync_periods=periods,
    )


def _every_seconds() -> int | None:
    """The test-only override of every schedule, when set."""
    raw = os.environ.get(EVERY_SECONDS_VARIABLE, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 59:
        raise ConfigError(f"{EVERY_SECONDS_VARIABLE} must be a whole number of seconds, 1 to 59")
    return int(raw)
