"""Run claims for scheduled jobs (once per fire time across replicas) and the one-`serve` lock."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from typing import IO

from sqlalchemy import RowMapping, delete, or_, select, update

from bot.adapters.store.connection import dialect_insert, sqlite_file
from bot.adapters.store.database import SqlDatabase, utc_now
from bot.adapters.store.tables import job_claims
from bot.ports.store import JobClaim

_LOCK_NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")


class SqlJobClaims(SqlDatabase):
    """The JobClaims role: one row per (job, fire time), won by a unique-key insert."""

    def __init__(self, *, url: str) -> None:
        super().__init__(url=url)
        self._locks: dict[str, IO[bytes]] = {}

    def claim_job(self, *, job: str, fire_time: datetime, holder: str, lease: timedelta) -> bool:
        now = utc_now()
        values = {"holder": holder, "claimed_at": now, "lease_until": now + lease}
        with self._writing() as connection:
            inserted = connection.execute(
                dialect_insert(connection, job_claims)
                .values(job=job, fire_time=fire_time, attempts=1, **values)
                .on_conflict_do_nothing(index_elements=[job_claims.c.job, job_claims.c.fire_time])
                .returning(job_claims.c.job)
            ).first()
            if inserted is not None:
                return True
            # Taken over only when its holder's lease ran out (or it is this holder's own);
            # racing replicas re-check the row under its lock, so one of them matches.
            taken = connection.execute(
                update(job_claims)
                .where(
                    job_claims.c.job == job,
                    job_claims.c.fire_time == fire_time,
                    job_claims.c.finished_at.is_(None),
                    or_(job_claims.c.lease_until <= now, job_claims.c.holder == holder),
                )
                .values(attempts=job_claims.c.attempts + 1, **values)
            ).rowcount
        return taken == 1

    def renew_job(self, *, job: str, fire_time: datetime, holder: str, lease: timedelta) -> bool:
        return self._update_held(
            job=job, fire_time=fire_time, holder=holder, lease_until=utc_now() + lease
        )

    def finish_job(self, *, job: str, fire_time: datetime, holder: str, outcome: str) -> bool:
        return self._update_held(
            job=job, fire_time=fire_time, holder=holder, finished_at=utc_now(), outcome=outcome
        )

    def _update_held(self, *, job: str, fire_time: datetime, holder: str, **values: object) -> bool:
        """Change a claim this holder still holds (unfinished); False when it holds it no more."""
        with self._writing() as connection:
            changed = connection.execute(
                update(job_claims)
                .where(
                    job_claims.c.job == job,
                    job_claims.c.fire_time == fire_time,
                    job_claims.c.holder == holder,
                    job_claims.c.finished_at.is_(None),
                )
                .values(**values)
            ).rowcount
        return changed == 1

    def get_job_claim(self, *, job: str, fire_time: datetime) -> JobClaim | None:
        query = select(job_claims).where(
            job_claims.c.job == job, job_claims.c.fire_time == fire_time
        )
        with self._reading() as connection:
            row = connection.execute(query).mappings().one_or_none()
        return None if row is None else _claim(row)

    def forget_job_claims(self, *, finished_before: datetime) -> int:
        with self._writing() as connection:
            deleted: int = connection.execute(
                delete(job_claims).where(
                    job_claims.c.fire_time < finished_before,
                    job_claims.c.finished_at.is_not(None),
                )
            ).rowcount
        return deleted

    def lock_single_process(self, *, name: str) -> bool:
        if not _LOCK_NAME.fullmatch(name):
            raise ValueError(f"a process lock name is a short lowercase word, not {name!r}")
        if name in self._locks:
            return True
        path = sqlite_file(self._url)
        if path is None:
            return True  # PostgreSQL serves several processes; in-memory SQLite only this one
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        # Kept open: the lock lasts as long as the file stays open.
        handle = path.with_name(f"{path.name}.{name}.lock").open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        # Who holds it, for a person looking at the file; the lock itself is the flock.
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._locks[name] = handle
        return True

    def close(self) -> None:
        for handle in self._locks.values():
            handle.close()  # closing the file releases its lock
        self._locks.clear()
        super().close()


def _claim(row: RowMapping) -> JobClaim:
    return JobClaim(
        job=row["job"],
        fire_time=row["fire_time"],
        holder=row["holder"],
        claimed_at=row["claimed_at"],
        lease_until=row["lease_until"],
        attempts=row["attempts"],
        finished_at=row["finished_at"],
        outcome=row["outcome"],
    )
