"""App Home: when a person opens the bot's Home tab, publish every train's state for them."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.slack_app.desk import Desk


def register(app: App, *, desk: Desk) -> None:
    """Listen for the Home tab being opened."""

    def opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user", ""))
        if user:
            desk.publish_home(user, desk.home(user))

    def ack_only(ack: Ack) -> None:
        ack()

    # Acknowledged first: reading every train can take longer than Slack waits for an event.
    app.event("app_home_opened")(ack=ack_only, lazy=[opened])
