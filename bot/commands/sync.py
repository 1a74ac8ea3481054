"""`release-train sync`: gather, classify, record, attach, report."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.commands.common import load
from bot.console import echo, print_json
from bot.errors import PolicyViolationError

if TYPE_CHECKING:
    from bot.commands.common import Globals
    from bot.services.sync.train import TrainSyncResult


def run_sync(
    g: Globals, *, dry_run: bool, as_json: bool, strict: bool, since: date | None = None
) -> None:
    """Run one sync of the train, print its report, and end as its failures say."""
    from bot.bootstrap import open_train
    from bot.commands.view_text import print_view
    from bot.console import TerminalProgress

    settings, train = load(g)
    with (
        TerminalProgress() as progress,
        open_train(settings, train, dry_run=dry_run, progress=progress) as runtime,
    ):
        result = runtime.train_sync.run(since=None if since is None else runtime.day_start(since))
    report = result.report()
    if as_json:
        print_json(report)
    else:
        _print_summary(result)
        print_view(result.view)
    error = result.error()
    if error is not None:
        raise error
    counted = [v for v in report["violations"] if v["waiver"] is None]
    if strict and counted:
        raise PolicyViolationError(f"train '{train.name}' holds {len(counted)} policy violation(s)")


def _print_summary(result: TrainSyncResult) -> None:
    verb = "would record" if result.dry_run else "recorded"
    for message in result.messages():
        echo(f"note: {message}")
    echo(f"{verb} {result.new_count} new change(s) for train '{result.train}'")
    echo()
