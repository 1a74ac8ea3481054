"""`release-train sync`: gather, classify, record, report."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.commands.common import echo, load, print_json
from bot.errors import BotError, PolicyViolationError, ServiceError

if TYPE_CHECKING:
    from bot.commands.common import Globals
    from bot.ports import SprintCalendar
    from bot.services.attach import AttachResult, AttachService
    from bot.services.sync import Progress, SyncOutcome

log = logging.getLogger(__name__)


def run_sync(g: Globals, *, dry_run: bool, as_json: bool, strict: bool) -> None:
    """Run one sync of the train and print its report."""
    from bot.bootstrap import Clients, build_attach, build_calendar, build_sync, open_store_for
    from bot.commands.train_view import current_view, print_view
    from bot.console import TerminalProgress

    settings, train = load(g)
    store = open_store_for(settings, dry_run=dry_run)
    clients = Clients(settings)
    try:
        progress = TerminalProgress()
        calendar = build_calendar(train, store=store, clients=clients, dry_run=dry_run)
        service = build_sync(
            settings, train, store, calendar=calendar, clients=clients, progress=progress
        )
        outcome = service.run(dry_run=dry_run)
        outcome.notices.extend(calendar.notices)
        attach = build_attach(settings, train, store, clients=clients)
        refused: ServiceError | None = None
        try:
            attached = _attach(attach, outcome, calendar, dry_run=dry_run, progress=progress)
        except ServiceError as exc:
            # Jira refused the ticket (credentials, a hidden ticket): the changes are recorded
            # and stay queued; the report is still printed before the error.
            attached, refused = [], exc
        progress.done()
        view = current_view(
            settings,
            train,
            store,
            calendar=calendar,
            extra=outcome.recorded,
            new_ids=outcome.new_ids,
        )
    finally:
        clients.close()
        store.close()
    report = view.report(dry_run=dry_run)
    if as_json:
        print_json(report)
    else:
        _print_summary(outcome)
        print_view(view)
    if outcome.failures:
        raise _failed_sources(outcome)
    if refused is not None:
        raise refused
    failure = next((r.failure for r in attached if r.failure is not None), None)
    if failure is not None:
        raise type(failure)(
            f"some writes to the Release Train ticket failed and wait for the next sync: {failure}"
        )
    if strict and report["violations"]:
        raise PolicyViolationError(
            f"train '{train.name}' holds {len(report['violations'])} policy violation(s)"
        )


def _attach(
    attach: AttachService | None,
    outcome: SyncOutcome,
    calendar: SprintCalendar,
    *,
    dry_run: bool,
    progress: Progress,
) -> list[AttachResult]:
    """Keep the Release Train ticket of every sprint that got changes, and the current one's."""
    if attach is None:
        return []
    sprints = {rc.sprint for rc in outcome.recorded if rc.change.id in outcome.new_ids}
    current = calendar.current()
    names = sorted(sprints - ({current.name} if current else set()))
    wanted = [s for s in (calendar.by_name(n) for n in names) if s is not None]
    if current is not None:
        wanted.append(current)
    results = []
    for sprint in wanted:
        progress(f"attaching {sprint.name} to its Release Train ticket")
        result = attach.run(sprint=sprint, dry_run=dry_run, current=sprint == current)
        outcome.notices.extend(result.notices)
        if dry_run:
            outcome.notices.extend(f"would {step}" for step in result.planned)
        results.append(result)
    return results


def _failed_sources(outcome: SyncOutcome) -> BotError:
    """One error for every source that could not be read; the others were recorded."""
    first = outcome.failures[0][1]
    worst = max(outcome.failures, key=lambda failure: failure[1].exit_code)[1]
    names = ", ".join(name for name, _ in outcome.failures)
    error = type(worst)(
        f"{len(outcome.failures)} source(s) could not be read ({names}); the others were "
        f"synced. First: {first}"
    )
    return error


def _print_summary(outcome: SyncOutcome) -> None:
    verb = "would record" if outcome.dry_run else "recorded"
    for notice in outcome.notices:
        echo(f"note: {notice}")
    for name, failure in outcome.failures:
        echo(f"failed: source {name}: {failure}")
    echo(f"{verb} {len(outcome.new_ids)} new change(s) for train '{outcome.train}'")
    echo()
