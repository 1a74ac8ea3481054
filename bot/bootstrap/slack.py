"""The Slack app of `serve` built from the settings: Bolt over every train, handed the desk.

`slack_app_for` gives the app (HTTP mode: `bot.slack_app.app.asgi_handler` answers it at
`POST /slack/events`); `socket_mode_handler` gives Socket Mode's handler for it. The secrets
were checked when the settings were loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.bootstrap.build import build_notifier
from bot.bootstrap.desk import TrainsDesk
from bot.errors import ConfigError

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.metrics import Metrics
    from bot.ports.store import Store
    from bot.settings import Settings, SlackSettings
    from bot.slack_app.pools import WorkPools


def _slack(settings: Settings) -> SlackSettings:
    if settings.slack is None:
        raise ConfigError("serving Slack needs a [slack] section in the configuration")
    return settings.slack


def slack_app_for(
    settings: Settings, *, store: Store, pools: WorkPools, metrics: Metrics | None = None
) -> App:
    """The Bolt app over every train, its requests sharing `store` and working on `pools`
    (which the caller closes), counting decisions in `metrics`. Building it makes no network
    call."""
    from bot.slack_app.app import build_slack_app

    section = _slack(settings)
    chat = build_notifier(settings)
    return build_slack_app(
        bot_token=section.secret("bot_token"),
        signing_secret=section.secret("signing_secret") if section.mode == "http" else None,
        api_url=section.api_url,
        command=section.command,
        desk=TrainsDesk(settings=settings, chat=chat, store=store, metrics=metrics),
        pools=pools,
    )


def socket_mode_handler(settings: Settings, app: App, *, ping_interval: float) -> SocketModeHandler:
    """Bolt's Socket Mode handler for the app (it reconnects on its own, and pings Slack every
    `ping_interval` seconds); `serve` starts it with `connect()` and stops it with `close()`."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(
        app, app_token=_slack(settings).secret("app_token"), ping_interval=ping_interval
    )
