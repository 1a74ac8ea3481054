"""A train's Slack use-cases (drafts, approvals, the digest) over its runtime, and the Slack client.

Built on first use like the rest of the runtime; the Slack client is shared by every train of
one process (it holds no connection between calls).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.bootstrap.train import TrainRuntime
    from bot.ports.chat import ChatNotifier
    from bot.ports.tracker import Ticket
    from bot.services.approvals.decide import ApprovalService
    from bot.services.approvals.drafts import DraftMessages, DraftOutcome, DraftService
    from bot.services.digest import DigestInput, DigestOutcome, DigestService
    from bot.settings import Settings
    from bot.slack_app.draft_blocks import BlockKitComposer


def build_notifier(settings: Settings) -> ChatNotifier:
    """The Slack Web API client, or a ConfigError naming what is missing."""
    from bot.adapters.slack import SlackNotifier
    from bot.settings import require_secret, secret_env_var

    section = settings.slack
    if section is None:
        raise ConfigError("this needs a [slack] section in the configuration")
    env = secret_env_var("slack", "bot_token")
    token = require_secret(section.bot_token, env=env, service="Slack")
    return SlackNotifier(token=token, api_url=section.api_url)


class TrainSlack:
    """One train's Slack use-cases, over its runtime and a shared Slack client."""

    def __init__(self, runtime: TrainRuntime, chat: ChatNotifier | None) -> None:
        self.runtime = runtime
        self._chat = chat

    @property
    def chat(self) -> ChatNotifier:
        """The Slack client (only a digest's dry run does without one)."""
        if self._chat is None:
            raise ConfigError("this needs a [slack] section in the configuration")
        return self._chat

    @property
    def channel(self) -> str:
        """The train's Slack channel (the settings require one when Slack is configured)."""
        channel = self.runtime.train.slack_channel
        if not channel:
            raise ConfigError(f"trains[{self.runtime.train.name}].slack_channel is not set")
        return channel

    @cached_property
    def composer(self) -> BlockKitComposer:
        """Block Kit for the draft and digest messages."""
        from bot.slack_app.draft_blocks import BlockKitComposer

        slack = self.runtime.settings.slack
        return BlockKitComposer(command=slack.command if slack else "/release-train")

    @cached_property
    def drafts(self) -> DraftService:
        """Posts draft versions to the train's channel."""
        from bot.services.approvals.drafts import DraftService

        return DraftService(
            train=self.runtime.train.name,
            channel=self.channel,
            store=self.runtime.store,
            chat=self.chat,
            composer=self.composer,
            clock=self.runtime.clock,
        )

    @cached_property
    def messages(self) -> DraftMessages:
        """Shows a draft version's state on its message."""
        from bot.services.approvals.drafts import DraftMessages

        return DraftMessages(
            chat=self.chat,
            composer=self.composer,
            changes=self.runtime.store,
            tz=self.runtime.train.tz,
        )

    @cached_property
    def approval(self) -> ApprovalService:
        """Decides on the train's draft versions (and writes the approval to Jira)."""
        from bot.services.approvals.decide import ApprovalService, approvers_of

        runtime, train = self.runtime, self.runtime.train
        return ApprovalService(
            train=train.name,
            approvers=approvers_of(train.approvers, train.approver_groups),
            store=runtime.store,
            chat=self.chat,
            drafts=self.drafts,
            messages=self.messages,
            follow_ups=runtime.follow_ups(self.messages),
            clock=runtime.clock,
            tz=train.tz,
        )

    @cached_property
    def digest(self) -> DigestService:
        """Renders and posts the train's digest."""
        from bot.services.approvals.decide import approvers_of
        from bot.services.digest import DigestService, TrainFacts

        runtime, train = self.runtime, self.runtime.train
        facts = TrainFacts(
            name=train.name,
            tz=train.tz,
            approvers=approvers_of(train.approvers, train.approver_groups),
            tracked=runtime.settings.jira is not None and train.ticket is not None,
        )
        return DigestService(
            facts=facts,
            store=runtime.store,
            renderer=runtime.renderer,
            composer=self.composer,
            chat=self._chat,
            channel=train.slack_channel,
        )

    def counts(self, sprint: str) -> Mapping[str, int]:
        """The sprint's changes counted by release class."""
        from bot.services.views.report import count_classes

        store = self.runtime.store
        return count_classes(
            store.changes_for_sprint(train=self.runtime.train.name, sprint=sprint, details=False)
        )

    def ticket(self, sprint: str) -> Ticket | None:
        """The sprint's remembered Release Train ticket."""
        from bot.ports.tracker import Ticket

        found = self.runtime.views.read(sprint_name=sprint).ticket
        return None if found is None else Ticket(key=found["key"], url=found["url"])

    def post_draft(self) -> DraftOutcome:
        """Render the current sprint's notes for Slack and post them when they changed."""
        from bot.services.views.report import count_classes

        view = self.runtime.views.read()
        context = self.runtime.notes.context_of(view)
        assert view.sprint is not None  # noqa: S101 - context_of refuses a view without one
        notes = self.runtime.renderer.render_notes(context=context, fmt="slack")
        return self.drafts.post_notes(
            sprint=view.sprint.name, notes=notes, counts=count_classes(view.changes)
        )

    def run_digest(self, *, dry_run: bool) -> DigestOutcome:
        """The current sprint's digest: rendered as Markdown (dry run) or posted."""
        return self.digest.run(self._digest_input(), now=self.runtime.clock.now(), dry_run=dry_run)

    def home_data(self) -> dict[str, Any]:
        """The current sprint's digest data, which the App Home tab shows."""
        return self.digest.context(self._digest_input(), now=self.runtime.clock.now())

    def _digest_input(self) -> DigestInput:
        from bot.ports.tracker import Ticket
        from bot.services.digest import DigestInput

        view = self.runtime.views.read()
        if view.sprint is None:
            raise ConfigError(f"train '{view.train}' has no sprint holding the current date")
        ticket = (
            None if view.ticket is None else Ticket(key=view.ticket["key"], url=view.ticket["url"])
        )
        return DigestInput(
            sprint=view.sprint, changes=view.changes, ticket=ticket, draft=view.draft
        )


