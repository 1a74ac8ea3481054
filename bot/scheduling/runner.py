"""One run of a scheduled job: claimed once across replicas, logged in one line, counted.

The runner never raises into the scheduler: a failing job is a `failed` line and a metric.
A run costs a claim (one store write), a renewal every RENEW_EVERY while it runs, and a finish.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.errors import BotError
from bot.metrics import Metrics
from bot.scheduling.triggers import JobSpec, fire_time_due

log = logging.getLogger("bot.scheduling")

# A job delayed by a busy process (a long sync holding the workers) still runs this late;
# APScheduler's default of one second would drop it silently.
MISFIRE_GRACE = timedelta(minutes=10)
# A running job renews its claim this often; the store's lease outlasts a few missed renewals.
RENEW_EVERY = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class JobReport:
    """What one job run did: `ok`, `partial` (some parts failed) or `failed`, and its counts."""

    outcome: str
    counts: Mapping[str, int] = field(default_factory=dict)
    problem: str | None = None


# (train, kind) -> what the run did; raising is allowed and reported as `failed`.
JobBody = Callable[[str, str], JobReport]


class RunClaims(Protocol):
    """Who runs each fire time of a job: taken before the run, kept alive, finished after."""

    def claim(self, job: str, fire_time: datetime) -> bool:
        """Whether this process runs `job` for `fire_time` (another replica may have it)."""
        ...

    def renew(self, job: str, fire_time: datetime) -> bool:
        """Keep the claim while the job runs; False when it is no longer this process's."""
        ...

    def finish(self, job: str, fire_time: datetime, outcome: str) -> None:
        """The run ended with `outcome`; that fire time never runs again."""
        ...


class JobRunner:
    """Runs one fire time of a job: claim, run (keeping the claim alive), log one line, count,
    finish the claim; never raises."""

    def __init__(
        self,
        *,
        body: JobBody,
        claims: RunClaims,
        metrics: Metrics,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        grace: timedelta = MISFIRE_GRACE,
        renew_every: timedelta = RENEW_EVERY,
    ) -> None:
        self._body = body
        self._claims = claims
        self._metrics = metrics
        self._clock = clock
        self._grace = grace
        self._renew_every = renew_every.total_seconds()
        self._running = 0
        self._idle = threading.Condition()

    def run(self, spec: JobSpec) -> None:
        """The function APScheduler calls at each fire time of `spec`."""
        with self._idle:
            self._running += 1
        try:
            self._run(spec)
        except Exception:  # the last line of defence: the scheduler's thread must live on
            log.exception("job %s could not be run", spec.id)
        finally:
            with self._idle:
                self._running -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job runs (at most `timeout` seconds); whether none does."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, timeout)

    def _run(self, spec: JobSpec) -> None:
        fire = fire_time_due(spec.trigger, now=self._clock(), grace=self._grace)
        try:
            claimed = fire is not None and self._claims.claim(spec.id, fire)
        except BotError as exc:  # the store is down: the run fails, in one line, and is counted
            when = fire or self._clock()
            self._finish(spec, when, JobReport(outcome="failed", problem=str(exc)), seconds=0.0)
            return
        if fire is None or not claimed:
            self._metrics.job_finished(
                train=spec.train, kind=spec.kind, outcome="skipped", seconds=0.0
            )
            log.debug("job %s at %s runs elsewhere; skipped", spec.id, fire)
            return
        # The one line a run leaves at the default level is its outcome; this one is for -v.
        log.debug(
            "job %s for %s started",
            spec.id,
            fire.isoformat(),
            extra={
                "event": "job_started",
                "train": spec.train,
                "job": spec.kind,
                "fire_time": fire.isoformat(),
            },
        )
        start = time.perf_counter()
        with self._kept_alive(spec.id, fire):
            report = self._report(spec)
        self._finish(spec, fire, report, seconds=time.perf_counter() - start)
        try:
            self._claims.finish(spec.id, fire, report.outcome)
        except BotError as exc:  # its claim's lease runs out; the next fire time runs anyway
            log.warning("job %s for %s: its claim could not be closed: %s", spec.id, fire, exc)

    def _report(self, spec: JobSpec) -> JobReport:
        try:
            return self._body(spec.train, spec.kind)
        except BotError as exc:  # an outcome the job could tell: its sentence says it all
            log.debug("job %s raised", spec.id, exc_info=True)
            return JobReport(outcome="failed", problem=str(exc))
        except Exception as exc:
            log.debug("job %s raised", spec.id, exc_info=True)
            return JobReport(outcome="failed", problem=f"{type(exc).__name__}: {exc}")

    @contextmanager
    def _kept_alive(self, job: str, fire: datetime) -> Iterator[None]:
        """Renew the claim's lease in the background while the job runs."""
        done = threading.Event()

        def renew() -> None:
            while not done.wait(self._renew_every):
                try:
                    if not self._claims.renew(job, fire):
                        log.warning("job %s for %s: its claim was taken over", job, fire)
                        return
                except Exception as exc:
                    log.warning("job %s: the claim could not be renewed: %s", job, exc)

        keeper = threading.Thread(target=renew, name=f"claim {job}", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            done.set()
            keeper.join()

    def _finish(self, spec: JobSpec, fire: datetime, report: JobReport, *, seconds: float) -> None:
        self._metrics.job_finished(
            train=spec.train, kind=spec.kind, outcome=report.outcome, seconds=seconds
        )
        counts = " ".join(f"{key}={value}" for key, value in report.counts.items())
        problem = f": {report.problem}" if report.problem else ""
        extra: dict[str, Any] = {
            "event": "job_finished",
            "train": spec.train,
            "job": spec.kind,
            "outcome": report.outcome,
            "duration_s": round(seconds, 3),
            "fire_time": fire.isoformat(),
            **report.counts,
        }
        level = logging.INFO if report.outcome == "ok" else logging.WARNING
        log.log(
            level,
            "job %s %s in %.2fs%s%s",
            spec.id,
            report.outcome,
            seconds,
            f" ({counts})" if counts else "",
            problem,
            extra=extra,
        )
