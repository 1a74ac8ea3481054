"""How each concrete adapter is built from its settings section (each call builds one).

The only module that constructs the SQL store (`new_store`), so every way of opening one — a
train's, `serve`'s, a check's look at it, a dry run's scratch store — starts here.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from bot.bootstrap.clients import SystemClock
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.adapters.store import SqlStore
    from bot.bootstrap.clients import Clients
    from bot.ports.calendar import SprintCalendar
    from bot.ports.chat import ChatNotifier
    from bot.ports.progress import ReadProgress
    from bot.ports.render import Renderer
    from bot.ports.sources import ChangeSource
    from bot.ports.store import Store
    from bot.settings import Settings, SourceSettings, TrainSettings


def new_store(url: str) -> SqlStore:
    """A store over `url`, not yet connected (nothing is read or created until it is used)."""
    from bot.adapters.store import SqlStore

    return SqlStore(url=url)


def open_store(settings: Settings, *, dry_run: bool, read_only: bool = False) -> Store:
    """The store for a train's runtime, its schema prepared; a dry run never creates or
    upgrades it, and reads a store that does not exist yet as an empty in-memory one, so it can
    still say what a first sync would record. A read-only opening never creates, upgrades or
    writes: a missing store is an error naming the command that creates it."""
    if read_only:
        return _open_for_reading(settings)
    store = new_store(settings.store.url)
    if not dry_run:
        store.prepare(auto_upgrade=settings.store.auto_upgrade)
        return store
    if store.schema_state() == "fresh":
        store.close()
        return scratch_store()
    store.prepare(auto_upgrade=False)
    return store


def _open_for_reading(settings: Settings) -> Store:
    from bot.adapters.store.connection import parse_url, read_only, sqlite_file

    url = settings.store.url
    parsed = parse_url(url)
    path = sqlite_file(parsed)
    store = new_store(url)
    if path is not None and not path.exists():
        raise _no_store_yet(store.display_url)
    if path is not None and not os.access(path.parent, os.W_OK):
        # SQLite could not keep its shared-memory index in this folder (and nothing can be
        # writing the file there): the file is read as read-only and immutable.
        immutable = read_only(path, parsed).update_query_dict({"immutable": "1"})
        store = new_store(immutable.render_as_string(hide_password=False))
    elif path is None and store.schema_state() == "fresh":
        store.close()
        raise _no_store_yet(store.display_url)
    try:
        store.prepare(auto_upgrade=False)  # an old schema is refused, naming `db upgrade`
    except BaseException:
        store.close()
        raise
    return store


def _no_store_yet(where: str) -> ConfigError:
    return ConfigError(f"there is no store at {where} yet; `release-train sync` creates it")


def scratch_store() -> Store:
    """An empty in-memory store (for dry runs and checks that must not touch the real one)."""
    scratch = new_store("sqlite://")
    scratch.prepare(auto_upgrade=True)
    return scratch


def cadence_calendar(train: TrainSettings) -> SprintCalendar:
    """The train's fixed-cadence sprints (no store, no Jira)."""
    from bot.services.sprints.cadence import CadenceCalendar

    sprint = train.sprint
    if sprint.length_days is None or sprint.first_day is None:  # the settings require them
        raise ConfigError(
            f"trains[{train.name}].sprint needs board_id, or length_days and first_day"
        )
    return CadenceCalendar(
        first_day=sprint.first_day, length_days=sprint.length_days, tz=train.tz, clock=SystemClock()
    )


def ticket_url(settings: Settings, key: str) -> str:
    """A ticket's page for people."""
    from urllib.parse import quote

    base = settings.jira.url if settings.jira is not None else ""
    return base.rstrip("/") + "/browse/" + quote(key, safe="")


def build_renderer(settings: Settings) -> Renderer:
    """The release-notes renderer, over the user's templates when configured."""
    from bot.adapters.renderer import JinjaRenderer

    return JinjaRenderer(templates_dir=settings.notes.templates_dir)


def build_notifier(settings: Settings) -> ChatNotifier:
    """The Slack Web API client (it holds no connection between calls)."""
    from bot.adapters.slack import SlackNotifier

    section = settings.slack
    if section is None:
        raise ConfigError("this needs a [slack] section in the configuration")
    return SlackNotifier(token=section.secret("bot_token"), api_url=section.api_url)


def build_source(
    settings: Settings,
    source: SourceSettings,
    clients: Clients,
    *,
    progress: ReadProgress | None = None,
) -> ChangeSource:
    """One configured source of a train, telling `progress` what it reads (a terminal's)."""
    from bot.settings import GitHubSourceSettings, GitLabSourceSettings

    # Sources keep the patches the policy reads: migrations (post-deployment ones too), and
    # the added lines that evaluate a feature flag.
    policy = settings.policy
    migration_paths = (*policy.migration_paths, *policy.post_deploy_paths)
    flag_patterns = tuple(policy.flag_patterns)
    if isinstance(source, GitHubSourceSettings):
        from bot.adapters.sources.github import GitHubSource

        return GitHubSource(
            name=source.name,
            repo=source.repo,
            branch=source.branch,
            paths=tuple(source.paths),
            migration_paths=migration_paths,
            flag_patterns=flag_patterns,
            client=clients.github(),
            progress=progress,
        )
    if isinstance(source, GitLabSourceSettings):
        from bot.adapters.sources.gitlab import GitLabSource

        return GitLabSource(
            name=source.name,
            project=source.project,
            branch=source.branch,
            paths=tuple(source.paths),
            migration_paths=migration_paths,
            flag_patterns=flag_patterns,
            client=clients.gitlab(),
            progress=progress,
        )
    from bot.adapters.sources.git import GitSource

    return GitSource(
        name=source.name,
        path=source.path,
        branch=source.branch or "HEAD",
        paths=tuple(source.paths),
        web_url=source.web_url,
        migration_paths=migration_paths,
        flag_patterns=flag_patterns,
        progress=progress,
    )


def source_since(source: SourceSettings, train: TrainSettings, current: datetime) -> datetime:
    """Where a source's first sync starts: its `since` day, else the current sprint's start."""
    if source.since is None:
        return current
    return datetime.combine(source.since, time(0), tzinfo=train.tz).astimezone(UTC)
