"""App Home: when a person opens the bot's Home tab, publish every train's state for them."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.slack_app.desk import Desk
from bot.slack_app.pools import READS, WorkPools


def register(app: App, *, desk: Desk, pools: WorkPools) -> None:
    """Listen for the Home tab being opened."""

    def publish(user: str) -> None:
        desk.publish_home(user, desk.home(user))

    def opened(ack: Ack, event: dict[str, Any]) -> None:
        # Acknowledged first: reading every train can take longer than Slack waits for an event.
        ack()
        user = str(event.get("user", ""))
        if event.get("tab", "home") == "home" and user:
            pools.run(READS, publish, user)

    app.event("app_home_opened")(opened)
