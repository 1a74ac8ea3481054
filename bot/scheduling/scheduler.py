"""APScheduler's background scheduler holding every job in memory, each run through the runner.

The configuration is the jobs' source and the store holds what must last, so no persistent
job store is used: several processes sharing one would run jobs twice or miss them. Asking
whether it still runs (for /healthz and a gauge) reads two attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduling.runner import MISFIRE_GRACE, JobRunner
from bot.scheduling.triggers import JobSpec

# Jobs of different trains may run side by side; one job never runs twice at once.
WORKERS = 4


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

    def problem(self) -> str | None:
        """None while jobs can fire, else why they cannot: APScheduler stopped, or the thread
        of its loop died (an exception escaping it ends the thread, not the process)."""
        if not self._scheduler.running:
            return "the scheduler is not running"
        # APScheduler 3 keeps its loop's thread here; it names no public way to ask for it.
        thread = getattr(self._scheduler, "_thread", None)
        if thread is None or not thread.is_alive():
            return "the scheduler's thread has stopped"
        return None

    def stop(self, *, timeout: float) -> bool:
        """Take no new work, wait for running jobs at most `timeout` seconds; whether they ended."""
        self._scheduler.shutdown(wait=False)
        return self._runner.wait_idle(timeout)
