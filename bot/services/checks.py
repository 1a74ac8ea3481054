"""`check`: each part of the configuration tried once, one result per part, nothing written.

Offline: the templates render with sample data, the store's location and schema, each train's
sprints, each local git source read as a sync would. Online (`--online`) also: Jira (the
credentials, each board, each train's ticket found or what would be created), Slack (the
token, its scopes against those the bot's calls need, the bot in each train's channel, each
approver group readable) and each GitHub and GitLab source. A part that fails says why and
with which exit code (2 configuration, 3 a service); the others are still tried. Costs: what
each part reads, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.model import Sprint
from bot.errors import BotError, ConfigError, ServiceError
from bot.ports.calendar import SprintCalendar
from bot.ports.chat import ChatNotifier
from bot.ports.render import Renderer
from bot.ports.sources import ChangeSource
from bot.ports.tracker import IssueTracker
from bot.services.tickets.attach import AttachService
from bot.services.views.vocabulary import window_text

SERVICES = ("jira", "slack", "github", "gitlab")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One part checked: whether it is fine, what was seen, and how a failure ends the run."""

    name: str
    ok: bool
    detail: str
    exit_code: int = 0


@dataclass(frozen=True, slots=True)
class StoreLook:
    """The store as a check sees it, without opening it for writing."""

    display_url: str
    state: str  # fresh, current, old or newer
    location_problem: str | None


@dataclass(frozen=True, slots=True)
class SourceTarget:
    """A configured source: its name, kind, where it is, and how to open it."""

    name: str
    kind: str
    location: str
    open: Callable[[], ChangeSource]


# A train's runtime as a check uses it: its calendar, and its ticket keeper (None without one).
Probe = Callable[[], AbstractContextManager[tuple[SprintCalendar, AttachService | None]]]


@dataclass(frozen=True, slots=True)
class TrainTarget:
    """A configured train, as the checks need it."""

    name: str
    board_id: int | None
    cadence: Callable[[], SprintCalendar] | None  # None: its sprints come from a board
    sources: Sequence[SourceTarget]
    probe: Probe
    slack_channel: str | None = None
    approver_groups: Sequence[str] = field(default_factory=tuple)
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))


class ConfigCheck:
    """Tries every part of one configuration."""

    def __init__(
        self,
        *,
        renderer: Callable[[], Renderer],
        templates_where: str,
        store: Callable[[], StoreLook],
        trains: Sequence[TrainTarget],
        configured: frozenset[str],
        tracker: Callable[[], IssueTracker],
        chat: Callable[[], ChatNotifier],
        now: Callable[[], datetime],
        slack_mode: tuple[str, str] | None = None,
    ) -> None:
        self._renderer = renderer
        self._templates_where = templates_where
        self._store = store
        self._trains = trains
        self._configured = configured
        self._tracker = tracker
        self._chat = chat
        self._now = now
        self._slack_mode = slack_mode  # (mode, the variable holding its secret): set, as loaded

    def run(self, *, online: bool) -> list[CheckResult]:
        """Every offline check, then (online) every service check, in a stable order."""
        results = [attempt(name, fn) for name, fn in self._offline()]
        if online:
            results.extend(self._online())
        return results

    def _offline(self) -> Iterator[tuple[str, Callable[[], str]]]:
        yield "templates", self._templates
        yield "store", self._store_line
        for train in self._trains:
            yield f"train {train.name} sprints", partial(_calendar_line, train)
            for source in train.sources:
                yield (
                    f"train {train.name} source {source.name}",
                    partial(self._offline_read, source),
                )

    def _offline_read(self, source: SourceTarget) -> str:
        if source.kind != "git":
            return f"{source.kind} repository {source.location} (read with --online)"
        return self._read(source)

    def _online(self) -> list[CheckResult]:
        results = [
            CheckResult(service, True, "not configured; skipped")
            for service in SERVICES
            if service not in self._configured
        ]
        if "slack" in self._configured:
            results.extend(attempt(name, fn) for name, fn in self._slack())
        if "jira" in self._configured:
            results.extend(self._jira())
        for train in self._trains:
            results.extend(
                attempt(
                    f"train {train.name} source {source.name} (online)",
                    partial(self._read, source),
                )
                for source in train.sources
                if source.kind != "git"
            )
        return results

    def _templates(self) -> str:
        problems = self._renderer().check_templates()
        if problems:
            raise ConfigError("; ".join(problems))
        return f"markdown, slack and jira notes render with sample data ({self._templates_where})"

    def _store_line(self) -> str:
        look = self._store()
        if look.location_problem is not None:
            raise ConfigError(f"store.url: {look.location_problem}")
        if look.state == "newer":
            raise ConfigError("the store was written by a newer release-train; upgrade the bot")
        return f"{look.display_url}: {_STORE_STATES[look.state]}"

    def _read(self, source: SourceTarget) -> str:
        """Read the source's trunk once, as a sync would (no change is recorded)."""
        batch = source.open().gather(cursor=None, since=self._now())
        return "; ".join(("readable", *batch.notices))  # e.g. a shallow clone

    def _jira(self) -> list[CheckResult]:
        """Authenticate, then for each train with a board read it and find (or say it would
        create) its ticket; nothing is written."""
        results = [attempt("jira", lambda: self._tracker().server_check())]
        if not results[0].ok:
            return results
        for train in self._trains:
            results.extend(_jira_train(train))
        return results

    def _slack(self) -> Iterator[tuple[str, Callable[[], str]]]:
        yield "slack", lambda: self._chat().check()
        yield "slack scopes", lambda: self._chat().check_scopes()
        if self._slack_mode is not None:
            mode, variable = self._slack_mode
            yield "slack mode", lambda: f"{mode} mode: {variable} is set"
        for train in self._trains:
            if train.slack_channel:
                yield (
                    f"train {train.name} slack channel",
                    partial(self._in_channel, train.slack_channel),
                )
            for group in train.approver_groups:
                yield f"train {train.name} approver group {group}", partial(self._group, group)

    def _in_channel(self, channel: str) -> str:
        if not self._chat().bot_in_channel(channel=channel):
            raise ServiceError(f"the bot is not in channel {channel}: invite it (/invite @the-bot)")
        return f"the bot is in {channel}"

    def _group(self, group: str) -> str:
        members = self._chat().group_members(group=group)
        return f"{len(members)} member(s) readable"


