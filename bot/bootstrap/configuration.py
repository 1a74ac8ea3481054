"""What commands that work on no single train need (`check`, `db upgrade`), built on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING

from bot.bootstrap.build import (
    build_notifier,
    build_renderer,
    build_source,
    cadence_calendar,
    new_store,
    open_store,
    scratch_store,
)
from bot.bootstrap.clients import Clients, SystemClock
from bot.bootstrap.train import TrainRuntime, open_train
from bot.errors import BotError

if TYPE_CHECKING:
    from bot.ports.calendar import SprintCalendar
    from bot.ports.chat import ChatNotifier
    from bot.ports.render import Renderer
    from bot.ports.sources import ChangeSource
    from bot.services.checks import ConfigCheck, StoreLook, TrainTarget
    from bot.services.tickets.attach import AttachService
    from bot.settings import Settings, SourceSettings, TrainSettings


@dataclass(frozen=True, slots=True)
class StoreState:
    """Where the store is (secrets hidden) and how its schema stands."""

    display_url: str
    state: str  # fresh, current, old or newer


@contextmanager
def open_settings(settings: Settings) -> Iterator[SettingsRuntime]:
    """The runtime of the whole configuration; its clients are closed when the block ends."""
    runtime = SettingsRuntime(settings)
    try:
        yield runtime
    finally:
        runtime.close()


class SettingsRuntime:
    """The store, clients and renderer of the whole configuration."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.clients = Clients(settings)

    @cached_property
    def renderer(self) -> Renderer:
        """The release-notes renderer, over the user's templates when configured."""
        return build_renderer(self.settings)

    @cached_property
    def chat(self) -> ChatNotifier:
        """The Slack client (only with `[slack]`)."""
        return build_notifier(self.settings)

    @cached_property
    def checks(self) -> ConfigCheck:
        """`check` over this configuration: every part it names, tried once."""
        from bot.services.checks import SERVICES, ConfigCheck
        from bot.settings import secret_env_var

        settings = self.settings
        slack = settings.slack
        mode = None
        if slack is not None:
            key = "signing_secret" if slack.mode == "http" else "app_token"
            mode = (slack.mode, secret_env_var("slack", key))
        return ConfigCheck(
            renderer=lambda: self.renderer,
            templates_where=str(settings.notes.templates_dir or "shipped templates"),
            store=self._store_look,
            trains=[self._train_target(train) for train in settings.trains],
            configured=frozenset(name for name in SERVICES if getattr(settings, name) is not None),
            tracker=self.clients.jira,
            chat=lambda: self.chat,
            now=SystemClock().now,
            slack_mode=mode,
        )

    def _store_look(self) -> StoreLook:
        from bot.services.checks import StoreLook

        state = self.store_state()
        problem = self.settings.store.location_problem()
        return StoreLook(display_url=state.display_url, state=state.state, location_problem=problem)

    def _train_target(self, train: TrainSettings) -> TrainTarget:
        from bot.services.checks import SourceTarget, TrainTarget

        @contextmanager
        def probe() -> Iterator[tuple[SprintCalendar, AttachService | None]]:
            with self.probe_train(train) as runtime:
                yield runtime.calendar, runtime.attach

        cadence = train.sprint.board_id is None
        return TrainTarget(
            name=train.name,
            board_id=train.sprint.board_id,
            tz=train.tz,
            cadence=(lambda: cadence_calendar(train)) if cadence else None,
            sources=[
                SourceTarget(
                    name=source.name,
                    kind=source.kind,
                    location=source.location,
                    open=partial(self.source, source),
                )
                for source in train.sources
            ],
            probe=probe,
            slack_channel=train.slack_channel,
            approver_groups=tuple(train.approver_groups),
        )

    def store_state(self) -> StoreState:
        """How the store's schema stands; nothing is created or changed."""
        store = new_store(self.settings.store.url)
        try:
            return StoreState(display_url=store.display_url, state=store.schema_state())
        finally:
            store.close()

    def upgrade_store(self) -> str:
        """Apply the store's pending migrations (refusing a newer store); the revision now."""
        store = new_store(self.settings.store.url)
        try:
            return store.upgrade()
        finally:
            store.close()

    def source(self, source: SourceSettings) -> ChangeSource:
        """One configured source of a train, over the shared clients."""
        return build_source(self.settings, source, self.clients)

    @contextmanager
    def probe_train(self, train: TrainSettings) -> Iterator[TrainRuntime]:
        """A dry-run runtime of one train for checks: its calendar reads the board afresh (from
        an empty store, so Jira is always asked); its ticket is looked up through the real store,
        read only, so the ticket the bot remembers is the one checked."""
        try:
            store = open_store(self.settings, dry_run=True)
        except BotError:
            store = scratch_store()  # the store's own check says what is wrong with it
        try:
            with open_train(
                self.settings,
                train,
                dry_run=True,
                store=store,
                calendar_store=scratch_store(),
            ) as runtime:
                yield runtime
        finally:
            store.close()

    def close(self) -> None:
        """Close the clients that were built."""
        self.clients.close()
