"""How far a long sync got, for a person watching a terminal (never for logs or metrics).

Sources tell what they read as they read it (an answer page, a change), from the threads they
gather in; a sync also names its steps. A sink must be cheap and thread-safe: it is called once
per page read.
"""

from __future__ import annotations

from typing import Protocol


class ReadProgress(Protocol):
    """Where a source tells what it has read so far."""

    def read(self, *, source: str, pages: int = 0, changes: int = 0) -> None:
        """`source` read `pages` more pages (an API answer, a git process's output) and
        `changes` more changes."""
        ...


class SyncProgress(ReadProgress, Protocol):
    """Where a sync says what it does: its sources' reads, and its steps in words."""

    def __call__(self, message: str) -> None:
        """A step of the sync, in words ("recorded 3 new changes from api")."""
        ...
