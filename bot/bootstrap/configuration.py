"""What commands that work on no single train need (`check`, `db upgrade`), built on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from bot.bootstrap.builders import build_renderer, build_source, open_store, scratch_store
from bot.bootstrap.clients import Clients
from bot.bootstrap.train import TrainRuntime
from bot.errors import BotError

if TYPE_CHECKING:
    from bot.ports.render import Renderer
    from bot.ports.sources import ChangeSource
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

    def store_state(self) -> StoreState:
        """How the store's schema stands; nothing is created or changed."""
        from bot.adapters.store import SqlStore

        store = SqlStore(url=self.settings.store.url)
        try:
            return StoreState(display_url=store.display_url, state=store.schema_state())
        finally:
            store.close()

    def upgrade_store(self) -> str:
        """Apply the store's pending migrations (refusing a newer store); the revision now."""
        from bot.adapters.store import SqlStore

        store = SqlStore(url=self.settings.store.url)
        try:
            return store.upgrade()
        finally:
            store.close()

    def source(self, train: TrainSettings, source: SourceSettings) -> ChangeSource:
        """One configured source of a train, over the shared clients."""
        return build_source(self.settings, train, source, self.clients)

    @contextmanager
    def probe_train(self, train: TrainSettings) -> Iterator[TrainRuntime]:
        """A dry-run runtime of one train for checks: its calendar reads the board afresh (from
        an empty store, so Jira is always asked); its ticket is looked up through the real store,
        read only, so the ticket the bot remembers is the one checked."""
        try:
            store = open_store(self.settings, dry_run=True)
        except BotError:
            store = scratch_store()  # the store's own check says what is wrong with it
        runtime = TrainRuntime(
            settings=self.settings,
            train=train,
            store=store,
            clients=self.clients,
            dry_run=True,
            calendar_store=scratch_store(),
        )
        try:
            yield runtime
        finally:
            runtime.close(keep_clients=True)

    def close(self) -> None:
        """Close the clients that were built."""
        self.clients.close()
