"""The slash command (`/release-train status | notes | sync | draft | explain <id> | help`).

Acknowledged at once: help and unknown subcommands are answered in the acknowledgement itself;
everything else is acknowledged empty and done afterwards on a pool of its kind (reads or
writes), answering through the command's response_url. Every answer is ephemeral.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot.slack_app.desk import Desk, Reply
from bot.slack_app.pools import READS, WRITES, WorkPools
from bot.slack_app.text import escape

SUBCOMMANDS = ("status", "notes", "sync", "draft", "explain", "help")


def help_text(command: str) -> str:
    """What the command can do."""
    c = escape(command)
    return (
        f"*{c}* answers only you:\n"
        f"• `{c} status`: the current sprint, ticket, counts by class, violations, draft state\n"
        f"• `{c} notes`: the draft release notes\n"
        f"• `{c} sync`: gather, classify and attach the changes merged since the last sync\n"
        f"• `{c} draft`: post the notes for approval (only when they changed)\n"
        f"• `{c} explain <change id or URL>`: why a change got its release class\n"
        f"• `{c} help`: this text\n"
        "In a train's channel the command is about that train."
    )


def parse(text: str) -> tuple[str, str]:
    """(subcommand, the rest) of the command's text; an unknown subcommand reads as help."""
    words = text.strip().split(maxsplit=1)
    if not words:
        return "help", ""
    sub = words[0].lower()
    if sub not in SUBCOMMANDS:
        return "help", ""
    return sub, (words[1].strip() if len(words) > 1 else "")


# What each subcommand does to the world: reads answer from the store, writes may wait on Jira.
_WRITES = frozenset({"sync", "draft"})


def register(app: App, *, desk: Desk, command: str, pools: WorkPools) -> None:
    """Listen for the slash command."""

    def work(body: dict[str, Any]) -> None:
        sub, rest = parse(str(body.get("text", "")))
        url = str(body.get("response_url", ""))
        desk.respond(url, answer(desk, sub, rest, channel=body.get("channel_id")))

    def acknowledge(ack: Ack, body: dict[str, Any]) -> None:
        sub, _ = parse(str(body.get("text", "")))
        if sub == "help":
            ack(text=help_text(command))
            return
        ack()
        pools.run(WRITES if sub in _WRITES else READS, work, body)

    app.command(command)(acknowledge)


def answer(desk: Desk, sub: str, rest: str, *, channel: object) -> Reply:
    """The reply to one subcommand."""
    train = desk.train_for(channel if isinstance(channel, str) else None)
    if train is None:
        names = ", ".join(desk.train_names())
        return Reply(
            "This channel belongs to no train; run the command in a train's channel "
            f"({escape(names)})."
        )
    if sub == "explain":
        if not rest:
            return Reply("Name the change: `explain <change id or URL>`.")
        return desk.explain(train, rest)
    actions: dict[str, Callable[[str], Reply]] = {
        "status": desk.status,
        "notes": desk.notes,
        "sync": desk.sync,
        "draft": desk.draft,
    }
    return actions[sub](train)
