"""A train's runtime: its store, clients and services, each built on first use, closed together.

A command pays only for what it touches: `status` never builds a source, and no HTTP client
exists until a source or Jira needs one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from bot.bootstrap.builders import (
    build_attach,
    build_policy,
    build_renderer,
    build_source,
    cadence_calendar,
    open_store,
    source_since,
    ticket_url,
)
from bot.bootstrap.clients import Clients, SystemClock

if TYPE_CHECKING:
    from bot.domain.policy import PolicyConfig
    from bot.ports.calendar import SprintCalendar
    from bot.ports.render import Renderer
    from bot.ports.store import Store
    from bot.services.approvals.drafts import DraftMessages
    from bot.services.approvals.follow_up import ApprovalFollowUps
    from bot.services.explain import ExplainChange
    from bot.services.notes.render import SprintNotes
    from bot.services.sync.record import Progress, SyncService
    from bot.services.sync.train import TrainSync
    from bot.services.tickets.attach import AttachService
    from bot.services.views.status import TrainViews
    from bot.settings import Settings, TrainSettings


@contextmanager
def open_train(
    settings: Settings,
    train: TrainSettings,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    read_only: bool = False,
) -> Iterator[TrainRuntime]:
    """The runtime of one train; its store and clients are closed when the block ends.

    `dry_run` writes nothing anywhere (a store that does not exist yet reads as an empty one);
    `read_only` is for commands that only look (`status`, `notes`, `explain`): the store is
    opened read-only and never created (a missing one is an error naming `sync`), and what
    Jira's board says is not saved.
    """
    runtime = TrainRuntime(
        settings=settings,
        train=train,
        store=open_store(settings, dry_run=dry_run, read_only=read_only and not dry_run),
        clients=Clients(settings),
        dry_run=dry_run,
        read_only=read_only,
        progress=progress,
    )
    try:
        yield runtime
    finally:
        runtime.close()


class TrainRuntime:
    """One train's store, clients and services; the services are built on first use."""

    def __init__(
        self,
        *,
        settings: Settings,
        train: TrainSettings,
        store: Store,
        clients: Clients,
        dry_run: bool,
        read_only: bool = False,
        progress: Progress | None = None,
        calendar_store: Store | None = None,
    ) -> None:
        self.settings = settings
        self.train = train
        self.store = store
        self.clients = clients
        self.dry_run = dry_run
        self.clock = SystemClock()
        self._looks_only = dry_run or read_only
        self._progress = progress
        # Checks read the board afresh through a scratch store of their own.
        self._calendar_store = calendar_store

    @cached_property
    def calendar(self) -> SprintCalendar:
        """Where the train's sprint windows come from: its Jira board, or a fixed cadence."""
        board_id = self.train.sprint.board_id
        if board_id is None:
            return cadence_calendar(self.train)
        from bot.services.sprints.board import JiraCalendar

        return JiraCalendar(
            tracker=self.clients.jira(),
            store=self._calendar_store or self.store,
            train=self.train.name,
            board_id=board_id,
            clock=self.clock,
            dry_run=self._looks_only,
        )

    @cached_property
    def policy(self) -> PolicyConfig:
        """The release policy the train's changes are classified by."""
        return build_policy(self.settings.policy)

    @cached_property
    def sync(self) -> SyncService:
        """The sync service, wired to the train's sources, sprints and store."""
        from bot.services.sync.record import SourceSpec, SyncService

        start = self.calendar.open_since()
        specs = [
            SourceSpec(
                source=build_source(self.settings, self.train, src, self.clients),
                since=source_since(src, self.train, start),
            )
            for src in self.train.sources
        ]
        return SyncService(
            train=self.train.name,
            store=self.store,
            sources=specs,
            calendar=self.calendar,
            policy=self.policy,
            clock=self.clock,
            progress=self._progress,
        )

    @cached_property
    def attach(self) -> AttachService | None:
        """The service that keeps the sprints' Release Train tickets; None without a ticket."""
        return build_attach(self.settings, self.train, store=self.store, clients=self.clients)

    @cached_property
    def renderer(self) -> Renderer:
        """The release-notes renderer, over the user's templates when configured."""
        return build_renderer(self.settings)

    @cached_property
    def views(self) -> TrainViews:
        """Reads the train's sprints as `status`, the reports and Slack show them."""
        from bot.services.views.status import TrainViews

        settings = self.settings
        tracked = settings.jira is not None and self.train.ticket is not None
        return TrainViews(
            train=self.train.name,
            tz=self.train.tz,
            store=self.store,
            calendar=self.calendar,
            ticket_link=(lambda key: ticket_url(settings, key)) if tracked else None,
        )

    @cached_property
    def train_sync(self) -> TrainSync:
        """One sync of the train: its sources, its tickets, then the view."""
        from bot.services.sync.train import TrainSync

        return TrainSync(
            sync=lambda: self.sync,
            calendar=self.calendar,
            attach=lambda: self.attach,
            views=self.views,
            dry_run=self.dry_run,
            progress=self._progress,
            follow_ups=lambda: self.follow_ups(self._decision_messages()),
        )

    def _decision_messages(self) -> DraftMessages | None:
        """The draft messages a sync updates once it finishes an approval (with Slack only)."""
        slack = self.settings.slack
        if slack is None:
            return None
        from bot.bootstrap.slack import build_notifier
        from bot.services.approvals.drafts import DraftMessages
        from bot.slack_app.draft_blocks import BlockKitComposer

        return DraftMessages(
            chat=build_notifier(self.settings),
            composer=BlockKitComposer(command=slack.command),
            changes=self.store,
            tz=self.train.tz,
        )

    def follow_ups(self, messages: DraftMessages | None) -> ApprovalFollowUps:
        """What approving the train's drafts owes (Jira, then the message), done once each;
        `messages` shows the outcome on the draft's Slack message (None: Slack is not used)."""
        from bot.services.approvals.follow_up import ApprovalFollowUps, ApprovedNotesWriter

        settings, train = self.settings, self.train
        tracked = settings.jira is not None and train.ticket is not None
        writer = (
            ApprovedNotesWriter(train=train.name, tracker=self.clients.jira(), ledger=self.store)
            if tracked
            else None
        )
        return ApprovalFollowUps(
            train=train.name,
            tz=train.tz,
            store=self.store,
            writer=writer,
            ticket_link=(lambda key: ticket_url(settings, key)) if tracked else None,
            show=messages.show_decision if messages is not None else None,
        )

    @cached_property
    def notes(self) -> SprintNotes:
        """The train's release notes, per sprint."""
        from bot.services.notes.render import SprintNotes

        return SprintNotes(train=self.train.name, views=self.views, renderer=lambda: self.renderer)

    @cached_property
    def explainer(self) -> ExplainChange:
        """Why a recorded change of the train got its release class."""
        from bot.services.explain import ExplainChange

        return ExplainChange(train=self.train.name, store=self.store, policy=self.policy)

    def close(self, *, keep_clients: bool = False) -> None:
        """Close the store (and the calendar's own) and, unless they are shared, the clients."""
        try:
            if not keep_clients:
                self.clients.close()
        finally:
            self.store.close()
            if self._calendar_store is not None:
                self._calendar_store.close()
