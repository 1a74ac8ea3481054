"""The one fake clock of the tests: it says what time it is told, and moves only when moved."""

from __future__ import annotations

from datetime import datetime, timedelta


class FakeClock:
    """A Clock (timezone-aware UTC) standing at `at` until a test sets or advances it."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a fake clock tells timezone-aware times")
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> datetime:
        """Move the clock forward; returns the new time."""
        self.at += by
        return self.at
