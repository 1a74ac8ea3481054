"""`release-train status`: the current train at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import load
from bot.console import print_json

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_status(g: Globals, *, as_json: bool, sprint: str | None = None) -> None:
    """Print the current sprint's counts, violations and draft state."""
    from bot.bootstrap import open_train
    from bot.commands.view_text import print_view

    settings, train = load(g)
    with open_train(settings, train, read_only=True) as runtime:
        view = runtime.views.read(sprint_name=sprint)
    if as_json:
        report = view.report(dry_run=False)
        report.pop("dry_run")
        print_json(report)
    else:
        print_view(view)
