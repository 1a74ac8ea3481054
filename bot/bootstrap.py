"""The composition root: the only place concrete adapters are built from settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.domain.policy import PolicyConfig
    from bot.ports import ChangeSource, Renderer, SprintCalendar, Store
    from bot.services.sync import Progress, SourceSpec, SyncService
    from bot.settings import PolicySettings, Settings, SourceSettings, TrainSettings


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class TrainContext:
    """Everything a command needs for one train, built lazily from the settings."""

    settings: Settings
    train: TrainSettings
    clock: SystemClock


def build_store(settings: Settings, *, prepare: bool = True) -> Store:
    """The configured store, with its schema prepared (created, upgraded or checked)."""
    from bot.adapters.store import SqlStore

    store = SqlStore(url=settings.store.url)
    if prepare:
        store.prepare(auto_upgrade=settings.store.auto_upgrade)
    return store


def build_calendar(train: TrainSettings) -> SprintCalendar:
    """Where the train's sprint windows come from."""
    from bot.services.calendar import CadenceCalendar

    sprint = train.sprint
    if sprint.length_days is None or sprint.first_day is None:
        raise ConfigError(
            f"trains[{train.name}].sprint: sprints from a Jira board (board_id) are not "
            "supported by this version; set length_days and first_day"
        )
    return CadenceCalendar(first_day=sprint.first_day, length_days=sprint.length_days, tz=train.tz)


def build_policy(policy: PolicySettings) -> PolicyConfig:
    """The domain's policy configuration from the `[policy]` settings."""
    from bot.domain.policy import PolicyConfig

    return PolicyConfig(
        breaking_labels=tuple(policy.breaking_labels),
        flag_labels=tuple(policy.flag_labels),
        flag_trailer=policy.flag_trailer,
        ui_labels=tuple(policy.ui_labels),
        ui_paths=tuple(policy.ui_paths),
        large_ui_lines=policy.large_ui_lines,
        data_labels=tuple(policy.data_labels),
        migration_paths=tuple(policy.migration_paths),
        jira_key_pattern=policy.jira_key_pattern,
    )


def build_source(settings: Settings, train: TrainSettings, source: SourceSettings) -> ChangeSource:
    """One configured source of the train."""
    if source.kind != "git":
        raise ConfigError(
            f"trains[{train.name}].sources[{source.name}].kind: '{source.kind}' sources are "
            'not supported by this version; use kind = "git"'
        )
    from bot.adapters.sources.git import GitSource

    if source.path is None:  # the settings require it; this keeps the type checker honest
        raise ConfigError(f"trains[{train.name}].sources[{source.name}].path is required")
    return GitSource(
        name=source.name,
        path=source.path,
        branch=source.branch or "HEAD",
        paths=tuple(source.paths),
        web_url=source.web_url,
        migration_paths=tuple(settings.policy.migration_paths),
    )


def source_since(source: SourceSettings, train: TrainSettings, current: datetime) -> datetime:
    """Where a source's first sync starts: its `since` day, else the current sprint's start."""
    if source.since is None:
        return current
    return datetime.combine(source.since, time(0), tzinfo=train.tz).astimezone(UTC)


def build_sync(
    settings: Settings, train: TrainSettings, store: Store, *, progress: Progress | None
) -> SyncService:
    """The sync service for one train, wired to its sources and store."""
    from bot.services.sync import SourceSpec, SyncService

    clock = SystemClock()
    calendar = build_calendar(train)
    now = clock.now()
    current = calendar.sprint_for(now)
    start = current.start if current is not None else now
    specs: list[SourceSpec] = [
        SourceSpec(
            source=build_source(settings, train, src),
            since=source_since(src, train, start),
        )
        for src in train.sources
    ]
    return SyncService(
        train=train.name,
        store=store,
        sources=specs,
        calendar=calendar,
        policy=build_policy(settings.policy),
        clock=clock,
        progress=progress,
    )


def build_renderer(settings: Settings) -> Renderer:
    """The release-notes renderer, over the user's templates when configured."""
    from bot.adapters.renderer import JinjaRenderer

    return JinjaRenderer(templates_dir=settings.notes.templates_dir)


def open_store_for(settings: Settings, *, dry_run: bool) -> Store:
    """The store for a command; a dry run never creates or upgrades it.

    A dry run against a store that does not exist yet reads from an empty in-memory store,
    so it can still say what a first sync would record.
    """
    if not dry_run:
        return build_store(settings)
    from bot.adapters.store import SqlStore

    store = SqlStore(url=settings.store.url)
    if store.schema_state() == "fresh":
        store.close()
        store = SqlStore(url="sqlite://")
        store.prepare(auto_upgrade=True)
        return store
    store.prepare(auto_upgrade=False)
    return store
