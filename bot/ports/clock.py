"""Where the current time comes from."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Where the current time comes from (timezone-aware UTC)."""

    def now(self) -> datetime: ...
