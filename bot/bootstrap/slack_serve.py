"""The Slack app of `serve` built from the settings: Bolt over every train, sharing one store.

`slack_app_for` gives the app (HTTP mode: mount `bot.slack_app.app.asgi_handler(app)` at
`POST /slack/events`); `socket_mode_handler` gives Socket Mode's handler for it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from bot.bootstrap.slack import build_notifier
from bot.errors import ConfigError

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.bootstrap.train import TrainRuntime
    from bot.ports.store import Store
    from bot.settings import Settings


def slack_app_for(settings: Settings, *, stack: ExitStack) -> App:
    """The Bolt app of `serve` over every train; ConfigError naming a missing secret's variable.
    The store its requests share is closed when `stack` closes.

    HTTP mode needs the bot token and the signing secret, Socket Mode the bot token (and, to
    connect, the app token: see `socket_mode_handler`). Building it makes no network call.
    """
    from bot.settings import require_secret, secret_env_var
    from bot.slack_app.app import build_slack_app
    from bot.slack_app.trains import TrainsDesk

    section = settings.slack
    if section is None:
        raise ConfigError("serving Slack needs a [slack] section in the configuration")
    bot_token = require_secret(
        section.bot_token, env=secret_env_var("slack", "bot_token"), service="Slack"
    )
    signing_secret = None
    if section.mode == "http":
        signing_secret = require_secret(
            section.signing_secret,
            env=secret_env_var("slack", "signing_secret"),
            service="Slack in HTTP mode",
        )
    runtimes = SharedRuntimes(settings)
    stack.callback(runtimes.close)
    desk = TrainsDesk(settings=settings, chat=build_notifier(settings), runtimes=runtimes)
    return build_slack_app(
        bot_token=bot_token,
        signing_secret=signing_secret,
        mode=section.mode,
        api_url=section.api_url,
        command=section.command,
        desk=desk,
    )


def socket_mode_handler(settings: Settings, app: App) -> SocketModeHandler:
    """Bolt's Socket Mode handler for the app (it reconnects on its own); `serve` starts it
    with `connect()` and stops it with `close()`."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.settings import require_secret, secret_env_var

    section = settings.slack
    if section is None:
        raise ConfigError("Socket Mode needs a [slack] section in the configuration")
    app_token = require_secret(
        section.app_token, env=secret_env_var("slack", "app_token"), service="Slack in Socket Mode"
    )
    return SocketModeHandler(app, app_token=app_token)


class SharedRuntimes:
    """Trains' runtimes for a long-running Slack app: one store for every request of the
    process (its connection pool and compiled queries are reused; SQLAlchemy engines are
    thread-safe), fresh clients and services per request. Opening one costs no database work."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._store: Store | None = None
        self._lock = threading.Lock()

    @contextmanager
    def open(self, name: str, *, look: bool = False) -> Iterator[TrainRuntime]:
        """The named train's runtime (`look`: reading only); its clients are closed after."""
        from bot.bootstrap.clients import Clients
        from bot.bootstrap.train import TrainRuntime

        settings = self._settings
        runtime = TrainRuntime(
            settings=settings,
            train=settings.train(name),
            store=self._shared_store(),
            clients=Clients(settings),
            dry_run=False,
            read_only=look,
        )
        try:
            yield runtime
        finally:
            runtime.clients.close()

    def close(self) -> None:
        """Close the shared store."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _shared_store(self) -> Store:
        with self._lock:
            if self._store is None:
                from bot.bootstrap.builders import open_store

                self._store = open_store(self._settings, dry_run=False)
            return self._store
