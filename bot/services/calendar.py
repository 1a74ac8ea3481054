"""Sprint windows from a fixed cadence (`length_days` from `first_day`, in the train's zone)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.model import Sprint
from bot.domain.sprints import cadence_sprint, sprint_by_name


class CadenceCalendar:
    """A SprintCalendar for trains without a Jira board."""

    def __init__(self, *, first_day: date, length_days: int, tz: ZoneInfo) -> None:
        self._first_day = first_day
        self._length_days = length_days
        self._tz = tz

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
