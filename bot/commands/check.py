"""`release-train check`: validate configuration, templates, store and sources, one line each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import load_settings_only
from bot.console import echo

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_check(g: Globals, *, online: bool) -> None:
    """Run every offline check (and, with --online, the service checks); exit 2 or 3 on failure."""
    from bot.bootstrap import open_settings
    from bot.services.checks import outcome

    settings = load_settings_only(g)
    echo(f"ok    config: {g.config or 'release-train.toml'} ({len(settings.trains)} train(s))")
    with open_settings(settings) as runtime:
        results = runtime.checks.run(online=online)
    for result in results:
        echo(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}: {result.detail}")
    error = outcome(results)
    if error is not None:
        raise error
