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

    settings, train = load(g)
    with open_train(settings, train) as runtime:
        outcome = runtime.drafts.post_current()
    echo(f"{train.name}: {outcome.reason}")
