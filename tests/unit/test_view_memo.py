"""The view memo: a value computed once per (train, what is asked, revision), shared by the
requests that arrive while it is computed, and dropped when the revision moves."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from bot.services.views.memo import MAX_KEYS, ViewMemo

TRAIN = "payments"


class Counting:
    """A computation that counts its calls and returns which call it was."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"view #{self.calls}"


def until(check: Callable[[], bool], *, what: str) -> None:
    """Wait for `check` (a guard against hanging, not a timing assertion)."""
    deadline = time.monotonic() + 30
    while not check():
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.001)


def test_a_value_is_reused_until_the_revision_moves() -> None:
    memo, compute = ViewMemo(), Counting()

    first = memo.get(train=TRAIN, revision=3, key="status", compute=compute)
    again = memo.get(train=TRAIN, revision=3, key="status", compute=compute)
    moved = memo.get(train=TRAIN, revision=4, key="status", compute=compute)
    kept = memo.get(train=TRAIN, revision=4, key="status", compute=compute)

    assert (first, again, moved, kept) == ("view #1", "view #1", "view #2", "view #2")
    assert compute.calls == 2
    assert memo.stats().hits == 2


def test_what_is_asked_and_the_train_each_have_their_own_value() -> None:
    memo, compute = ViewMemo(), Counting()

    values = [
        memo.get(train=train, revision=1, key=key, compute=compute)
        for train in (TRAIN, "checkout")
        for key in (("status", "Sprint 1"), ("notes", "Sprint 1"), ("status", "Sprint 2"))
    ]

    assert len(set(values)) == 6


def test_only_the_newest_revisions_values_are_kept() -> None:
    memo, compute = ViewMemo(), Counting()
    memo.get(train=TRAIN, revision=1, key="status", compute=compute)
    memo.get(train=TRAIN, revision=2, key="notes", compute=compute)

    memo.get(train=TRAIN, revision=2, key="status", compute=compute)

    assert compute.calls == 3  # revision 1's status was dropped with its revision
    assert memo.revisions() == {TRAIN: 2}


def test_a_request_that_read_an_older_revision_computes_without_keeping() -> None:
    memo, compute = ViewMemo(), Counting()
    memo.get(train=TRAIN, revision=5, key="status", compute=compute)

    late = memo.get(train=TRAIN, revision=4, key="status", compute=compute)
    current = memo.get(train=TRAIN, revision=5, key="status", compute=compute)

    assert (late, current) == ("view #2", "view #1")
    assert memo.revisions() == {TRAIN: 5}


def test_the_values_of_one_revision_are_bounded() -> None:
    memo, compute = ViewMemo(), Counting()
    for day in range(MAX_KEYS + 10):
        memo.get(train=TRAIN, revision=1, key=("home", day), compute=compute)

    memo.get(train=TRAIN, revision=1, key=("home", 0), compute=compute)
    memo.get(train=TRAIN, revision=1, key=("home", MAX_KEYS + 9), compute=compute)

    assert compute.calls == MAX_KEYS + 11  # the oldest went, the newest stayed


def test_concurrent_requests_wait_for_the_one_computation() -> None:
    memo, requests = ViewMemo(), 20
    calls: list[str] = []

    def slow() -> str:
        calls.append(threading.current_thread().name)
        # Held until every other request is waiting for this computation.
        until(lambda: memo.stats().waited == requests - 1, what="the other requests waiting")
        return "the view"

    answers: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(
                memo.get(train=TRAIN, revision=1, key="status", compute=slow)
            )
        )
        for _ in range(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(calls) == 1
    assert answers == ["the view"] * requests
    assert memo.stats().computed == 1


def test_a_failure_reaches_every_waiter_and_is_not_kept() -> None:
    memo = ViewMemo()
    release = threading.Event()
    compute = Counting()

    def failing() -> str:
        release.wait(30)
        raise LookupError("the store is gone")

    errors: list[BaseException] = []

    def ask() -> None:
        try:
            memo.get(train=TRAIN, revision=1, key="status", compute=failing)
        except LookupError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    until(lambda: memo.stats().waited == 2, what="two requests waiting")
    release.set()
    for thread in threads:
        thread.join(30)

    assert [str(e) for e in errors] == ["the store is gone"] * 3
    assert memo.get(train=TRAIN, revision=1, key="status", compute=compute) == "view #1"


def test_a_failure_in_the_caller_is_raised_as_it_was() -> None:
    memo = ViewMemo()

    def broken() -> str:
        raise ValueError("bad template")

    with pytest.raises(ValueError, match="bad template"):
        memo.get(train=TRAIN, revision=1, key="notes", compute=broken)


def test_a_request_waiting_on_a_stuck_computation_computes_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.services.views.memo.WAIT_LIMIT", 0.05)
    memo, release = ViewMemo(), threading.Event()

    def stuck() -> str:
        release.wait(30)
        return "the stuck view"

    def ask(into: list[str], compute: Callable[[], str]) -> threading.Thread:
        thread = threading.Thread(
            target=lambda: into.append(
                memo.get(train=TRAIN, revision=1, key="status", compute=compute)
            )
        )
        thread.start()
        return thread

    first: list[str] = []
    second: list[str] = []
    owner = ask(first, stuck)
    until(lambda: memo.stats().computed == 1, what="the first request computing")
    waiter = ask(second, lambda: "its own view")
    waiter.join(10)
    answered_while_stuck = list(second)
    release.set()
    owner.join(30)
    waiter.join(30)

    assert answered_while_stuck == ["its own view"]
    assert first == ["the stuck view"]
