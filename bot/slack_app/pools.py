"""Threads for the work Slack asks for, one pool per kind, so that one kind stuck behind a slow
or unreachable service cannot starve the others or the acknowledgements.

Listeners acknowledge in the request's own thread and hand the rest to a pool: `reads` answer
people from the store (status, notes, explain, App Home, checking who may decide), `writes`
change things and may wait on Jira or Slack (sync, draft, decisions, edits). Jira down can then
hold the writers, while status still answers at once. Costs: a queue put per request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

READS = "reads"
WRITES = "writes"


class WorkPools:
    """A thread pool per kind of work; `shutdown` stops taking work and lets queued work end."""

    def __init__(self, *, reads: int = 4, writes: int = 2) -> None:
        self._pools = {
            READS: ThreadPoolExecutor(max_workers=reads, thread_name_prefix="slack-reads"),
            WRITES: ThreadPoolExecutor(max_workers=writes, thread_name_prefix="slack-writes"),
        }

    def run(self, kind: str, work: Callable[..., Any], *args: Any) -> None:
        """Do `work(*args)` on the pool of `kind`; a failure is logged, never raised here."""
        self._pools[kind].submit(_logged, work, *args)

    def shutdown(self, *, wait: bool = True) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=wait, cancel_futures=not wait)


def _logged(work: Callable[..., Any], *args: Any) -> None:
    try:
        work(*args)
    except Exception:  # the desk answers what it can; anything else is a bug worth its trace
        log.exception("Slack work %s failed", getattr(work, "__name__", work))
