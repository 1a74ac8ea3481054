"""Views computed once per store revision, shared by every request that asks while it stands.

A train's status, notes and App Home part are functions of what the store holds for the train
(its revision moves with every such write, on every replica) and of what is asked (the sprint,
the format, the day). `ViewMemo.get` returns the value computed for (train, what is asked) at
the revision given, computing it at most once: requests arriving while it is being computed wait
for that computation (single-flight) instead of repeating it; a failure is handed to those
waiting and not kept, so the next request tries again.

Memory stays bounded: per train only the newest revision's values are kept (a newer revision
drops the older ones), at most `MAX_KEYS` of them. A caller must read the revision before it
reads the store for the value: a write landing in between then only makes the next request
compute again, never serves an old value under a newer revision.

Costs: one lock taken twice per call; a hit does no other work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

T = TypeVar("T")
MAX_KEYS = 64  # per train and revision: what is asked (status, notes, home) by sprint and day
# How long a request waits for another's computation of the same view before computing its own
# (seconds): far above a view's usual cost, well below Slack's patience with a response_url.
WAIT_LIMIT = 20.0


@dataclass(frozen=True, slots=True)
class MemoStats:
    """What the memo has done since it was made: values computed, kept values handed out, and
    requests that waited for a computation already under way."""

    computed: int = 0
    hits: int = 0
    waited: int = 0


class _Slot:
    """One value being computed or computed; waiters block on `done`."""

    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class _Generation:
    """The values of one train at one revision."""

    __slots__ = ("revision", "slots")

    def __init__(self, revision: int) -> None:
        self.revision = revision
        self.slots: dict[Hashable, _Slot] = {}


class ViewMemo:
    """Values by (train, what is asked), each computed once per store revision."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._trains: dict[str, _Generation] = {}
        self._stats = MemoStats()

    def get(self, *, train: str, revision: int, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key` at `revision`: kept, being computed (waited for), or computed
        now by `compute`. A revision older than one already seen computes without keeping."""
        with self._lock:
            generation = self._trains.get(train)
            if generation is not None and revision < generation.revision:
                generation = None  # a request that read the revision before a newer one did
            elif generation is None or revision > generation.revision:
                generation = self._trains[train] = _Generation(revision)
            slot = None if generation is None else generation.slots.get(key)
            owner = slot is None
            if generation is not None and slot is None:
                slot = generation.slots[key] = _Slot()
                _trim(generation)
            self._count(slot, owner=owner)
        if slot is None:
            return compute()
        if owner:
            self._fill(slot, compute, drop=lambda: self._forget(train, revision, key, slot))
        elif not slot.done.wait(WAIT_LIMIT):
            # The computation this request waits for is stuck (a store that stopped
            # answering): one stuck request must not hold every other, so compute apart.
            return compute()
        if slot.error is not None:
            raise slot.error
        return cast(T, slot.value)

    @staticmethod
    def _fill(slot: _Slot, compute: Callable[[], Any], *, drop: Callable[[], None]) -> None:
        try:
            slot.value = compute()
        except BaseException as exc:  # handed to every waiter, then raised in the owner too
            slot.error = exc
            drop()
        finally:
            slot.done.set()

    def _forget(self, train: str, revision: int, key: Hashable, slot: _Slot) -> None:
        """Drop a failed computation, so the next request computes again."""
        with self._lock:
            generation = self._trains.get(train)
            kept = None if generation is None or generation.revision != revision else generation
            if kept is not None and kept.slots.get(key) is slot:
                del kept.slots[key]

    def _count(self, slot: _Slot | None, *, owner: bool) -> None:
        """Count one request (the caller holds the lock)."""
        s = self._stats
        if owner:
            self._stats = MemoStats(s.computed + 1, s.hits, s.waited)
        elif slot is not None and slot.done.is_set():
            self._stats = MemoStats(s.computed, s.hits + 1, s.waited)
        else:
            self._stats = MemoStats(s.computed, s.hits, s.waited + 1)

    def stats(self) -> MemoStats:
        """The counts so far."""
        with self._lock:
            return self._stats

    def revisions(self) -> dict[str, int]:
        """The revision whose values are kept, by train (for tests and logs)."""
        with self._lock:
            return {train: g.revision for train, g in self._trains.items()}


def _trim(generation: _Generation) -> None:
    """Keep at most MAX_KEYS values: the oldest finished ones go first."""
    excess = len(generation.slots) - MAX_KEYS
    if excess <= 0:
        return
    finished = [k for k, s in generation.slots.items() if s.done.is_set()][:excess]
    for key in finished:
        del generation.slots[key]
