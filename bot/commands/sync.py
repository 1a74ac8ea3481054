"""`release-train sync`: gather, classify, record, report."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.commands.common import echo, load, print_json
from bot.errors import PolicyViolationError

if TYPE_CHECKING:
    from bot.commands.common import Globals
    from bot.services.sync import SyncOutcome

log = logging.getLogger(__name__)


def run_sync(g: Globals, *, dry_run: bool, as_json: bool, strict: bool) -> None:
    """Run one sync of the train and print its report."""
    from bot.bootstrap import build_sync, open_store_for
    from bot.commands.train_view import current_view, print_view
    from bot.console import TerminalProgress

    settings, train = load(g)
    if train.ticket is not None:
        log.warning(
            "trains[%s].ticket: attaching changes to a Jira ticket is not available in this "
            "version; the changes are recorded in the store only",
            train.name,
        )
    store = open_store_for(settings, dry_run=dry_run)
    try:
        progress = TerminalProgress()
        service = build_sync(settings, train, store, progress=progress)
        outcome = service.run(dry_run=dry_run)
        progress.done()
        view = current_view(settings, train, store, extra=outcome.recorded, new_ids=outcome.new_ids)
    finally:
        store.close()
    report = view.report(dry_run=dry_run)
    if as_json:
        print_json(report)
    else:
        _print_summary(outcome)
        print_view(view)
    if strict and report["violations"]:
        raise PolicyViolationError(
            f"train '{train.name}' holds {len(report['violations'])} policy violation(s)"
        )


def _print_summary(outcome: SyncOutcome) -> None:
    verb = "would record" if outcome.dry_run else "recorded"
    for notice in outcome.notices:
        echo(f"note: {notice}")
    echo(f"{verb} {len(outcome.new_ids)} new change(s) for train '{outcome.train}'")
    echo()
