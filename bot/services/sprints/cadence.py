"""Sprint windows from a fixed cadence (`length_days` from `first_day`, in the train's zone)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.model import Sprint
from bot.domain.sprints import cadence_sprint, sprint_by_name
from bot.ports.clock import Clock


class CadenceCalendar:
    """A SprintCalendar for trains without a Jira board."""

    def __init__(self, *, first_day: date, length_days: int, tz: ZoneInfo, clock: Clock) -> None:
        self._first_day = first_day
        self._length_days = length_days
        self._tz = tz
        self._clock = clock

    @property
    def notices(self) -> list[str]:
        """A cadence has nothing to report."""
        return []

    def current(self) -> Sprint | None:
        """The sprint holding now; None before the first sprint starts."""
        return self.sprint_for(self._clock.now())

    def open_since(self) -> datetime:
        """The current sprint's start (now, before the first sprint)."""
        current = self.current()
        return current.start if current is not None else self._clock.now()

    def may_place_later(self, when: datetime) -> bool:
        """Never: a cadence places every time from its first day on, and none before it."""
        return False

    def sprint_for(self, when: datetime) -> Sprint | None:
        """The sprint holding `when`; None before the first sprint starts."""
        try:
            return cadence_sprint(
                when, first_day=self._first_day, length_days=self._length_days, tz=self._tz
            )
        except ValueError:
            return None

    def by_name(self, name: str) -> Sprint | None:
        """The sprint called `name` (`Sprint <n>`), or None."""
        return sprint_by_name(
            name, first_day=self._first_day, length_days=self._length_days, tz=self._tz
        )
