"""The cyclic garbage collector paused around work that builds many objects and no cycles.

A bulk read of thousands of rows, or a command that only reads and reports, builds rows,
dataclasses and tuples that form no reference cycles: a collection in the middle frees nothing,
yet each full one walks every object alive (the imported modules and all that was read so far),
which on a sprint of thousands of changes is much of the work. Pauses may nest and may overlap
across threads: the collector is off while any is open and restored, as it was before the
first, when the last one ends; it then finds any garbage of the block at its next run.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_open = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (see the module's docstring)."""
    global _open, _was_enabled
    with _lock:
        if _open == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _open += 1
    try:
        yield
    finally:
        with _lock:
            _open -= 1
            if _open == 0 and _was_enabled:
                gc.enable()
