"""Run claims for scheduled jobs: once per fire time across replicas, taken over from the dead."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.store import SqlStore
from tests.integration.replicas import run_together

JOB = "payments:sync"
FIRE = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
EXPIRED = timedelta(0)  # a lease that has run out by the time anyone else looks


def test_a_fire_time_is_claimed_once(store: SqlStore) -> None:
    assert store.claim_job(job=JOB, fire_time=FIRE, holder="a", lease=HOUR) is True
    assert store.claim_job(job=JOB, fire_time=FIRE, holder="b", lease=HOUR) is False
    assert store.claim_job(job=JOB, fire_time=FIRE + HOUR, holder="b", lease=HOUR) is True
    assert store.claim_job(job="payments:digest", fire_time=FIRE, holder="b", lease=HOUR) is True

    claim = store.get_job_claim(job=JOB, fire_time=FIRE)
    assert claim is not None
    assert (claim.holder, claim.attempts, claim.finished_at, claim.outcome) == ("a", 1, None, None)
    assert claim.lease_until - claim.claimed_at == HOUR


def test_the_holder_may_claim_again_and_extends_its_lease(store: SqlStore) -> None:
    store.claim_job(job=JOB, fire_time=FIRE, holder="a", lease=EXPIRED)

    assert store.claim_job(job=JOB, fire_time=FIRE, holder="a", lease=HOUR) is True
    assert store.claim_job(job=JOB, fire_time=FIRE, holder="b", lease=HOUR) is False


def test_a_dead_holders_claim_is_taken_over_after_its_lease(store: SqlStore) -> None:
    store.claim_job(job=JOB, fire_time=FIRE, holder="dead", lease=EXPIRED)

    assert store.claim_job(job=JOB, fire_time=FIRE, holder="b", lease=HOUR) is True

    claim = store.get_job_claim(job=JOB, fire_time=FIRE)
    assert claim is not None
    assert (claim.holder, claim.attempts) == ("b", 2)
    assert store.renew_job(job=JOB, fire_time=FIRE, holder="dead", lease=HOUR) is False
    assert store.finish_job(job=JOB, fire_time=FIRE, holder="dead", outcome="ok") is False
    assert store.renew_job(job=JOB, fire_time=FIRE, holder="b", lease=HOUR) is True


def test_a_finished_run_is_never_claimed_again(store: SqlStore) -> None:
    store.claim_job(job=JOB, fire_time=FIRE, holder="a", lease=EXPIRED)

    assert store.finish_job(job=JOB, fire_time=FIRE, holder="a", outcome="failed") is True

    assert store.claim_job(job=JOB, fire_time=FIRE, holder="b", lease=HOUR) is False
    assert store.claim_job(job=JOB, fire_time=FIRE, holder="a", lease=HOUR) is False
    assert store.renew_job(job=JOB, fire_time=FIRE, holder="a", lease=HOUR) is False
    claim = store.get_job_claim(job=JOB, fire_time=FIRE)
    assert claim is not None
    assert claim.outcome == "failed"
    assert claim.finished_at is not None


def test_finished_claims_of_old_fire_times_are_forgotten(store: SqlStore) -> None:
    for hours in range(3):
        store.claim_job(job=JOB, fire_time=FIRE + hours * HOUR, holder="a", lease=HOUR)
    store.finish_job(job=JOB, fire_time=FIRE, holder="a", outcome="ok")
    store.finish_job(job=JOB, fire_time=FIRE + 2 * HOUR, holder="a", outcome="ok")

    assert store.forget_job_claims(finished_before=FIRE + 2 * HOUR) == 1

    assert store.get_job_claim(job=JOB, fire_time=FIRE) is None
    assert store.get_job_claim(job=JOB, fire_time=FIRE + HOUR) is not None
    assert store.get_job_claim(job=JOB, fire_time=FIRE + 2 * HOUR) is not None


def test_replicas_claiming_one_fire_time_at_once_have_one_winner(
    store: SqlStore, store_url: str
) -> None:
    holders = [f"replica-{n}" for n in range(6)]

    results = run_together(
        6,
        lambda replica: replica.claim_job(
            job=JOB, fire_time=FIRE, holder=holders.pop(), lease=HOUR
        ),
        store_url,
    )

    assert sorted(results) == [False] * 5 + [True]


def test_replicas_taking_over_an_expired_claim_at_once_have_one_winner(
    store: SqlStore, store_url: str
) -> None:
    store.claim_job(job=JOB, fire_time=FIRE, holder="dead", lease=EXPIRED)
    holders = [f"replica-{n}" for n in range(6)]

    results = run_together(
        6,
        lambda replica: replica.claim_job(
            job=JOB, fire_time=FIRE, holder=holders.pop(), lease=HOUR
        ),
        store_url,
    )

    assert sorted(results) == [False] * 5 + [True]
    claim = store.get_job_claim(job=JOB, fire_time=FIRE)
    assert claim is not None
    assert (claim.attempts, claim.holder.startswith("replica-")) == (2, True)


_CLAIMING_PROCESS = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from bot.adapters.store import SqlStore

    url, go, holder = sys.argv[1:4]
    store = SqlStore(url=url)
    store.get_job_claim(job="warm-up", fire_time=datetime(2000, 1, 1, tzinfo=timezone.utc))
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.01)
    won = store.claim_job(
        job="payments:sync",
        fire_time=datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc),
        holder=holder,
        lease=timedelta(hours=1),
    )
    store.close()
    print(won, flush=True)
    """
)


