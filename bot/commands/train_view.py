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
    from bot.ports import SprintCalendar, Store
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
    tracked: bool = False  # whether the train keeps a Jira ticket at all

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


def resolve_sprint(
    calendar: SprintCalendar, train: TrainSettings, name: str | None
) -> Sprint | None:
    """The named sprint, or the current one (None when no sprint holds today)."""
    if name is None:
        return calendar.current()
    sprint = calendar.by_name(name)
    if sprint is None:
        raise ConfigError(f"--sprint: no sprint named '{name}' in train '{train.name}'")
    return sprint


def current_view(
    settings: Settings,
    train: TrainSettings,
    store: Store,
    *,
    calendar: SprintCalendar,
    sprint_name: str | None = None,
    extra: Sequence[RecordedChange] = (),
    new_ids: Collection[str] = (),
) -> TrainView:
    """The sprint's recorded changes, plus `extra` ones not yet recorded (a dry run's)."""
    sprint = resolve_sprint(calendar, train, sprint_name)
    if sprint is None:
        return TrainView(train.name, train.timezone, None, [], DraftState())
    # Nothing here reads what a change brought (files, messages, body): a lean read suffices.
    changes = store.changes_for_sprint(train=train.name, sprint=sprint.name, details=False)
    if extra or new_ids:
        changes = _merged(changes, sprint=sprint.name, extra=extra, new_ids=new_ids)
    draft = store.draft_state(train=train.name, sprint=sprint.name)
    return TrainView(
        train.name,
        train.timezone,
        sprint,
        changes,
        draft,
        _ticket(settings, store, train, sprint),
        tracked=settings.jira is not None and train.ticket is not None,
    )


def read_view(settings: Settings, train: TrainSettings, *, sprint_name: str | None) -> TrainView:
    """The view of one sprint, read from the store (and the Jira board's sprints if needed)."""
    from bot.bootstrap import Clients, build_calendar, build_store

    store = build_store(settings)
    clients = Clients(settings)
    try:
        calendar = build_calendar(train, store=store, clients=clients, dry_run=True)
        return current_view(settings, train, store, calendar=calendar, sprint_name=sprint_name)
    finally:
        clients.close()
        store.close()


def _ticket(
    settings: Settings, store: Store, train: TrainSettings, sprint: Sprint
) -> dict[str, str] | None:
    """The sprint's remembered Release Train ticket (no Jira request), when Jira is configured."""
    if settings.jira is None or train.ticket is None:
        return None
    from bot.bootstrap import ticket_url

    key = store.get_ticket_key(train=train.name, sprint=sprint)
    return None if key is None else {"key": key, "url": ticket_url(settings, key)}


def _merged(
    recorded: list[RecordedChange],
    *,
    sprint: str,
    extra: Sequence[RecordedChange],
    new_ids: Collection[str],
) -> list[RecordedChange]:
    """The recorded changes with the sprint's unrecorded `extra` ones, marked new by id."""
    seen = {rc.change.id for rc in recorded}
    pending = [rc for rc in extra if rc.sprint == sprint and rc.change.id not in seen]
    merged = sorted([*recorded, *pending], key=lambda rc: (rc.change.merged_at, rc.change.id))
    return [replace(rc, new=rc.change.id in new_ids) for rc in merged]


def print_view(view: TrainView) -> None:
    """The view for people: sprint line, a table of changes, counts and violations."""
    from bot.services.report import count_classes, violations_of

    if view.sprint is None:
        echo(f"train '{view.train}': no sprint holds the current date")
        return
    s = view.sprint
    echo(f"train {view.train} — {s.name} ({s.start:%Y-%m-%d} → {s.end:%Y-%m-%d} UTC)")
    none = "none yet" if view.tracked else "none (Jira not configured)"
    echo(f"ticket: {view.ticket['key'] if view.ticket else none}")
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
