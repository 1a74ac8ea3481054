"""Sprint windows from a Jira board, cached in the store so an idle sync does not read the board.

The board's active and closed sprints are read once per calendar (one per sync) and only when the
cache cannot answer: the saved sprints are used while one of them, saved as active, holds the
current time in its planned window; otherwise the board is read again and what changed is saved.
A sprint closed before its planned end is therefore seen when that end passes.

Windows: a closed sprint runs from its start to its completion; an active sprint holds every time
from its start on (its planned end is only a plan: until it is closed, Jira counts merges after
that end in it too, and its completion comes later still). When windows overlap, the sprint that
started last holds the time; among sprints that started together, the lowest id.

The current sprint is the active one holding now, chosen the same way; when several hold now a
notice names them and the choice. With no active sprint there is no current sprint and a notice
says so: changes merged in a closed sprint's window are still placed, the others wait.
`may_place_later` tells the sync which unplaced times a sprint may still claim (those after every
known sprint), so it can keep such a change for a later sync instead of dropping it;
`open_since` is where a first sync starts when there is no current sprint.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.model import Sprint
from bot.ports.clock import Clock
from bot.ports.store import Sprints
from bot.ports.tracker import IssueTracker

_STATES = ("active", "closed")


class JiraCalendar:
    """A SprintCalendar over one Jira board."""

    def __init__(
        self,
        *,
        tracker: IssueTracker,
        store: Sprints,
        train: str,
        board_id: int,
        clock: Clock,
        dry_run: bool = False,
    ) -> None:
        self._tracker = tracker
        self._store = store
        self._train = train
        self._board_id = board_id
        self._clock = clock
        self._dry_run = dry_run  # a dry run keeps what it reads in memory only
        self._sprints: list[Sprint] | None = None
        self._read_board = False
        self._notices: list[str] = []

    @property
    def notices(self) -> list[str]:
        """What people should know about the board (several active sprints, or none)."""
        self._windows()
        return list(self._notices)

    @property
    def board_reads(self) -> int:
        """How many times this calendar read the board (0 or 1)."""
        return int(self._read_board)

    def sprint_for(self, when: datetime) -> Sprint | None:
        """The sprint holding `when`; None when no known sprint does."""
        return _holder(when, self._windows())

    def current(self) -> Sprint | None:
        """The active sprint holding now; None when the board has no active sprint."""
        return _holder(self._clock.now(), [s for s in self._windows() if s.state == "active"])

    def by_name(self, name: str) -> Sprint | None:
        """The board's sprint called `name` (case forgiven), read from the board if not saved."""
        found = _named(name, self._windows())
        if found is None and not self._read_board:
            self._sprints = self._load_board(self._sprints or [])
            found = _named(name, self._sprints)
        return found

    def may_place_later(self, when: datetime) -> bool:
        """Whether a time no sprint holds may still be claimed by a sprint not started yet.

        True when `when` is after the start of every known sprint (and none holds it): the next
        sprint may begin before it. A time in a gap between known sprints stays unplaced.
        """
        sprints = self._windows()
        return _holder(when, sprints) is None and all(s.start <= when for s in sprints)

    def open_since(self) -> datetime:
        """Where changes not yet in a sprint begin: the current sprint's start, else the end of
        the latest known sprint, else now."""
        current = self.current()
        if current is not None:
            return current.start
        return max((s.end for s in self._windows()), default=self._clock.now())

    def _windows(self) -> list[Sprint]:
        if self._sprints is None:
            cached = self._store.list_sprints(train=self._train)
            now = self._clock.now()
            fresh = any(s.state == "active" and s.start <= now < s.end for s in cached)
            self._sprints = cached if fresh else self._load_board(cached)
            self._notices = self._notice_for(now)
        return self._sprints

    def _load_board(self, cached: Sequence[Sprint]) -> list[Sprint]:
        self._read_board = True
        board = self._tracker.board_sprints(board_id=self._board_id, states=_STATES)
        known = {s.name: s for s in cached}
        for sprint in board:
            if known.get(sprint.name) != sprint and not self._dry_run:
                self._store.save_sprint(train=self._train, sprint=sprint)
        # A sprint renamed on the board is still saved under its old name too; the board wins.
        on_board = {s.id for s in board if s.id}
        merged = {name: s for name, s in known.items() if s.id not in on_board}
        merged.update((s.name, s) for s in board)
        return sorted(merged.values(), key=lambda s: (s.start, s.name))

    def _notice_for(self, now: datetime) -> list[str]:
        holding = [s for s in self._sprints or [] if s.state == "active" and s.start <= now]
        if not holding:
            return [
                f"board {self._board_id} has no active sprint: changes merged since its last "
                "sprint ended wait for the next one"
            ]
        if len(holding) == 1:
            return []
        chosen = _holder(now, holding)
        names = ", ".join(f"'{s.name}'" for s in holding)
        return [
            f"board {self._board_id} has {len(holding)} active sprints ({names}); using "
            f"'{chosen.name if chosen else ''}', the one that started last (lowest id on a tie)"
        ]


def _holds(sprint: Sprint, when: datetime) -> bool:
    if sprint.state == "active":
        return sprint.start <= when
    return sprint.holds(when)


def _holder(when: datetime, sprints: Sequence[Sprint]) -> Sprint | None:
    """The sprint holding `when` that started last; the lowest id among equal starts."""
    holding = [s for s in sprints if _holds(s, when)]
    if not holding:
        return None
    return min(holding, key=lambda s: (-s.start.timestamp(), _id_order(s)))


def _id_order(sprint: Sprint) -> tuple[int, int, str]:
    sprint_id = sprint.id or ""
    if sprint_id.isdigit():
        return (0, int(sprint_id), sprint_id)
    return (1, 0, sprint_id or sprint.name)


def _named(name: str, sprints: Sequence[Sprint]) -> Sprint | None:
    wanted = " ".join(name.split()).casefold()
    matches = [s for s in sprints if " ".join(s.name.split()).casefold() == wanted]
    exact = [s for s in matches if s.name == name]
    return next(iter(exact or matches), None)
