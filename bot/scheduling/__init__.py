"""The scheduler of `serve`: one APScheduler job per train and kind, each fire time run once.

Jobs live in memory (the configuration is their source; durable state is the store's), fire on
cron in the train's time zone, and go through `JobRunner`, which takes the run claim for the
(job, scheduled fire time) before running, so several replicas on one store run each fire time
once; it logs one line per run, counts it, and never lets an exception reach the scheduler.
"""

from bot.scheduling.runner import (
    MISFIRE_GRACE,
    JobBody,
    JobReport,
    JobRunner,
    RunClaims,
)
from bot.scheduling.scheduler import Scheduler
from bot.scheduling.triggers import (
    JobSpec,
    WallClockCron,
    fire_time_due,
    job_specs,
    longest_gap,
)

__all__ = [
    "MISFIRE_GRACE",
    "JobBody",
    "JobReport",
    "JobRunner",
    "JobSpec",
    "RunClaims",
    "Scheduler",
    "WallClockCron",
    "fire_time_due",
    "job_specs",
    "longest_gap",
]
