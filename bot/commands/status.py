"""`release-train status`: the current train at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import load, print_json

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_status(g: Globals, *, as_json: bool) -> None:
    """Print the current sprint's counts, violations and draft state."""
    from bot.commands.train_view import print_view, read_view

    settings, train = load(g)
    view = read_view(settings, train, sprint_name=None)
    if as_json:
        report = view.report(dry_run=False)
        report.pop("dry_run")
        print_json(report)
    else:
        print_view(view)
