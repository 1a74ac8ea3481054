"""`release-train check`: validate configuration, templates, store and sources, one line each
(or, with --json, one JSON object)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.commands.common import load_settings_only
from bot.console import echo, print_json
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_check(g: Globals, *, online: bool, as_json: bool = False) -> None:
    """Run every offline check (and, with --online, the service checks); exit 2 or 3 on failure.

    A configuration that cannot be loaded ends the run at once with its one-line error (and,
    with --json, the object holding that one failed check).
    """
    from bot.bootstrap import open_settings
    from bot.logs import masked
    from bot.services.checks import CheckResult, outcome, report
    from bot.settings import find_config

    try:
        path = find_config(g.config)
        settings = load_settings_only(replace(g, config=path))
    except ConfigError as exc:
        if as_json:
            print_json(report([CheckResult("config", False, masked(str(exc)), exc.exit_code)]))
        raise
    results = [CheckResult("config", True, f"{path} ({len(settings.trains)} train(s))")]
    with open_settings(settings) as runtime:
        results += runtime.checks.run(online=online)
    if as_json:
        print_json(report(results))
    else:
        for result in results:
            echo(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}: {result.detail}")
    error = outcome(results)
    if error is not None:
        raise error
