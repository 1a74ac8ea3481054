"""A train's sprint as `status` and `sync` print it for people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.console import echo, table
from bot.services.views.report import count_classes, violations_of
from bot.services.views.vocabulary import draft_line, short_id, window_text

if TYPE_CHECKING:
    from bot.services.views.status import TrainView


def print_view(view: TrainView) -> None:
    """The sprint line, the ticket, the draft, a table of changes, counts and violations."""
    if view.sprint is None:
        echo(f"train '{view.train}': no sprint holds the current date")
        return
    window = window_text(view.sprint, view.tz)
    echo(f"train {view.train} — {view.sprint.name} ({window}, {view.tz.key})")
    none = "none yet" if view.tracked else "none (Jira not configured)"
    echo(f"ticket: {view.ticket['key'] if view.ticket else none}")
    echo(f"draft: {draft_line(view.draft, view.tz)}")
    echo()
    if view.changes:
        rows = [
            (
                rc.classification.release_class.value,
                rc.classification.category.value,
                rc.change.source,
                short_id(rc.change),
                ("* " if rc.new else "") + rc.change.title,
            )
            for rc in view.changes
        ]
        echo(table(("class", "category", "source", "change", "title"), rows))
    else:
        echo(view.empty_hint("status") or "no changes recorded in this sprint yet")
    echo()
    counts = count_classes(view.changes)
    echo("counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for v in violations_of(view.changes):
        if v.waiver is None:
            echo(f"violation: {v.change}: {v.message}")
        else:
            echo(f"waived ({v.waiver.by}: {v.waiver.reason}): {v.change}: {v.message}")
