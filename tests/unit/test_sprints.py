"""Cadence sprints in a train's timezone, lookup by name, and explicit sprint windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.model import Sprint
from bot.domain.sprints import cadence_sprint, sprint_by_name, sprint_for

BERLIN = ZoneInfo("Europe/Berlin")
FIRST = date(2026, 3, 16)  # a Monday; summer time starts on Sunday 2026-03-29


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _sprint(when: datetime) -> Sprint:
    return cadence_sprint(when, first_day=FIRST, length_days=14, tz=BERLIN)


@pytest.mark.parametrize(
    ("when", "name"),
    [
        (_utc(2026, 3, 15, 23, 0), "Sprint 1"),  # 00:00 in Berlin on the first day
        (_utc(2026, 3, 20, 12, 0), "Sprint 1"),
        (_utc(2026, 3, 29, 21, 59, 59), "Sprint 1"),  # 23:59:59 summer time, last day
        (_utc(2026, 3, 29, 22, 0), "Sprint 2"),  # 00:00 summer time
        (_utc(2026, 10, 25, 22, 59), "Sprint 16"),  # 23:59 winter time, last day
        (_utc(2026, 10, 25, 23, 0), "Sprint 17"),
        (datetime(2026, 3, 16, 0, 0, tzinfo=BERLIN), "Sprint 1"),
        (_utc(2030, 1, 1), "Sprint 100"),  # 1,387 days after the first day
    ],
)
def test_cadence_sprints_are_numbered_from_the_first_day(when: datetime, name: str) -> None:
    sprint = _sprint(when)
    assert sprint.name == name
    assert sprint.holds(when)


def test_sprint_starts_at_local_midnight_across_spring_forward() -> None:
    first, second = _sprint(_utc(2026, 3, 20)), _sprint(_utc(2026, 4, 1))
    assert first.start == _utc(2026, 3, 15, 23, 0)  # CET, UTC+1
    assert first.end == _utc(2026, 3, 29, 22, 0)  # CEST, UTC+2
    assert first.end - first.start == timedelta(days=14) - timedelta(hours=1)
    assert second.start == first.end
    assert second.end - second.start == timedelta(days=14)


def test_sprint_across_fall_back_is_an_hour_longer() -> None:
    sprint = _sprint(_utc(2026, 10, 20))
    assert sprint.name == "Sprint 16"
    assert sprint.start == _utc(2026, 10, 11, 22, 0)
    assert sprint.end == _utc(2026, 10, 25, 23, 0)
    assert sprint.end - sprint.start == timedelta(days=14, hours=1)


def test_sprint_windows_are_utc() -> None:
    sprint = _sprint(_utc(2026, 5, 1))
    assert sprint.start.tzinfo is UTC
    assert sprint.end.tzinfo is UTC
    assert sprint.id is None


def test_time_before_the_first_day_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match=r"before the first sprint, which starts on 2026-03-16"):
        _sprint(_utc(2026, 3, 15, 22, 59))  # 23:59 on the day before, in Berlin


@pytest.mark.parametrize(
    ("when", "length", "message"),
    [
        (datetime(2026, 4, 1, 12, 0), 14, "timezone-aware"),
        (_utc(2026, 4, 1), 0, "at least one day"),
    ],
)
def test_unusable_arguments_are_refused(when: datetime, length: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cadence_sprint(when, first_day=FIRST, length_days=length, tz=BERLIN)


@pytest.mark.parametrize("name", ["Sprint 2", "sprint 2", "  SPRINT   2 "])
def test_sprint_is_found_by_name(name: str) -> None:
    found = sprint_by_name(name, first_day=FIRST, length_days=14, tz=BERLIN)
    assert found == _sprint(_utc(2026, 4, 1))


@pytest.mark.parametrize("name", ["Sprint 0", "Sprint two", "Release 2", "Sprint 2b", ""])
def test_unknown_sprint_names_give_none(name: str) -> None:
    assert sprint_by_name(name, first_day=FIRST, length_days=14, tz=BERLIN) is None


_JIRA = [
    Sprint(name="PAY 41", start=_utc(2026, 11, 2), end=_utc(2026, 11, 16), id="41"),
    Sprint(name="PAY 42", start=_utc(2026, 11, 16), end=_utc(2026, 11, 30), id="42"),
    Sprint(name="Hotfix", start=_utc(2026, 11, 20), end=_utc(2026, 11, 23), id="50"),
]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (_utc(2026, 11, 10), "PAY 41"),
        (_utc(2026, 11, 16), "PAY 42"),  # a window's end belongs to the next one
        (_utc(2026, 11, 21), "Hotfix"),  # overlapping: the one that started last
        (_utc(2026, 11, 23), "PAY 42"),
        (_utc(2026, 12, 1), None),
        (_utc(2026, 1, 1), None),
    ],
)
def test_explicit_windows_are_searched(when: datetime, expected: str | None) -> None:
    found = sprint_for(when, _JIRA)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    "when",
    [
        _utc(9999, 12, 31, 12, 0),  # a date git accepts: its sprint would end after year 9999
        datetime.max.replace(tzinfo=UTC),
        datetime(9999, 12, 31, 23, 0, tzinfo=ZoneInfo("Pacific/Kiritimati")),
    ],
)
def test_a_time_whose_sprint_a_calendar_cannot_hold_is_in_no_sprint(when: datetime) -> None:
    with pytest.raises(ValueError, match="after the last sprint a calendar can hold"):
        cadence_sprint(when, first_day=FIRST, length_days=14, tz=ZoneInfo("Pacific/Kiritimati"))
    with pytest.raises(ValueError, match="after the last sprint a calendar can hold"):
        _sprint(when)


def test_a_sprint_number_past_the_calendars_end_names_no_sprint() -> None:
    assert sprint_by_name("Sprint 999999", first_day=FIRST, length_days=14, tz=BERLIN) is None
    last = _sprint(_utc(9999, 11, 1))
    assert sprint_by_name(last.name, first_day=FIRST, length_days=14, tz=BERLIN) == last
