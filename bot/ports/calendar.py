"""Where a train's sprint windows come from: a fixed cadence or a Jira board."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.domain.model import Sprint


class SprintCalendar(Protocol):
    """Where a train's sprint windows come from (a fixed cadence, or a Jira board)."""

    def sprint_for(self, when: datetime) -> Sprint | None:
        """The sprint whose window holds `when`, or None when no sprint does."""
        ...

    def by_name(self, name: str) -> Sprint | None: ...

    def current(self) -> Sprint | None:
        """The sprint holding now (None when none does)."""
        ...

    def may_place_later(self, when: datetime) -> bool:
        """Whether a time no sprint holds yet may still be claimed by a sprint to come."""
        ...

    def open_since(self) -> datetime:
        """Where changes not yet recorded begin by default: the current sprint's start."""
        ...

    @property
    def notices(self) -> list[str]:
        """What people should know about the sprints (e.g. a board without an active sprint)."""
        ...