def test_processes_claiming_one_fire_time_at_once_have_one_winner(
    store: SqlStore, store_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _CLAIMING_PROCESS, store_url, str(go), f"process-{n}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    go.touch()  # every process is connected and waiting: let them race

    answers = [process.communicate(timeout=60)[0].strip() for process in processes]

    assert sorted(answers) == ["False", "False", "False", "True"]
    claim = store.get_job_claim(job=JOB, fire_time=FIRE)
    assert claim is not None
    assert claim.holder.startswith("process-")


def test_a_second_store_on_one_sqlite_file_cannot_take_the_serve_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state' / 'release-train.db'}"
    first, second = SqlStore(url=url), SqlStore(url=url)

    assert first.lock_single_process(name="serve") is True
    assert first.lock_single_process(name="serve") is True  # its own lock, asked again
    assert second.lock_single_process(name="serve") is False
    assert second.lock_single_process(name="digest") is True
    first.close()
    assert second.lock_single_process(name="serve") is True
    second.close()


_LOCKING_PROCESS = textwrap.dedent(
    """
    import sys, time
    from bot.adapters.store import SqlStore

    store = SqlStore(url=sys.argv[1])
    print(store.lock_single_process(name="serve"), flush=True)
    time.sleep(120)
    """
)


def test_the_serve_lock_of_a_killed_process_is_free_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'release-train.db'}"
    holder = subprocess.Popen(
        [sys.executable, "-c", _LOCKING_PROCESS, url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "True"
        store = SqlStore(url=url)
        assert store.lock_single_process(name="serve") is False
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.communicate(timeout=30)

    assert store.lock_single_process(name="serve") is True
    store.close()


@pytest.mark.postgres
def test_postgresql_lets_several_processes_serve(pg_url: str) -> None:
    first, second = SqlStore(url=pg_url), SqlStore(url=pg_url)

    assert first.lock_single_process(name="serve") is True
    assert second.lock_single_process(name="serve") is True
    first.close()
    second.close()


def test_a_lock_name_is_a_plain_word(tmp_path: Path) -> None:
    store = SqlStore(url=f"sqlite:///{tmp_path / 'release-train.db'}")

    with pytest.raises(ValueError, match="short lowercase word"):
        store.lock_single_process(name="../serve")
    store.close()
