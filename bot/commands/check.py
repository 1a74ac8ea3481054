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
    from bot.commands.common import Globals
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
    from bot.bootstrap import SystemClock, build_calendar

    calendar = build_calendar(train)
    sprint = calendar.sprint_for(SystemClock().now())
    if sprint is None:
        return "no sprint holds today (the first sprint starts later)"
    return f"current sprint {sprint.name} ({sprint.start:%Y-%m-%d} → {sprint.end:%Y-%m-%d})"


def _check_source(settings: Settings, train: TrainSettings, source: SourceSettings) -> str:
    from bot.bootstrap import build_source

    built = build_source(settings, train, source)
    built.gather(cursor=None, since=datetime.now(UTC))
    return "readable"


def _online_checks(settings: Settings) -> list[CheckResult]:
    results: list[CheckResult] = []
    for service in ("jira", "slack", "github", "gitlab"):
        if getattr(settings, service) is None:
            results.append(CheckResult(service, True, "not configured; skipped"))
        else:
            results.append(
                CheckResult(
                    service, False, "online checks for this service are not available yet", 3
                )
            )
    return results
