"""Sprint windows from a Jira board, cached in the real store; the board read only when needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.store import SqlStore
from bot.domain.model import Sprint
from bot.services.sprints.board import JiraCalendar
from tests.fakes.clock import FakeClock
from tests.fakes.memory_tracker import MemoryTracker

TRAIN = "payments"
BOARD = 7
T0 = datetime(2026, 11, 2, tzinfo=UTC)
DAY = timedelta(days=1)


def sprint(n: int, *, state: str, start: int | None = None, days: int = 14) -> Sprint:
    begins = T0 + (start if start is not None else 14 * n) * DAY
    return Sprint(name=f"Sprint {n}", start=begins, end=begins + days * DAY, id=str(n), state=state)


def calendar(
    store: SqlStore, tracker: MemoryTracker, now: datetime, *, dry_run: bool = False
) -> JiraCalendar:
    return JiraCalendar(
        tracker=tracker,
        store=store,
        train=TRAIN,
        board_id=BOARD,
        clock=FakeClock(now),
        dry_run=dry_run,
    )


@pytest.fixture
def tracker() -> MemoryTracker:
    fake = MemoryTracker()
    fake.boards[BOARD] = [sprint(0, state="closed"), sprint(1, state="active")]
    return fake


def test_an_idle_sync_does_not_read_the_board_while_its_sprint_runs(
    store: SqlStore, tracker: MemoryTracker
) -> None:
    first = calendar(store, tracker, T0 + 15 * DAY)
    assert first.current() == sprint(1, state="active")

    later = calendar(store, tracker, T0 + 20 * DAY)

    assert later.sprint_for(T0 + 3 * DAY) == sprint(0, state="closed")
    assert later.current() == sprint(1, state="active")
    assert len(tracker.calls("board_sprints")) == 1
    assert tracker.calls("board_sprints")[0]["states"] == ("active", "closed")
    assert (first.board_reads, later.board_reads) == (1, 0)


def test_the_board_is_read_again_once_the_saved_sprint_has_ended(
    store: SqlStore, tracker: MemoryTracker
) -> None:
    calendar(store, tracker, T0 + 15 * DAY).current()
    tracker.boards[BOARD] = [
        sprint(0, state="closed"),
        sprint(1, state="closed"),
        sprint(2, state="active"),
    ]

    next_sprint = calendar(store, tracker, T0 + 29 * DAY)

    assert next_sprint.current() == sprint(2, state="active")
    assert len(tracker.calls("board_sprints")) == 2
    assert store.list_sprints(train=TRAIN) == tracker.boards[BOARD]


def test_an_active_sprint_past_its_planned_end_still_holds_new_merges(
    store: SqlStore, tracker: MemoryTracker
) -> None:
    overdue = calendar(store, tracker, T0 + 30 * DAY)

    assert overdue.current() == sprint(1, state="active")
    assert overdue.sprint_for(T0 + 29 * DAY) == sprint(1, state="active")
    assert overdue.notices == []


@pytest.mark.parametrize(
    ("sprints", "chosen"),
    [
        ([sprint(1, state="active"), sprint(2, state="active", start=16)], "Sprint 2"),
        ([sprint(10, state="active", start=14), sprint(9, state="active", start=14)], "Sprint 9"),
    ],
    ids=["the-later-start", "the-lower-id-on-a-tie"],
)
def test_of_several_active_sprints_one_is_chosen_and_named(
    store: SqlStore, tracker: MemoryTracker, sprints: list[Sprint], chosen: str
) -> None:
    tracker.boards[BOARD] = sprints

    board = calendar(store, tracker, T0 + 17 * DAY)

    current = board.current()
    assert current is not None and current.name == chosen
    (notice,) = board.notices
    assert f"board {BOARD} has 2 active sprints" in notice
    assert f"using '{chosen}'" in notice


def test_without_an_active_sprint_closed_windows_still_place_changes(
    store: SqlStore, tracker: MemoryTracker
) -> None:
    tracker.boards[BOARD] = [sprint(0, state="closed"), sprint(1, state="closed", days=10)]
    gap_start = T0 + 24 * DAY  # sprint 1 closed after ten days
    board = calendar(store, tracker, T0 + 26 * DAY)

    assert board.current() is None
    assert board.notices == [
        f"board {BOARD} has no active sprint: changes merged since its last sprint ended wait "
        "for the next one"
    ]
    assert board.sprint_for(T0 + 20 * DAY) == sprint(1, state="closed", days=10)
    assert board.sprint_for(gap_start + DAY) is None
    assert board.may_place_later(gap_start + DAY)
    assert board.open_since() == gap_start


def test_a_gap_between_known_sprints_is_not_waited_for(
    store: SqlStore, tracker: MemoryTracker
) -> None:
    tracker.boards[BOARD] = [sprint(0, state="closed", days=10), sprint(1, state="active")]
    board = calendar(store, tracker, T0 + 15 * DAY)

    assert board.sprint_for(T0 + 12 * DAY) is None
    assert not board.may_place_later(T0 + 12 * DAY)
    assert not board.may_place_later(T0 - DAY)
    assert board.open_since() == T0 + 14 * DAY


def test_a_sprint_is_found_by_name_and_read_from_the_board_when_not_saved(
    store: SqlStore, tracker: MemoryTracker
) -> None:
    calendar(store, tracker, T0 + 15 * DAY).current()
    tracker.boards[BOARD].append(sprint(5, state="closed", start=-60))
    board = calendar(store, tracker, T0 + 16 * DAY)

    assert board.by_name("sprint  1") == sprint(1, state="active")
    assert len(tracker.calls("board_sprints")) == 1
    assert board.by_name("Sprint 5") == sprint(5, state="closed", start=-60)
    assert board.by_name("Sprint 99") is None
    assert len(tracker.calls("board_sprints")) == 2


def test_a_dry_run_reads_the_board_but_saves_nothing(
    store: SqlStore, tracker: MemoryTracker
) -> None:
    board = calendar(store, tracker, T0 + 15 * DAY, dry_run=True)

    assert board.current() == sprint(1, state="active")
    assert store.list_sprints(train=TRAIN) == []


def test_a_sprint_renamed_on_the_board_is_known_by_its_new_name(
    store: SqlStore, tracker: MemoryTracker
) -> None:
    calendar(store, tracker, T0 + 15 * DAY).current()
    renamed = Sprint(
        name="Sprint 1: payments",
        start=sprint(1, state="active").start,
        end=sprint(1, state="active").end,
        id="1",
        state="active",
    )
    tracker.boards[BOARD] = [sprint(0, state="closed"), renamed]

    board = calendar(store, tracker, T0 + 29 * DAY)

    assert board.current() == renamed
    assert board.by_name("Sprint 1") is None
