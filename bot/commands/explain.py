"""`release-train explain CHANGE`: why a recorded change got its release class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import load
from bot.console import echo

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_explain(g: Globals, *, ref: str) -> None:
    """Print each rule of the policy, matched or not, with what it saw in the change."""
    from bot.bootstrap import open_train

    settings, train = load(g)
    with open_train(settings, train, read_only=True) as runtime:
        explanation = runtime.explainer.explain(ref)
    for line in explanation.lines():
        echo(line)
