"""One sync of a train as every entry point runs it: gather and record, attach, then the view.

The result says everything that happened, failures included, and raises only for what stops
the sync itself (the store, the configuration): the command line turns it into output and an
exit code, the scheduler into logs, Slack into an answer.

The view (one lean read of the current sprint) is built only for a caller that shows it: the
scheduled job reports counts and asks for none, so an idle cycle reads nothing it drops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.model import Sprint
from bot.errors import BotError, ServiceError
from bot.ports.calendar import SprintCalendar
from bot.services.approvals.follow_up import ApprovalFollowUps, FollowUp
from bot.services.sync.record import Progress, SyncOutcome, SyncService
from bot.services.tickets.attach import AttachResult, AttachService
from bot.services.views.status import TrainView, TrainViews


@dataclass(frozen=True, slots=True)
class TrainSyncResult:
    """What one sync of a train did (a dry run: would do), and the sprint as it now stands."""

    outcome: SyncOutcome
    shown: TrainView | None  # None: run without its view (`TrainSync.run(view=False)`)
    calendar_notices: list[str] = field(default_factory=list)
    attached: list[AttachResult] = field(default_factory=list)
    refused: ServiceError | None = None  # Jira refused the ticket: nothing was attached
    follow_ups: list[FollowUp] = field(default_factory=list)  # approvals' writes it finished

    @property
    def train(self) -> str:
        return self.outcome.train

    @property
    def view(self) -> TrainView:
        """The sprint as it now stands; only for a sync run with its view."""
        if self.shown is None:
            raise RuntimeError("this sync was run without its view (view=False)")
        return self.shown

    @property
    def dry_run(self) -> bool:
        return self.outcome.dry_run

    @property
    def new_count(self) -> int:
        """How many changes this sync recorded (would record) for the first time."""
        return len(self.outcome.new_ids)

    @property
    def failures(self) -> list[tuple[str, BotError]]:
        """The sources that could not be read, each with its error."""
        return list(self.outcome.failures)

    @property
    def attach_failure(self) -> BotError | None:
        """The first failed write to a Release Train ticket (left for the next sync)."""
        return next((r.failure for r in self.attached if r.failure is not None), None)

    @property
    def follow_up_failure(self) -> str | None:
        """Why an approval's writes are still owed after this sync (None when none are)."""
        return next((f.problem for f in self.follow_ups if not f.done and f.problem), None)

    @property
    def notices(self) -> list[str]:
        """What people should know, from the sources, the sprints and the tickets."""
        from_tickets = [notice for result in self.attached for notice in result.notices]
        return [*self.outcome.notices, *self.calendar_notices, *from_tickets, *self._finished()]

    def _finished(self) -> list[str]:
        return [
            f"finished what approving {f.draft.sprint} version {f.draft.version} owed"
            + (f" (the approved notes are on {f.ticket.key})" if f.ticket else "")
            for f in self.follow_ups
            if f.done
        ]

    @property
    def planned(self) -> list[str]:
        """The writes to the tickets a dry run would make (empty otherwise)."""
        if not self.dry_run:
            return []
        return [step for result in self.attached for step in result.planned]

    def messages(self) -> list[str]:
        """The notices and planned writes for people, in the order they arose."""
        lines = [*self.outcome.notices, *self.calendar_notices]
        for result in self.attached:
            lines.extend(result.notices)
            if self.dry_run:
                lines.extend(f"would {step}" for step in result.planned)
        return [*lines, *self._finished()]

    def error(self) -> BotError | None:
        """The failure that should decide how the run ends, None when all went well.

        Unread sources come first (their changes are missing from the report), then a refused
        ticket, then a write to a ticket that failed and waits for the next sync.
        """
        if self.outcome.failures:
            return _failed_sources(self.outcome.failures)
        if self.refused is not None:
            return self.refused
        failure = self.attach_failure
        if failure is not None:
            return type(failure)(
                "some writes to the Release Train ticket failed and wait for the next sync: "
                f"{failure}"
            )
        if self.follow_up_failure is not None:
            return ServiceError(
                f"an approval's writes wait for the next sync: {self.follow_up_failure}"
            )
        return None

    def failure_entries(self) -> list[dict[str, str]]:
        """Every failure as the JSON report lists it: what failed (a source's name, or the
        service) and one sentence."""
        entries = [{"source": name, "message": str(error)} for name, error in self.failures]
        for error in (self.refused, self.attach_failure):
            if error is not None:
                entries.append({"source": "jira", "message": str(error)})
        entries.extend(
            {"source": "jira", "message": f.problem}
            for f in self.follow_ups
            if not f.done and f.problem
        )
        return entries

    def report(self) -> dict[str, Any]:
        """The JSON report of `sync --json`: the view, then what this run noticed, what failed
        and (a dry run) the writes it would make."""
        report = self.view.report(dry_run=self.dry_run)
        report.update(notices=self.notices, failures=self.failure_entries(), planned=self.planned)
        return report


