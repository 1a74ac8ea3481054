"""`release-train draft`: post the sprint's notes to the train's Slack channel for approval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import load
from bot.console import echo

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_draft(g: Globals) -> None:
    """Post a new version when the notes changed since the last one; else say so."""
    from bot.bootstrap import open_train
    from bot.bootstrap.slack import TrainSlack, build_notifier

    settings, train = load(g)
    chat = build_notifier(settings)
    with open_train(settings, train) as runtime:
        outcome = TrainSlack(runtime, chat).post_draft()
    echo(f"{train.name}: {outcome.reason}")
