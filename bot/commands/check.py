"""`release-train check`: validate configuration, templates, store and sources, one line each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.commands.common import echo, load_settings_only
from bot.errors import BotError, ConfigError, ServiceError

if TYPE_CHECKING:
    from bot.bootstrap import Clients
    from bot.commands.common import Globals
    from bot.domain.model import Sprint
    from bot.ports import SprintCalendar, Store
    from bot.services.attach import AttachService
    from bot.settings import Settings, SourceSettings, TrainSettings


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One line of `check`'s output."""

    name: str
    ok: bool
    detail: str
    exit_code: int = 0


def run_check(g: Globals, *, online: bool) -> None:
    """Run every offline check (and, with --online, the service checks); exit 2 or 3 on failure."""
    settings = load_settings_only(g)
    echo(f"ok    config: {g.config or 'release-train.toml'} ({len(settings.trains)} train(s))")
    results = [*_offline_checks(settings)]
    if online:
        results.extend(_online_checks(settings))
    for result in results:
        echo(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}: {result.detail}")
    failed = [r for r in results if not r.ok]
    if failed:
        worst = max(r.exit_code for r in failed)
        error = ServiceError if worst == 3 else ConfigError
        raise error(f"{len(failed)} check(s) failed; the first: {failed[0].name}")


def _offline_checks(settings: Settings) -> list[CheckResult]:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("templates", partial(_check_templates, settings)),
        ("store", partial(_check_store, settings)),
    ]
    for train in settings.trains:
        checks.append((f"train {train.name} sprints", partial(_check_calendar, train)))
        checks.extend(
            (
                f"train {train.name} source {source.name}",
                partial(_check_source, settings, train, source),
            )
            for source in train.sources
        )
    return [_attempt(name, fn) for name, fn in checks]


def _attempt(name: str, fn: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, True, fn())
    except BotError as exc:
        return CheckResult(name, False, str(exc), exc.exit_code)


def _check_templates(settings: Settings) -> str:
    from bot.bootstrap import build_renderer

    problems = build_renderer(settings).check_templates()
    if problems:
        raise ConfigError("; ".join(problems))
    where = settings.notes.templates_dir or "shipped templates"
    return f"markdown, slack and jira notes render with sample data ({where})"


def _check_store(settings: Settings) -> str:
    from bot.adapters.store import SqlStore

    store = SqlStore(url=settings.store.url)
    try:
        state = store.schema_state()
    finally:
        store.close()
    meaning = {
        "fresh": "not created yet; the first sync creates it",
        "current": "schema is current",
        "old": "schema is behind; `release-train db upgrade` (or auto_upgrade) brings it up",
    }
    if state == "newer":
        raise ConfigError("the store was written by a newer release-train; upgrade the bot")
    return f"{store.display_url}: {meaning[state]}"


def _check_calendar(train: TrainSettings) -> str:
    from bot.bootstrap import SystemClock
    from bot.services.calendar import CadenceCalendar

    sprint_settings = train.sprint
    if sprint_settings.first_day is None or sprint_settings.length_days is None:
        return f"from Jira board {sprint_settings.board_id} (read with --online)"
    calendar = CadenceCalendar(
        first_day=sprint_settings.first_day,
        length_days=sprint_settings.length_days,
        tz=train.tz,
        clock=SystemClock(),
    )
    return _describe_current(calendar.current())


def _describe_current(sprint: Sprint | None) -> str:
    if sprint is None:
        return "no sprint holds today"
    return f"current sprint {sprint.name} ({sprint.start:%Y-%m-%d} → {sprint.end:%Y-%m-%d})"


def _check_source(settings: Settings, train: TrainSettings, source: SourceSettings) -> str:
    if source.kind != "git":
        return f"{source.kind} repository {source.location} (read with --online)"
    return _read_source(settings, train, source)


def _read_source(settings: Settings, train: TrainSettings, source: SourceSettings) -> str:
    """Read the source's trunk once, as a sync would (no change is recorded)."""
    from bot.bootstrap import Clients, build_source

    clients = Clients(settings)
    try:
        built = build_source(settings, train, source, clients)
        built.gather(cursor=None, since=datetime.now(UTC))
    finally:
        clients.close()
    return "readable"


def _online_checks(settings: Settings) -> list[CheckResult]:
    results: list[CheckResult] = []
    for service in ("jira", "slack", "github", "gitlab"):
        if getattr(settings, service) is None:
            results.append(CheckResult(service, True, "not configured; skipped"))
        elif service == "slack":
            message = "online checks for this service are not available yet"
            results.append(CheckResult(service, False, message, 3))
    if settings.jira is not None:
        results.extend(_jira_checks(settings))
    for train in settings.trains:
        results.extend(
            _attempt(
                f"train {train.name} source {source.name} (online)",
                partial(_read_source, settings, train, source),
            )
            for source in train.sources
            if source.kind != "git"
        )
    return results


def _jira_checks(settings: Settings) -> list[CheckResult]:
    """Authenticate, then for each train read its board and find (or say it would create) its
    ticket; nothing is written."""
    from bot.bootstrap import Clients

    clients = Clients(settings)
    try:
        results = [_attempt("jira", lambda: clients.jira().server_check())]
        if not results[0].ok:
            return results
        for train in settings.trains:
            results.extend(_jira_train_checks(settings, train, clients))
        return results
    finally:
        clients.close()


def _jira_train_checks(
    settings: Settings, train: TrainSettings, clients: Clients
) -> list[CheckResult]:
    from bot.bootstrap import build_attach, build_calendar

    # The board is read from an empty scratch store, so it is always read (the real store's
    # saved sprints would answer without asking Jira); the ticket is looked up through the real
    # store, read only, so the ticket the bot remembers is the one checked (Jira Cloud's search
    # may not show a ticket created moments ago).
    scratch = _scratch_store()
    store = _read_only_store(settings)
    try:
        calendar = build_calendar(train, store=scratch, clients=clients, dry_run=True)
        results = [_attempt(f"train {train.name} board", lambda: _board_line(calendar))]
        attach = build_attach(settings, train, store, clients=clients)
        current = calendar.current() if results[0].ok else None
        if attach is not None and current is not None:
            results.append(
                _attempt(f"train {train.name} ticket", lambda: _ticket_line(attach, current))
            )
        return results
    finally:
        store.close()
        scratch.close()


def _scratch_store() -> Store:
    from bot.adapters.store import SqlStore

    scratch = SqlStore(url="sqlite://")
    scratch.prepare(auto_upgrade=True)
    return scratch


def _read_only_store(settings: Settings) -> Store:
    """The store as a dry run reads it (a fresh one is not created); nothing is written."""
    from bot.bootstrap import open_store_for

    try:
        return open_store_for(settings, dry_run=True)
    except BotError:
        # The store's own line says what is wrong with it; Jira is checked without it.
        return _scratch_store()


def _board_line(calendar: SprintCalendar) -> str:
    line = _describe_current(calendar.current())
    notices = calendar.notices
    return line + (f" ({'; '.join(notices)})" if notices else "")


def _ticket_line(attach: AttachService, sprint: Sprint) -> str:
    result = attach.run(sprint=sprint, dry_run=True, current=True)
    if result.ticket is not None:
        return f"{result.ticket.key} ({result.ticket.url})"
    return "; ".join(result.planned + result.notices) or "none found and create = false"
