"""Ledger claims across processes: a pending write is held by one live store at a time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from bot.adapters.store import SqlStore
from bot.ports.store import LedgerEntry
from tests.integration.replicas import run_together

KEY = "jira:payments:PAY-1:summary:1"


def claim(store: SqlStore) -> LedgerEntry:
    return store.ledger_claim(key=KEY, service="jira", operation="summary-comment", request={})


def test_a_write_held_by_another_live_store_is_not_held_again(
    store: SqlStore, store_url: str
) -> None:
    other = SqlStore(url=store_url)
    try:
        assert claim(other).held is True

        mine = claim(store)

        assert (mine.state, mine.held, mine.attempts) == ("pending", False, 1)
    finally:
        other.close()


def test_a_closed_stores_write_is_taken_over_at_once(store: SqlStore, store_url: str) -> None:
    crashed = SqlStore(url=store_url)
    claim(crashed)
    crashed.close()

    taken = claim(store)

    assert (taken.held, taken.attempts) == (True, 2)
    another = SqlStore(url=store_url)
    assert claim(another).held is False  # now `store` holds it
    another.close()


def test_a_settled_write_is_never_held(store: SqlStore) -> None:
    claim(store)
    store.ledger_complete(key=KEY, result={"comment_id": "1"})

    again = claim(store)

    assert (again.state, again.held, again.attempts) == ("done", False, 1)


def _hand_to(raw_engine: Engine, *, holder: str | None, lease_until: datetime | None) -> None:
    with raw_engine.begin() as connection:
        connection.execute(
            text("UPDATE ledger SET holder = :holder, lease_until = :lease WHERE key = :key"),
            {"holder": holder, "lease": lease_until, "key": KEY},
        )


def test_a_live_holder_on_another_host_keeps_its_write_until_its_lease_ends(
    store: SqlStore, raw_engine: Engine
) -> None:
    claim(store)
    now = datetime.now(UTC)
    _hand_to(raw_engine, holder="elsewhere:1:abc", lease_until=now + timedelta(minutes=1))

    assert claim(store).held is False

    _hand_to(raw_engine, holder="elsewhere:1:abc", lease_until=now - timedelta(seconds=1))
    taken = claim(store)
    assert (taken.held, taken.attempts) == (True, 2)


def test_a_write_claimed_by_an_older_release_is_taken_over(
    store: SqlStore, raw_engine: Engine
) -> None:
    claim(store)
    _hand_to(raw_engine, holder=None, lease_until=None)

    assert claim(store).held is True


def test_replicas_claiming_one_write_at_once_hold_it_once(store: SqlStore, store_url: str) -> None:
    results = run_together(6, claim, store_url)

    assert sorted(entry.held for entry in results) == [False] * 5 + [True]


def test_replicas_taking_over_a_gone_holders_write_hold_it_once(
    store: SqlStore, store_url: str, raw_engine: Engine
) -> None:
    claim(store)
    _hand_to(raw_engine, holder="elsewhere:1:abc", lease_until=datetime(2000, 1, 1, tzinfo=UTC))

    results = run_together(6, claim, store_url)

    assert sorted(entry.held for entry in results) == [False] * 5 + [True]
    assert max(entry.attempts for entry in results) == 2


_CLAIM_AND_HANG = textwrap.dedent(
    f"""
    import sys, time
    from bot.adapters.store import SqlStore

    store = SqlStore(url=sys.argv[1])
    entry = store.ledger_claim(
        key={KEY!r}, service="jira", operation="summary-comment", request={{}}
    )
    print(entry.held, flush=True)
    time.sleep(120)
    """
)


def test_the_write_of_a_killed_process_is_taken_over_at_once(
    store: SqlStore, store_url: str
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", _CLAIM_AND_HANG, store_url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "True"
        assert claim(store).held is False  # its process is alive: the write is its own
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)

    taken = claim(store)

    assert (taken.held, taken.attempts) == (True, 2)


def test_threads_sharing_one_store_hold_a_write_once(store: SqlStore) -> None:
    barrier = threading.Barrier(5)
    results: list[LedgerEntry] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        entry = claim(store)
        with lock:
            results.append(entry)

    threads = [threading.Thread(target=run) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(entry.held for entry in results) == [False, False, False, False, True]


def test_a_write_another_thread_is_sending_is_not_held_until_it_is_finished(
    store: SqlStore,
) -> None:
    assert claim(store).held is True
    elsewhere: list[LedgerEntry] = []

    def other_thread() -> None:
        elsewhere.append(claim(store))

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join(timeout=30)
    store.ledger_complete(key=KEY, result={"comment_id": "1"})

    assert elsewhere[0].held is False and elsewhere[0].state == "pending"
    assert claim(store).state == "done"


def test_a_released_write_is_taken_at_once_by_another_store_counting_an_attempt(
    store: SqlStore, store_url: str
) -> None:
    assert claim(store).held is True
    store.ledger_release(key=KEY)
    other = SqlStore(url=store_url)
    try:
        taken = claim(other)
    finally:
        other.close()

    assert (taken.state, taken.held, taken.attempts) == ("pending", True, 2)


def test_the_same_thread_holds_its_pending_write_again_for_a_retry(store: SqlStore) -> None:
    claim(store)

    again = claim(store)

    assert (again.held, again.attempts) == (True, 2)