def attempt(name: str, check: Callable[[], str]) -> CheckResult:
    """Run one check: its line, or why it failed (the error's exit code kept)."""
    try:
        return CheckResult(name, True, check())
    except BotError as exc:
        return CheckResult(name, False, str(exc), exc.exit_code)


def report(results: Sequence[CheckResult]) -> dict[str, Any]:
    """The results as `check --json` prints them: one object, `ok` when every check passed,
    and each check's name, verdict and message (the text its line shows)."""
    return {
        "ok": all(result.ok for result in results),
        "checks": [
            {"name": result.name, "ok": result.ok, "message": result.detail} for result in results
        ],
    }


def outcome(results: Sequence[CheckResult]) -> BotError | None:
    """How the run ends: None when every check passed, else an error whose exit code is the
    worst failure's (3 when a service failed, else 2)."""
    failed = [r for r in results if not r.ok]
    if not failed:
        return None
    worst = max(r.exit_code for r in failed)
    error = ServiceError if worst == 3 else ConfigError
    return error(f"{len(failed)} check(s) failed; the first: {failed[0].name}")


_STORE_STATES = {
    "fresh": "not created yet; the first sync creates it",
    "current": "schema is current",
    "old": "schema is behind; `release-train db upgrade` (or auto_upgrade) brings it up",
}


def _calendar_line(train: TrainTarget) -> str:
    if train.cadence is None:
        return f"from Jira board {train.board_id} (read with --online)"
    return describe_current(train.cadence().current(), train.tz)


def describe_current(sprint: Sprint | None, zone: ZoneInfo) -> str:
    """The current sprint for a check's line, its days worded as status words them."""
    if sprint is None:
        return "no sprint holds today"
    return f"current sprint {sprint.name} ({window_text(sprint, zone)})"


def _jira_train(train: TrainTarget) -> list[CheckResult]:
    with train.probe() as (calendar, attach):
        results = [attempt(f"train {train.name} board", lambda: _board_line(calendar, train.tz))]
        current = calendar.current() if results[0].ok else None
        if attach is not None and current is not None:
            results.append(
                attempt(f"train {train.name} ticket", lambda: _ticket_line(attach, current))
            )
        return results


def _board_line(calendar: SprintCalendar, zone: ZoneInfo) -> str:
    line = describe_current(calendar.current(), zone)
    notices = calendar.notices
    return line + (f" ({'; '.join(notices)})" if notices else "")


def _ticket_line(attach: AttachService, sprint: Sprint) -> str:
    result = attach.run(sprint=sprint, dry_run=True, current=True)
    if result.ticket is not None:
        return f"{result.ticket.key} ({result.ticket.url})"
    return "; ".join(result.planned + result.notices) or "none found and create = false"
