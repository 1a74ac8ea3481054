"""The scheduler of `serve`: one APScheduler job per train and kind, each fire time run once.

Jobs live in memory (the configuration is their source; durable state is the store's), fire on
cron in the train's time zone, and go through `JobRunner`, which takes the run claim for the
(job, scheduled fire time) before running, so several replicas on one store run each fire time
once; it logs one line per run, counts it, and never lets an exception reach the scheduler.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.metrics import Metrics

if TYPE_CHECKING:
    from bot.settings import TrainSettings

log = logging.getLogger(__name__)

# A job delayed by a busy process (a long sync holding the workers) still runs this late;
# APScheduler's default of one second would drop it silently.
MISFIRE_GRACE = timedelta(minutes=10)
WORKERS = 4


@dataclass(frozen=True, slots=True)
class JobReport:
    """What one job run did: `ok`, `partial` (some parts failed) or `failed`, and its counts."""

    outcome: str
    counts: Mapping[str, int] = field(default_factory=dict)
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class JobSpec:
    """One scheduled job: which train, which kind (`sync`, `digest`, `draft`), when."""

    train: str
    kind: str
    trigger: BaseTrigger

    @property
    def id(self) -> str:
        """The job's name in logs and in the store's run claims."""
        return f"{self.train}/{self.kind}"


# (job id, scheduled fire time in UTC) -> whether this replica runs that fire time.
Claim = Callable[[str, datetime], bool]
# (train, kind) -> what the run did; raising is allowed and reported as `failed`.
JobBody = Callable[[str, str], JobReport]


class WallClockCron(BaseTrigger):  # type: ignore[misc]  # APScheduler 3 ships no types
    """A crontab schedule in a time zone that fires a repeated wall-clock time once.

    When clocks fall back, APScheduler's CronTrigger fires `30 2 * * *` at both 02:30s; cron
    as people read it means once. A fire time showing the same local time as the previous
    one is skipped; schedules that fire through the repeated hour (`*/15`) are unaffected,
    since consecutive fire times never show the same local time.
    """

    __slots__ = ("_cron",)

    def __init__(self, cron: CronTrigger) -> None:
        self._cron = cron

    @classmethod
    def from_crontab(cls, expr: str, *, timezone: tzinfo) -> WallClockCron:
        """The five-field crontab `expr`, read in `timezone`."""
        return cls(CronTrigger.from_crontab(expr, timezone=timezone))

    @classmethod
    def every_seconds(cls, seconds: int, *, timezone: tzinfo) -> WallClockCron:
        """Every `seconds` seconds, aligned to the minute, so replicas agree on fire times."""
        return cls(CronTrigger(second=f"*/{seconds}", timezone=timezone))

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        fire: datetime | None = self._cron.get_next_fire_time(previous_fire_time, now)
        while (
            fire is not None
            and previous_fire_time is not None
            and _wall(fire) == _wall(previous_fire_time)
        ):
            fire = self._cron.get_next_fire_time(fire, fire)
        return fire

    def __str__(self) -> str:
        return str(self._cron)


def _wall(moment: datetime) -> datetime:
    """The local time a clock on the wall shows at `moment`."""
    return moment.replace(tzinfo=None)


def fire_time_due(trigger: BaseTrigger, *, now: datetime, grace: timedelta) -> datetime | None:
    """The latest fire time of `trigger` in (now - grace, now]: the one a run at `now` is for.

    APScheduler does not tell a job which fire time it runs for; replicas that compute it
    from the same trigger and clock agree on it, which is what makes it a claim key.
    """
    fire = trigger.get_next_fire_time(None, now - grace)
    due = None
    while fire is not None and fire <= now:
        due = fire
        fire = trigger.get_next_fire_time(fire, fire)
    return due.astimezone(UTC) if due is not None else None


def job_specs(
    trains: Sequence[TrainSettings],
    *,
    kinds: frozenset[str],
    chat: bool,
    every_seconds: int | None = None,
) -> list[JobSpec]:
    """One job per train and kind: sync always; digest and draft when Slack is configured
    and the train has a channel (draft only with a `draft_schedule`).

    `every_seconds` replaces every schedule by one firing each that many seconds (tests and
    demos: the configuration's five-field cron cannot fire more than once a minute).
    """
    specs = []
    for train in trains:
        schedules: dict[str, str | None] = {"sync": train.sync_schedule}
        if chat and train.slack_channel:
            schedules["digest"] = train.digest_schedule
            schedules["draft"] = getattr(train, "draft_schedule", None)
        for kind, expr in schedules.items():
            if expr is None or kind not in kinds:
                continue
            trigger = (
                WallClockCron.every_seconds(every_seconds, timezone=train.tz)
                if every_seconds
                else WallClockCron.from_crontab(expr, timezone=train.tz)
            )
            specs.append(JobSpec(train=train.name, kind=kind, trigger=trigger))
    return specs


class JobRunner:
    """Runs one fire time of a job: claim, run, log one line, count; never raises."""

    def __init__(
        self,
        *,
        body: JobBody,
        claim: Claim,
        metrics: Metrics,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        grace: timedelta = MISFIRE_GRACE,
    ) -> None:
        self._body = body
        self._claim = claim
        self._metrics = metrics
        self._clock = clock
        self._grace = grace
        self._running = 0
        self._idle = threading.Condition()

    def run(self, spec: JobSpec) -> None:
        """The function APScheduler calls at each fire time of `spec`."""
        with self._idle:
            self._running += 1
        try:
            self._run(spec)
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
        start = time.perf_counter()
        try:
            if fire is None or not self._claim(spec.id, fire):
                self._metrics.job_finished(
                    train=spec.train, job=spec.kind, outcome="skipped", seconds=0.0
                )
                log.debug("job %s at %s runs elsewhere; skipped", spec.id, fire)
                return
            log.info(
                "job %s for %s started",
                spec.id,
                fire.isoformat(),
                extra={"train": spec.train, "job": spec.kind, "fire_time": fire.isoformat()},
            )
            report = self._body(spec.train, spec.kind)
        except Exception as exc:
            report = JobReport(outcome="failed", problem=f"{type(exc).__name__}: {exc}")
            log.debug("job %s raised", spec.id, exc_info=True)
        self._finish(spec, fire, report, seconds=time.perf_counter() - start)

    def _finish(
        self, spec: JobSpec, fire: datetime | None, report: JobReport, *, seconds: float
    ) -> None:
        self._metrics.job_finished(
            train=spec.train, job=spec.kind, outcome=report.outcome, seconds=seconds
        )
        counts = " ".join(f"{key}={value}" for key, value in report.counts.items())
        problem = f": {report.problem}" if report.problem else ""
        extra: dict[str, Any] = {
            "train": spec.train,
            "job": spec.kind,
            "outcome": report.outcome,
            "duration_s": round(seconds, 3),
            "fire_time": fire.isoformat() if fire else None,
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


class Scheduler:
    """APScheduler's background scheduler holding every job, each through the runner."""

    def __init__(self, *, specs: Sequence[JobSpec], runner: JobRunner) -> None:
        self._runner = runner
        self._scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(max_workers=WORKERS)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
            },
            timezone=UTC,  # each trigger carries its train's zone; this one only formats
        )
        for spec in specs:
            self._scheduler.add_job(
                runner.run, trigger=spec.trigger, args=[spec], id=spec.id, name=spec.id
            )

    def start(self) -> None:
        """Fire jobs from now on (never for times already past)."""
        self._scheduler.start()

    def stop(self, *, timeout: float) -> bool:
        """Take no new work, wait for running jobs at most `timeout` seconds; whether they ended."""
        self._scheduler.shutdown(wait=False)
        return self._runner.wait_idle(timeout)
