"""A train's runtime: its store, clients and use-cases, each built on first use, closed together.

`open_train` is the only way to get one. A command pays only for what it touches: `status` never
builds a source, and no HTTP client exists until a source, Jira or Slack needs one. A store
passed in (the Slack app's shared one, a check's) is used and left open; one opened here is
closed with the runtime.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from functools import cached_property
from typing import TYPE_CHECKING

from bot.bootstrap.build import (
    build_notifier,
    build_renderer,
    build_source,
    cadence_calendar,
    open_store,
    source_since,
    ticket_url,
)
from bot.bootstrap.clients import Clients, SystemClock
from bot.errors import ConfigError

# Seconds a Jira call answering a person may spend waiting out throttling and outages.
INTERACTIVE_JIRA_BUDGET = 10.0

if TYPE_CHECKING:
    from bot.domain.policy import PolicyConfig
    from bot.ports.calendar import SprintCalendar
    from bot.ports.chat import ChatNotifier
    from bot.ports.progress import SyncProgress
    from bot.ports.render import Renderer
    from bot.ports.store import Store
    from bot.services.approvals.decide import ApprovalService
    from bot.services.approvals.drafts import DraftMessages, DraftService
    from bot.services.approvals.follow_up import ApprovalFollowUps
    from bot.services.digest import DigestService
    from bot.services.explain import ExplainChange
    from bot.services.notes.render import SprintNotes
    from bot.services.sync.record import SyncService
    from bot.services.sync.train import TrainSync
    from bot.services.tickets.attach import AttachService
    from bot.services.views.status import TrainViews
    from bot.settings import Settings, TrainSettings
    from bot.slack_app.draft_blocks import BlockKitComposer


@contextmanager
def open_train(
    settings: Settings,
    train: TrainSettings,
    *,
    dry_run: bool = False,
    read_only: bool = False,
    progress: SyncProgress | None = None,
    store: Store | None = None,
    calendar_store: Store | None = None,
    chat: ChatNotifier | None = None,
    interactive: bool = False,
) -> Iterator[TrainRuntime]:
    """The runtime of one train; what it opened is closed when the block ends.

    `dry_run` writes nothing anywhere (a store that does not exist yet reads as an empty one);
    `read_only` is for commands that only look (`status`, `notes`, `explain`): the store is
    opened read-only and never created (a missing one is an error naming `sync`), and what
    Jira's board says is not saved. `store` is a store shared with others, used as it is and
    left open; `calendar_store` one the calendar alone uses (a check reads the board afresh);
    `chat` a Slack client shared with others (else one is built when Slack is first used).
    `interactive`: a person waits for the answer (Slack), so Jira gets a short retry budget;
    what it leaves undone is finished by the next sync. `progress` hears what each source
    reads and the sync's steps (a terminal's status line; nothing is logged of it).
    """
    owned = store is None
    runtime = TrainRuntime(
        settings=settings,
        train=train,
        store=store or open_store(settings, dry_run=dry_run, read_only=read_only and not dry_run),
        dry_run=dry_run,
        read_only=read_only,
        progress=progress,
        calendar_store=calendar_store,
        chat=chat,
        clients=Clients(
            settings, jira_retry_budget=INTERACTIVE_JIRA_BUDGET if interactive else None
        ),
    )
    try:
        yield runtime
    finally:
        runtime.close(keep_store=not owned)


class TrainRuntime:
    """One train's store, clients and use-cases; each use-case is built on first use."""

    def __init__(
        self,
        *,
        settings: Settings,
        train: TrainSettings,
        store: Store,
        dry_run: bool,
        read_only: bool,
        progress: SyncProgress | None,
        calendar_store: Store | None,
        chat: ChatNotifier | None,
        clients: Clients,
    ) -> None:
        self.settings = settings
        self.train = train
        self.store = store
        self.clients = clients
        self.dry_run = dry_run
        self.clock = SystemClock()
        self._looks_only = dry_run or read_only
        self._progress = progress
        self._calendar_store = calendar_store
        self._chat = chat

    @property
    def tracked(self) -> bool:
        """Whether the train keeps a Release Train ticket in Jira."""
        return self.settings.jira is not None and self.train.ticket is not None

    def _ticket_link(self, key: str) -> str:
        return ticket_url(self.settings, key)

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
        return self.settings.policy.config()

    @cached_property
    def sync(self) -> SyncService:
        """Gathers, classifies and records the train's sources."""
        from bot.services.sync.record import SourceSpec, SyncService

        start = self.calendar.open_since()
        specs = [
            SourceSpec(
                source=build_source(self.settings, src, self.clients, progress=self._progress),
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
        """Keeps the sprints' Release Train tickets; None without a ticket."""
        ticket = self.train.ticket
        if ticket is None or self.settings.jira is None:
            return None
        from bot.services.tickets.attach import AttachService
        from bot.services.tickets.find import TicketRules, TicketService

        rules = TicketRules(
            jql=ticket.jql,
            create=ticket.create,
            project=ticket.project,
            issue_type=ticket.issue_type,
            summary=ticket.summary,
            labels=tuple(ticket.labels),
            link_referenced_issues=ticket.link_referenced_issues,
        )
        tracker = self.clients.jira()
        tickets = TicketService(
            train=self.train.name,
            rules=rules,
            tracker=tracker,
            store=self.store,
            clock=self.clock,
            browse_url=self.settings.jira.url,
        )
        return AttachService(
            train=self.train.name,
            tracker=tracker,
            store=self.store,
            tickets=tickets,
            link_referenced_issues=rules.link_referenced_issues,
        )

    @cached_property
    def renderer(self) -> Renderer:
        """The release-notes renderer, over the user's templates when configured."""
        return build_renderer(self.settings)

    @cached_property
    def views(self) -> TrainViews:
        """Reads the train's sprints as `status`, the reports and Slack show them."""
        from bot.services.views.status import TrainViews

        return TrainViews(
            train=self.train.name,
            tz=self.train.tz,
            store=self.store,
            calendar=self.calendar,
            ticket_link=self._ticket_link if self.tracked else None,
        )

    @cached_property
    def train_sync(self) -> TrainSync:
        """One sync of the train: its sources, its tickets, what approvals owe, then the view."""
        from bot.services.sync.train import TrainSync

        return TrainSync(
            sync=lambda: self.sync,
            calendar=self.calendar,
            attach=lambda: self.attach,
            views=self.views,
            dry_run=self.dry_run,
            progress=self._progress,
            follow_ups=lambda: self.follow_ups,
        )

    def day_start(self, day: date) -> datetime:
        """00:00 of a day in the train's timezone (where `sync --since DAY` starts)."""
        return datetime.combine(day, time(0), tzinfo=self.train.tz).astimezone(UTC)

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

    # Slack -----------------------------------------------------------------------------------

    @property
    def chat(self) -> ChatNotifier:
        """The Slack client (shared when one was passed in); ConfigError without `[slack]`."""
        if self._chat is None:
            self._chat = build_notifier(self.settings)
        return self._chat

    @property
    def channel(self) -> str:
        """The train's Slack channel (the settings require one when Slack is configured)."""
        if not self.train.slack_channel:
            raise ConfigError(f"trains[{self.train.name}].slack_channel is not set")
        return self.train.slack_channel

    @cached_property
    def composer(self) -> BlockKitComposer:
        """Block Kit for the draft and digest messages."""
        from bot.slack_app.draft_blocks import BlockKitComposer

        slack = self.settings.slack
        return BlockKitComposer(command=slack.command if slack else "/release-train")

    @cached_property
    def drafts(self) -> DraftService:
        """Posts the train's draft versions to its channel."""
        from bot.services.approvals.drafts import DraftService

        return DraftService(
            train=self.train.name,
            channel=self.channel,
            store=self.store,
            chat=self.chat,
            composer=self.composer,
            clock=self.clock,
            notes=self.notes,
        )

    @cached_property
    def messages(self) -> DraftMessages | None:
        """Shows a draft version's state on its message; None without Slack."""
        if self.settings.slack is None:
            return None
        from bot.services.approvals.drafts import DraftMessages

        return DraftMessages(
            chat=self.chat, composer=self.composer, changes=self.store, tz=self.train.tz
        )

    @cached_property
    def follow_ups(self) -> ApprovalFollowUps:
        """What approving the train's drafts owes (Jira, then the message), done once each."""
        from bot.services.approvals.follow_up import ApprovalFollowUps, ApprovedNotesWriter

        writer = None
        if self.tracked:
            writer = ApprovedNotesWriter(
                train=self.train.name, tracker=self.clients.jira(), ledger=self.store
            )
        messages = self.messages
        return ApprovalFollowUps(
            train=self.train.name,
            tz=self.train.tz,
            store=self.store,
            writer=writer,
            ticket_link=self._ticket_link if self.tracked else None,
            show=messages.show_decision if messages is not None else None,
        )

    @cached_property
    def approval(self) -> ApprovalService:
        """Decides on the train's draft versions (and what follows an approval)."""
        from bot.services.approvals.decide import ApprovalService, approvers_of

        messages = self.messages
        if messages is None:
            raise ConfigError("this needs a [slack] section in the configuration")
        return ApprovalService(
            train=self.train.name,
            approvers=approvers_of(self.train.approvers, self.train.approver_groups),
            store=self.store,
            chat=self.chat,
            drafts=self.drafts,
            messages=messages,
            follow_ups=self.follow_ups,
            clock=self.clock,
            tz=self.train.tz,
        )

    @cached_property
    def digest(self) -> DigestService:
        """Renders the train's digest, and posts it (with Slack)."""
        from bot.services.approvals.decide import approvers_of
        from bot.services.digest import DigestService, TrainFacts

        facts = TrainFacts(
            name=self.train.name,
            tz=self.train.tz,
            approvers=approvers_of(self.train.approvers, self.train.approver_groups),
            tracked=self.tracked,
        )
        slack = self.settings.slack is not None and not self.dry_run
        return DigestService(
            facts=facts,
            store=self.store,
            views=self.views,
            renderer=self.renderer,
            composer=self.composer,
            chat=self.chat if slack else None,
            channel=self.train.slack_channel,
            clock=self.clock,
        )

    def close(self, *, keep_store: bool = False) -> None:
        """Close the clients, the calendar's own store and (unless shared) the store."""
        try:
            self.clients.close()
        finally:
            if not keep_store:
                self.store.close()
            if self._calendar_store is not None:
                self._calendar_store.close()