def slack_checks(settings: Settings) -> list[tuple[str, Callable[[], str]]]:
    """`check --online` for Slack: the token (auth.test), the secret the mode needs, the bot in
    each train's channel, each approver group readable. Each check is a name and a call that
    returns its line or raises a BotError (its exit code says configuration or service)."""
    from bot.settings import require_secret, secret_env_var

    section = settings.slack
    if section is None:
        return []
    chats: list[ChatNotifier] = []

    def chat() -> ChatNotifier:
        if not chats:
            chats.append(build_notifier(settings))
        return chats[0]

    def secret() -> str:
        key = "signing_secret" if section.mode == "http" else "app_token"
        require_secret(
            getattr(section, key), env=secret_env_var("slack", key), service=f"Slack {section.mode}"
        )
        return f"{section.mode} mode: {secret_env_var('slack', key)} is set"

    checks: list[tuple[str, Callable[[], str]]] = [
        ("slack", lambda: chat().check()),
        ("slack mode", secret),
    ]
    for train in settings.trains:
        channel = train.slack_channel
        if channel:
            checks.append(
                (f"train {train.name} slack channel", partial(_in_channel, chat, channel))
            )
        checks.extend(
            (f"train {train.name} approver group {group}", partial(_group, chat, group))
            for group in train.approver_groups
        )
    return checks


def _in_channel(chat: Callable[[], ChatNotifier], channel: str) -> str:
    from bot.errors import ServiceError

    if not chat().bot_in_channel(channel=channel):
        raise ServiceError(f"the bot is not in channel {channel}: invite it (/invite @the-bot)")
    return f"the bot is in {channel}"


def _group(chat: Callable[[], ChatNotifier], group: str) -> str:
    members = chat().group_members(group=group)
    return f"{len(members)} member(s) readable"
