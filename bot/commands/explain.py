"""`release-train explain CHANGE`: why a recorded change got its release class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import load
from bot.console import echo, print_json

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_explain(g: Globals, *, ref: str, as_json: bool = False) -> None:
    """Print each rule of the policy, matched or not, with what it saw in the change (with
    `as_json`, one JSON object on stdout)."""
    from bot.bootstrap import open_train

    settings, train = load(g)
    with open_train(settings, train, read_only=True) as runtime:
        explanation = runtime.explainer.explain(ref)
    if as_json:
        print_json(explanation.as_json())
        return
    for line in explanation.lines():
        echo(line)
