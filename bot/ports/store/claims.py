"""The job claims role: each fire time of a scheduled job runs on one `serve` replica."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class JobClaim:
    """Who runs one fire time of a scheduled job, until when, and how it ended."""

    job: str
    fire_time: datetime
    holder: str
    claimed_at: datetime
    lease_until: datetime
    attempts: int  # 1, plus one per takeover of an expired lease
    finished_at: datetime | None
    outcome: str | None


class JobClaims(Protocol):
    """Run claims for scheduled jobs: each fire time of a job runs on one `serve` replica.

    A claim is keyed by (job, fire_time) and held by `holder` (unique per process, e.g.
    host:pid:random) until its lease runs out. The holder renews the lease while the job runs
    and finishes the claim when it ends. A claim whose holder died (lease expired, not
    finished) is taken over by the next replica that claims it. Times are the replicas' own
    clocks (UTC): keep them in sync (NTP) and leases far longer than any skew.
    """

    def claim_job(self, *, job: str, fire_time: datetime, holder: str, lease: timedelta) -> bool:
        """Take the run of `job` at `fire_time`; True when this holder may run it now.

        Atomic across processes and replicas: for one fire time exactly one caller wins (a
        unique-key insert, or a conditional update taking over an expired, unfinished claim).
        False when another holder's lease is live or the run already finished. Claiming again
        by the same holder while unfinished is True and extends the lease.
        """
        ...

    def renew_job(self, *, job: str, fire_time: datetime, holder: str, lease: timedelta) -> bool:
        """Extend the holder's lease to now + `lease`; False when the claim is no longer its own
        (taken over after it expired, or finished): the job should then stop."""
        ...

    def finish_job(self, *, job: str, fire_time: datetime, holder: str, outcome: str) -> bool:
        """Record the run as finished with `outcome` (e.g. ok, failed); the fire time is never
        run again. False when the claim was not the holder's any more (nothing is changed)."""
        ...

    def get_job_claim(self, *, job: str, fire_time: datetime) -> JobClaim | None: ...

    def forget_job_claims(self, *, finished_before: datetime) -> int:
        """Delete finished claims of fire times before `finished_before`; returns how many."""
        ...

    def lock_single_process(self, *, name: str) -> bool:
        """Make this process the only one using the store for `name` (e.g. "serve").

        On a SQLite file: an exclusive, non-blocking lock on `<file>.<name>.lock`, held until
        close() or the process ends (the system releases it even after a kill -9); False when
        another process (or another store object) holds it. On PostgreSQL, and on an
        in-memory SQLite store, several processes are safe: always True, nothing is locked.
        """
        ...
