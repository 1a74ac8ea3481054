"""`release-train check`: validate configuration, templates, store and sources, one line each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.commands.common import load_settings_only
from bot.console import echo
from bot.errors import BotError, ConfigError, ServiceError

if TYPE_CHECKING:
    from bot.bootstrap import SettingsRuntime
    from bot.commands.common import Globals
    from bot.domain.model import Sprint
    from bot.ports.calendar import SprintCalendar
    from bot.services.tickets.attach import AttachService
    from bot.settings import SourceSettings, TrainSettings


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One line of `check`'s output."""

    name: str
    ok: bool
    detail: str
    exit_code: int = 0


def run_check(g: Globals, *, online: bool) -> None:
    """Run every offline check (and, with --online, the service checks); exit 2 or 3 on failure."""
    from bot.bootstrap import open_settings

    settings = load_settings_only(g)
    echo(f"ok    config: {g.config or 'release-train.toml'} ({len(settings.trains)} train(s))")
    with open_settings(settings) as runtime:
        results = _offline_checks(runtime)
        if online:
            results.extend(_online_checks(runtime))
    for result in results:
        echo(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}: {result.detail}")
    failed = [r for r in results if not r.ok]
    if failed:
        worst = max(r.exit_code for r in failed)
        error = ServiceError if worst == 3 else ConfigError
        raise error(f"{len(failed)} check(s) failed; the first: {failed[0].name}")


def _offline_checks(runtime: SettingsRuntime) -> list[CheckResult]:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("templates", partial(_check_templates, runtime)),
        ("store", partial(_check_store, runtime)),
    ]
    for train in runtime.settings.trains:
        checks.append((f"train {train.name} sprints", partial(_check_calendar, train)))
        checks.extend(
            (
                f"train {train.name} source {source.name}",
                partial(_check_source, runtime, train, source),
            )
            for source in train.sources
        )
    return [_attempt(name, fn) for name, fn in checks]


def _attempt(name: str, fn: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, True, fn())
    except BotError as exc:
        return CheckResult(name, False, str(exc), exc.exit_code)


def _check_templates(runtime: SettingsRuntime) -> str:
    problems = runtime.renderer.check_templates()
    if problems:
        raise ConfigError("; ".join(problems))
    where = runtime.settings.notes.templates_dir or "shipped templates"
    return f"markdown, slack and jira notes render with sample data ({where})"


_STORE_STATES = {
    "fresh": "not created yet; the first sync creates it",
    "current": "schema is current",
    "old": "schema is behind; `release-train db upgrade` (or auto_upgrade) brings it up",
}


def _check_store(runtime: SettingsRuntime) -> str:
    problem = runtime.settings.store.location_problem()
    if problem is not None:
        raise ConfigError(f"store.url: {problem}")
    store = runtime.store_state()
    if store.state == "newer":
        raise ConfigError("the store was written by a newer release-train; upgrade the bot")
    return f"{store.display_url}: {_STORE_STATES[store.state]}"


def _check_calendar(train: TrainSettings) -> str:
    from bot.bootstrap.builders import cadence_calendar

    if train.sprint.first_day is None or train.sprint.length_days is None:
        return f"from Jira board {train.sprint.board_id} (read with --online)"
    return _describe_current(cadence_calendar(train).current())


def _describe_current(sprint: Sprint | None) -> str:
    if sprint is None:
        return "no sprint holds today"
    return f"current sprint {sprint.name} ({sprint.start:%Y-%m-%d} → {sprint.end:%Y-%m-%d})"


def _check_source(runtime: SettingsRuntime, train: TrainSettings, source: SourceSettings) -> str:
    if source.kind != "git":
        return f"{source.kind} repository {source.location} (read with --online)"
    return _read_source(runtime, train, source)


def _read_source(runtime: SettingsRuntime, train: TrainSettings, source: SourceSettings) -> str:
    """Read the source's trunk once, as a sync would (no change is recorded)."""
    batch = runtime.source(train, source).gather(cursor=None, since=datetime.now(UTC))
    return "; ".join(("readable", *batch.notices))  # e.g. a shallow clone


def _online_checks(runtime: SettingsRuntime) -> list[CheckResult]:
    settings = runtime.settings
    results: list[CheckResult] = []
    for service in ("jira", "slack", "github", "gitlab"):
        if getattr(settings, service) is None:
            results.append(CheckResult(service, True, "not configured; skipped"))
        elif service == "slack":
            from bot.bootstrap.slack import slack_checks

            results.extend(_attempt(name, fn) for name, fn in slack_checks(settings))
    if settings.jira is not None:
        results.extend(_jira_checks(runtime))
    for train in settings.trains:
        results.extend(
            _attempt(
                f"train {train.name} source {source.name} (online)",
                partial(_read_source, runtime, train, source),
            )
            for source in train.sources
            if source.kind != "git"
        )
    return results


def _jira_checks(runtime: SettingsRuntime) -> list[CheckResult]:
    """Authenticate, then for each train read its board and find (or say it would create) its
    ticket; nothing is written."""
    results = [_attempt("jira", lambda: runtime.clients.jira().server_check())]
    if not results[0].ok:
        return results
    for train in runtime.settings.trains:
        results.extend(_jira_train_checks(runtime, train))
    return results


def _jira_train_checks(runtime: SettingsRuntime, train: TrainSettings) -> list[CheckResult]:
    with runtime.probe_train(train) as probe:
        calendar = probe.calendar
        results = [_attempt(f"train {train.name} board", lambda: _board_line(calendar))]
        attach = probe.attach
        current = calendar.current() if results[0].ok else None
        if attach is not None and current is not None:
            results.append(
                _attempt(f"train {train.name} ticket", lambda: _ticket_line(attach, current))
            )
        return results


def _board_line(calendar: SprintCalendar) -> str:
    line = _describe_current(calendar.current())
    notices = calendar.notices
    return line + (f" ({'; '.join(notices)})" if notices else "")


def _ticket_line(attach: AttachService, sprint: Sprint) -> str:
    result = attach.run(sprint=sprint, dry_run=True, current=True)
    if result.ticket is not None:
        return f"{result.ticket.key} ({result.ticket.url})"
    return "; ".join(result.planned + result.notices) or "none found and create = false"
