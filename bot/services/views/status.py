"""The state of one sprint of a train (`status`, `sync`'s report, App Home, the digest read it).

A read costs one lean query of the sprint's changes and one of its draft; the sprint itself
comes from the calendar (a Jira board is read only when the store cannot answer).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.domain.model import DraftState, RecordedChange, Sprint
from bot.errors import ConfigError
from bot.ports.calendar import SprintCalendar
from bot.ports.store import ChangeLog, Drafts, Sprints
from bot.services.views.report import build_report

TicketLink = Callable[[str], str]
LATEST = "latest"  # `--sprint latest`: the sprint holding the latest recorded change


@dataclass(frozen=True, slots=True)
class TrainView:
    """One sprint of one train: its changes and draft state."""

    train: str
    tz: ZoneInfo
    sprint: Sprint | None
    changes: list[RecordedChange]
    draft: DraftState
    ticket: dict[str, str] | None = None
    tracked: bool = False  # whether the train keeps a Jira ticket at all
    notices: tuple[str, ...] = ()  # what the sprints' source (a Jira board) had to say
    latest: str | None = None  # an empty sprint's pointer: the latest sprint holding changes

    def empty_hint(self, command: str) -> str | None:
        """For an empty sprint, where the changes are and the command that shows them."""
        if self.changes or self.sprint is None:
            return None
        empty = f"{self.sprint.name} has no changes recorded yet"
        if self.latest is None:
            return f"{empty}: release-train sync gathers them"
        return (
            f"{empty}; the latest sprint with changes is {self.latest}: "
            f"release-train {command} --sprint latest"
        )

    def report(self, *, dry_run: bool) -> dict[str, Any]:
        """The JSON report of `sync --json` and `status --json` (a read has no failures and
        plans no writes)."""
        report = build_report(
            train=self.train,
            sprint=self.sprint,
            ticket=self.ticket,
            changes=self.changes,
            draft=self.draft,
            dry_run=dry_run,
        )
        hint = self.empty_hint("status")
        report.update(notices=[*self.notices, *([hint] if hint else [])], failures=[], planned=[])
        return report


class TrainViews:
    """Reads a train's sprints as people and reports see them."""

    def __init__(
        self,
        *,
        train: str,
        tz: ZoneInfo,
        store: _ViewStore,
        calendar: SprintCalendar,
        ticket_link: TicketLink | None,
    ) -> None:
        self._train = train
        self._tz = tz
        self._store = store
        self._calendar = calendar
        self._ticket_link = ticket_link  # None: the train keeps no Jira ticket

    def sprint(self, name: str | None) -> Sprint | None:
        """The named sprint, `latest` (the one holding the latest recorded change), or the
        current one (None when no sprint holds today)."""
        if name is None:
            return self._calendar.current()
        if name.strip().lower() == LATEST:
            latest = self._store.latest_sprint(train=self._train)
            if latest is None:
                raise ConfigError(
                    f"--sprint latest: train '{self._train}' has no recorded changes yet; "
                    "run release-train sync"
                )
            name = latest
        sprint = self._calendar.by_name(name)
        if sprint is None:
            raise ConfigError(f"--sprint: no sprint named '{name}' in train '{self._train}'")
        return sprint

    def read(
        self,
        *,
        sprint_name: str | None = None,
        extra: Sequence[RecordedChange] = (),
        new_ids: Collection[str] = (),
    ) -> TrainView:
        """The sprint's recorded changes, plus `extra` ones not yet recorded (a dry run's)."""
        sprint = self.sprint(sprint_name)
        notices = tuple(self._calendar.notices)
        if sprint is None:
            return TrainView(self._train, self._tz, None, [], DraftState(), notices=notices)
        # Nothing here reads what a change brought (files, messages, body): a lean read suffices.
        changes = self._store.changes_for_sprint(
            train=self._train, sprint=sprint.name, details=False
        )
        if extra or new_ids:
            changes = _merged(changes, sprint=sprint.name, extra=extra, new_ids=new_ids)
        latest = None if changes else self._store.latest_sprint(train=self._train)
        return TrainView(
            self._train,
            self._tz,
            sprint,
            changes,
            self._store.draft_state(train=self._train, sprint=sprint.name),
            self._ticket(sprint),
            tracked=self._ticket_link is not None,
            notices=notices,
            latest=None if latest == sprint.name else latest,
        )

    def _ticket(self, sprint: Sprint) -> dict[str, str] | None:
        """The sprint's remembered Release Train ticket (no Jira request)."""
        if self._ticket_link is None:
            return None
        key = self._store.get_ticket_key(train=self._train, sprint=sprint)
        return None if key is None else {"key": key, "url": self._ticket_link(key)}


def _merged(
    recorded: list[RecordedChange],
    *,
    sprint: str,
    extra: Sequence[RecordedChange],
    new_ids: Collection[str],
) -> list[RecordedChange]:
    """The recorded changes with the sprint's unrecorded `extra` ones, marked new by id."""
    seen = {rc.change.id for rc in recorded}
    pending = [rc for rc in extra if rc.sprint == sprint and rc.change.id not in seen]
    merged = sorted([*recorded, *pending], key=lambda rc: (rc.change.merged_at, rc.change.id))
    return [replace(rc, new=rc.change.id in new_ids) for rc in merged]


class _ViewStore(ChangeLog, Drafts, Sprints, Protocol):
    """The store roles a view reads: the changes, the draft state, the remembered ticket."""