class TrainSync:
    """Syncs one train: its sources into the store, then its sprints onto their tickets."""

    def __init__(
        self,
        *,
        sync: Callable[[], SyncService],
        calendar: SprintCalendar,
        attach: Callable[[], AttachService | None],
        views: TrainViews,
        dry_run: bool,
        progress: Progress | None = None,
        follow_ups: Callable[[], ApprovalFollowUps] | None = None,
    ) -> None:
        # The sync and attach services are built on demand, in the order a sync needs them:
        # the attach service (and its Jira client) only once the changes are recorded.
        self._sync = sync
        self._calendar = calendar
        self._attach = attach
        self._views = views
        self._dry_run = dry_run
        self._progress = progress or (lambda _message: None)
        self._follow_ups = follow_ups

    def run(self, *, since: datetime | None = None, view: bool = True) -> TrainSyncResult:
        """Gather, record and attach; a failing source or ticket is reported, not raised.

        With `since`, every source is gathered again from that time (`sync --since`). Without
        `view`, the sprint's view is not read (the result's `view` then raises).
        """
        outcome = self._sync().run(dry_run=self._dry_run, since=since)
        calendar_notices = self._calendar.notices
        attached: list[AttachResult] = []
        refused: ServiceError | None = None
        try:
            self._attach_sprints(outcome, into=attached)
        except ServiceError as exc:
            # Jira refused the ticket (credentials, a hidden ticket): the changes are recorded
            # and stay queued for the next sync; what earlier sprints' tickets said is kept.
            refused = exc
        follow_ups = self._finish_approvals() if refused is None else []
        shown = self._views.read(extra=outcome.recorded, new_ids=outcome.new_ids) if view else None
        return TrainSyncResult(
            outcome=outcome,
            shown=shown,
            calendar_notices=calendar_notices,
            attached=attached,
            refused=refused,
            follow_ups=follow_ups,
        )

    def _finish_approvals(self) -> list[FollowUp]:
        """What approvals still owe (a stop, a failure or a lost answer left it), once each."""
        if self._dry_run or self._follow_ups is None:
            return []
        return self._follow_ups().complete_pending()

    def _attach_sprints(self, outcome: SyncOutcome, *, into: list[AttachResult]) -> None:
        """Keep the Release Train ticket of every sprint that got changes, and the current one's."""
        attach = self._attach()
        if attach is None:
            return
        current = self._calendar.current()
        for sprint in self._sprints_to_attach(outcome, current):
            self._progress(f"attaching {sprint.name} to its Release Train ticket")
            into.append(
                attach.run(
                    sprint=sprint,
                    dry_run=self._dry_run,
                    current=sprint == current,
                    pending=outcome.recorded if self._dry_run else (),
                )
            )

    def _sprints_to_attach(self, outcome: SyncOutcome, current: Sprint | None) -> list[Sprint]:
        """The sprints that got new changes (by name), then the current sprint."""
        got = {rc.sprint for rc in outcome.recorded if rc.change.id in outcome.new_ids}
        names = sorted(got - ({current.name} if current else set()))
        wanted = [s for s in (self._calendar.by_name(n) for n in names) if s is not None]
        if current is not None:
            wanted.append(current)
        return wanted


def _failed_sources(failures: list[tuple[str, BotError]]) -> BotError:
    """One error for every source that could not be read; the others were recorded."""
    first = failures[0][1]
    worst = max(failures, key=lambda failure: failure[1].exit_code)[1]
    names = ", ".join(name for name, _ in failures)
    return type(worst)(
        f"{len(failures)} source(s) could not be read ({names}); the others were synced. "
        f"First: {first}"
    )
