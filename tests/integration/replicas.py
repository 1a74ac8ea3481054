"""Running one store action at once from several replicas (each its own engine and pool)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from bot.adapters.store import SqlStore


def run_together(count: int, action: Callable[[SqlStore], Any], url: str) -> list[Any]:
    """Run `action` at once on `count` stores of one database, as replicas would.

    Each result is what the action returned, or the exception it raised.
    """
    stores = [SqlStore(url=url) for _ in range(count)]
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = action(stores[index])
        except Exception as exc:  # handed back to the test to assert on
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "replicas are stuck waiting"
    for opened in stores:
        opened.close()
    return results
