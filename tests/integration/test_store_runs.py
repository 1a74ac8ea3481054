"""Sync runs whose process stopped are marked interrupted by the next run, and only those."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from bot.adapters.store import SqlStore

TRAIN = "payments"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def statuses(store: SqlStore) -> dict[int, str]:
    return {run.id: run.status for run in store.last_runs(train=TRAIN, limit=10)}


def test_a_run_of_a_closed_store_is_interrupted_when_the_next_run_starts(
    store: SqlStore, store_url: str
) -> None:
    stopped = SqlStore(url=store_url)
    killed = stopped.start_run(train=TRAIN, started_at=T0)
    stopped.close()  # as when its process ends: the run is never finished

    following = store.start_run(train=TRAIN, started_at=T0 + timedelta(minutes=15))

    assert statuses(store) == {killed: "interrupted", following: "running"}
    [old] = [run for run in store.last_runs(train=TRAIN, limit=10) if run.id == killed]
    assert (old.finished_at, old.error) == (
        None,
        "the process running it stopped before it finished",
    )


def test_a_live_replicas_run_and_other_trains_runs_are_left_running(
    store: SqlStore, store_url: str
) -> None:
    replica = SqlStore(url=store_url)
    try:
        live = replica.start_run(train=TRAIN, started_at=T0)
        finished = replica.start_run(train=TRAIN, started_at=T0)
        replica.finish_run(
            run_id=finished, finished_at=T0, status="failed", counts={}, error="Jira said no"
        )
        stopped = SqlStore(url=store_url)
        other_train = stopped.start_run(train="checkout", started_at=T0)
        stopped.close()

        mine = store.start_run(train=TRAIN, started_at=T0 + timedelta(minutes=1))

        assert statuses(store) == {live: "running", finished: "failed", mine: "running"}
        checkout = store.last_runs(train="checkout", limit=1)
        assert [(run.id, run.status) for run in checkout] == [(other_train, "running")]
    finally:
        replica.close()


def test_an_unknown_holders_run_is_interrupted_only_once_it_is_hours_old(
    store: SqlStore, raw_engine: Engine
) -> None:
    far = store.start_run(train=TRAIN, started_at=T0)
    near = store.start_run(train=TRAIN, started_at=T0 + timedelta(hours=2))
    with raw_engine.begin() as connection:  # on another host, or written by an older release
        connection.execute(text("UPDATE sync_runs SET holder = 'elsewhere:1:abc'"))
        connection.execute(text("UPDATE sync_runs SET holder = NULL WHERE id = :id"), {"id": far})

    following = store.start_run(train=TRAIN, started_at=T0 + timedelta(hours=3))

    assert statuses(store) == {far: "interrupted", near: "running", following: "running"}


_START_AND_HANG = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from bot.adapters.store import SqlStore

    store = SqlStore(url=sys.argv[1])
    print(store.start_run(train="payments", started_at=datetime.now(timezone.utc)), flush=True)
    time.sleep(120)
    """
)


def test_a_run_whose_process_was_killed_is_interrupted_by_the_next_one(
    store: SqlStore, store_url: str
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", _START_AND_HANG, store_url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        killed = int(process.stdout.readline())
        alongside = store.start_run(train=TRAIN, started_at=datetime.now(UTC))
        assert statuses(store)[killed] == "running"  # its process is alive: left alone
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)

    following = store.start_run(train=TRAIN, started_at=datetime.now(UTC))

    assert statuses(store) == {killed: "interrupted", alongside: "running", following: "running"}
