"""`release-train digest`: post the sprint digest to the train's Slack channel now."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from bot.commands.common import load
from bot.console import echo

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_digest(g: Globals, *, dry_run: bool) -> None:
    """Post the digest, or with `dry_run` print it (Markdown) and post nothing."""
    from bot.bootstrap import open_train

    settings, train = load(g)
    with open_train(settings, train, dry_run=dry_run, read_only=dry_run) as runtime:
        outcome = runtime.digest.post(dry_run=dry_run)
    if dry_run:
        sys.stdout.write(outcome.text)
    else:
        echo(f"{train.name}: posted the sprint digest to {train.slack_channel}")
