"""Sprint windows: fixed cadences counted from a first day, and lookup in explicit windows.

A cadence sprint `Sprint <n>` (numbered from 1) covers `length_days` calendar days and starts
at 00:00 local time of its first day in the train's timezone, so across a daylight-saving change
a sprint is an hour shorter or longer than `length_days * 24h`. Windows are returned in UTC.
A time before `first_day` belongs to no cadence sprint: `cadence_sprint` raises ValueError
saying so, and the caller reports it (usually a `first_day` set in the future). So does a time
whose sprint would end after the last day a calendar holds (year 9999, a date git accepts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.model import Sprint

_CADENCE_NAME = re.compile(r"sprint[ \t]{1,8}(\d{1,6})", re.I)


def _check_length(length_days: int) -> None:
    if length_days < 1:
        raise ValueError(f"a sprint must last at least one day, not {length_days}")


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    # fold=0 picks the earlier instant when midnight repeats and the transition instant when
    # midnight is skipped, the same instants `astimezone` maps to that calendar day.
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


_BEYOND_CALENDAR = "after the last sprint a calendar can hold (it ends in year 9999)"


def _numbered(number: int, *, first_day: date, length_days: int, tz: ZoneInfo) -> Sprint:
    """Sprint `number`; ValueError when its window does not fit in the calendar."""
    try:
        start_day = first_day + timedelta(days=(number - 1) * length_days)
        return Sprint(
            name=f"Sprint {number}",
            start=_local_midnight(start_day, tz),
            end=_local_midnight(start_day + timedelta(days=length_days), tz),
        )
    except OverflowError as exc:
        raise ValueError(f"Sprint {number} is {_BEYOND_CALENDAR}") from exc


def cadence_sprint(when: datetime, *, first_day: date, length_days: int, tz: ZoneInfo) -> Sprint:
    """The cadence sprint holding `when` (a timezone-aware datetime).

    Raises ValueError when `when` is naive, the length is below one day, `when` falls
    before 00:00 of `first_day` in `tz`, or its sprint would end after year 9999.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("a sprint can only be found for a timezone-aware time")
    _check_length(length_days)
    try:
        local_day = when.astimezone(tz).date()
    except OverflowError as exc:
        raise ValueError(f"{when.isoformat()} is {_BEYOND_CALENDAR}") from exc
    elapsed = (local_day - first_day).days
    if elapsed < 0:
        raise ValueError(
            f"{when.astimezone(tz).isoformat()} is before the first sprint, which starts on "
            f"{first_day.isoformat()} ({tz.key})"
        )
    number = elapsed // length_days + 1
    try:
        return _numbered(number, first_day=first_day, length_days=length_days, tz=tz)
    except ValueError as exc:
        raise ValueError(f"{when.isoformat()} is {_BEYOND_CALENDAR}") from exc


def sprint_by_name(name: str, *, first_day: date, length_days: int, tz: ZoneInfo) -> Sprint | None:
    """The cadence sprint called `name` (`Sprint 3`, case and spacing forgiven), else None."""
    _check_length(length_days)
    match = _CADENCE_NAME.fullmatch(name.strip())
    if match is None or int(match.group(1)) < 1:
        return None
    try:
        return _numbered(int(match.group(1)), first_day=first_day, length_days=length_days, tz=tz)
    except ValueError:
        return None


def sprint_for(when: datetime, sprints: Sequence[Sprint]) -> Sprint | None:
    """The sprint whose window holds `when`; when windows overlap, the one that started last.

    Among overlapping sprints with the same start the first listed wins. None when no window
    holds it.
    """
    holding = [sprint for sprint in sprints if sprint.holds(when)]
    if not holding:
        return None
    latest_start = max(sprint.start for sprint in holding)
    return next(sprint for sprint in holding if sprint.start == latest_start)
