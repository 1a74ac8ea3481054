"""The current state of a train's sprint, as `sync` and `status` show it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bot.commands.common import echo
from bot.console import table
from bot.domain.model import DraftState, RecordedChange, Sprint
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.ports import Store
    from bot.settings import Settings, TrainSettings


@dataclass(frozen=True, slots=True)
class TrainView:
    """One sprint of one train: its changes and draft state."""

    train: str
    tz_name: str
    sprint: Sprint | None
    changes: list[RecordedChange]
    draft: DraftState
    ticket: dict[str, str] | None = None

    def report(self, *, dry_run: bool) -> dict[str, Any]:
        """The JSON report of interface section 1."""
        from bot.services.report import build_report

        return build_report(
            train=self.train,
            sprint=self.sprint,
            ticket=self.ticket,
            changes=self.changes,
            draft=self.draft,
            dry_run=dry_run,
        )


def resolve_sprint(settings: Settings, train: TrainSettings, name: str | None) -> Sprint | None:
    """The named sprint, or the current one (None when no sprint holds today)."""
    from bot.bootstrap import SystemClock, build_calendar

    calendar = build_calendar(train)
    if name is None:
        return calendar.sprint_for(SystemClock().now())
    sprint = calendar.by_name(name)
    if sprint is None:
        raise ConfigError(f"--sprint: no sprint named '{name}' in train '{train.name}'")
    return sprint


def current_view(
    settings: Settings,
    train: TrainSettings,
    store: Store,
    *,
    sprint_name: str | None = None,
    extra: Sequence[RecordedChange] = (),
    new_ids: Collection[str] = (),
) -> TrainView:
    """The sprint's recorded changes, plus `extra` ones not yet recorded (a dry run's)."""
    sprint = resolve_sprint(settings, train, sprint_name)
    if sprint is None:
        return TrainView(train.name, train.timezone, None, [], DraftState())
    recorded = store.changes_for_sprint(train=train.name, sprint=sprint.name)
    seen = {rc.change.id for rc in recorded}
    pending = [rc for rc in extra if rc.sprint == sprint.name and rc.change.id not in seen]
    merged = sorted([*recorded, *pending], key=lambda rc: (rc.change.merged_at, rc.change.id))
    changes = [replace(rc, new=rc.change.id in new_ids) for rc in merged]
    draft = store.draft_state(train=train.name, sprint=sprint.name)
    return TrainView(train.name, train.timezone, sprint, changes, draft)


def print_view(view: TrainView) -> None:
    """The view for people: sprint line, a table of changes, counts and violations."""
    from bot.services.report import count_classes, violations_of

    if view.sprint is None:
        echo(f"train '{view.train}': no sprint holds the current date")
        return
    s = view.sprint
    echo(f"train {view.train} — {s.name} ({s.start:%Y-%m-%d} → {s.end:%Y-%m-%d} UTC)")
    echo(f"ticket: {view.ticket['key'] if view.ticket else 'none (Jira not configured)'}")
    echo(f"draft: {_draft_line(view.draft)}")
    echo()
    if view.changes:
        rows = [
            (
                rc.classification.release_class.value,
                rc.classification.category.value,
                rc.change.source,
                _short(rc),
                ("* " if rc.new else "") + rc.change.title,
            )
            for rc in view.changes
        ]
        echo(table(("class", "category", "source", "change", "title"), rows))
    else:
        echo("no changes recorded in this sprint yet")
    echo()
    counts = count_classes(view.changes)
    echo("counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for v in violations_of(view.changes):
        echo(f"violation: {v.change}: {v.message}")


def _short(rc: RecordedChange) -> str:
    if rc.change.number is not None:
        return f"#{rc.change.number}"
    return (rc.change.sha or rc.change.id)[:10]


def _draft_line(draft: DraftState) -> str:
    if draft.version is None:
        return "none"
    line = f"{draft.state} v{draft.version}"
    if draft.approved_by:
        line += f" by {draft.approved_by}"
    if draft.approved_at:
        line += f" at {draft.approved_at:%Y-%m-%d %H:%M} UTC"
    return line
