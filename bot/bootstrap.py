"""The composition root: the only place concrete adapters are built from settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.adapters.jira_tracker import JiraTracker
    from bot.adapters.sources.github import GitHubClient
    from bot.adapters.sources.gitlab import GitLabClient
    from bot.domain.policy import PolicyConfig
    from bot.ports import ChangeSource, Renderer, SprintCalendar, Store
    from bot.services.attach import AttachService
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


def build_calendar(
    train: TrainSettings, *, store: Store, clients: Clients, dry_run: bool = False
) -> SprintCalendar:
    """Where the train's sprint windows come from: its Jira board, or a fixed cadence."""
    sprint = train.sprint
    if sprint.board_id is not None:
        from bot.services.jira_calendar import JiraCalendar

        return JiraCalendar(
            tracker=clients.jira(),
            store=store,
            train=train.name,
            board_id=sprint.board_id,
            clock=SystemClock(),
            dry_run=dry_run,
        )
    from bot.services.calendar import CadenceCalendar

    if sprint.length_days is None or sprint.first_day is None:  # the settings require them
        raise ConfigError(
            f"trains[{train.name}].sprint needs board_id, or length_days and first_day"
        )
    return CadenceCalendar(
        first_day=sprint.first_day, length_days=sprint.length_days, tz=train.tz, clock=SystemClock()
    )


def build_attach(
    settings: Settings, train: TrainSettings, store: Store, *, clients: Clients
) -> AttachService | None:
    """The service that keeps the sprint's Release Train ticket; None without a ticket."""
    if train.ticket is None or settings.jira is None:
        return None
    from bot.services.attach import AttachService
    from bot.services.tickets import TicketRules, TicketService

    rules = TicketRules(
        jql=train.ticket.jql,
        create=train.ticket.create,
        project=train.ticket.project,
        issue_type=train.ticket.issue_type,
        summary=train.ticket.summary,
        labels=tuple(train.ticket.labels),
        link_referenced_issues=train.ticket.link_referenced_issues,
    )
    tracker = clients.jira()
    tickets = TicketService(
        train=train.name,
        rules=rules,
        tracker=tracker,
        store=store,
        clock=SystemClock(),
        browse_url=settings.jira.url,
    )
    return AttachService(
        train=train.name,
        tracker=tracker,
        store=store,
        tickets=tickets,
        link_referenced_issues=rules.link_referenced_issues,
    )


def ticket_url(settings: Settings, key: str) -> str:
    """A ticket's page for people."""
    from urllib.parse import quote

    base = settings.jira.url if settings.jira is not None else ""
    return base.rstrip("/") + "/browse/" + quote(key, safe="")


def build_policy(policy: PolicySettings) -> PolicyConfig:
    """The domain's policy configuration from the `[policy]` settings."""
    return policy.config()


class Clients:
    """The HTTP clients sources share (one per service), built on first use, closed once."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._github: GitHubClient | None = None
        self._gitlab: GitLabClient | None = None
        self._jira: JiraTracker | None = None

    def _token(self, section: str, service: str) -> str:
        """The section's token from the environment, or a ConfigError naming the variable."""
        from bot.settings import require_secret, secret_env_var

        settings = getattr(self._settings, section)
        if settings is None:  # the settings refuse what needs a service without its section
            raise ConfigError(f"this needs a [{section}] section")
        env = secret_env_var(section, "token")
        return require_secret(settings.token, env=env, service=service)

    def jira(self) -> JiraTracker:
        """The Jira tracker (the Release Train tickets' home)."""
        if self._jira is None:
            from bot.adapters.jira_tracker import JiraTracker

            token = self._token("jira", "Jira")
            section = self._settings.jira
            assert section is not None  # noqa: S101 - _token checked it
            self._jira = JiraTracker(
                url=section.url, deployment=section.deployment, email=section.email, token=token
            )
        return self._jira

    def github(self) -> GitHubClient:
        """The GitHub client, shared by every github source."""
        if self._github is None:
            from bot.adapters.sources.github import GitHubClient

            token = self._token("github", "GitHub")
            section = self._settings.github
            assert section is not None  # noqa: S101 - _token checked it
            self._github = GitHubClient(
                api_url=section.api_url, token=token, concurrency=section.concurrency
            )
        return self._github

    def gitlab(self) -> GitLabClient:
        """The GitLab client, shared by every gitlab source."""
        if self._gitlab is None:
            from bot.adapters.sources.gitlab import GitLabClient

            token = self._token("gitlab", "GitLab")
            section = self._settings.gitlab
            assert section is not None  # noqa: S101 - _token checked it
            self._gitlab = GitLabClient(
                url=section.url, token=token, concurrency=section.concurrency
            )
        return self._gitlab

    def close(self) -> None:
        """Close every client that was built."""
        for client in (self._github, self._gitlab, self._jira):
            if client is not None:
                client.close()
        self._github = self._gitlab = None
        self._jira = None


def build_source(
    settings: Settings, train: TrainSettings, source: SourceSettings, clients: Clients
) -> ChangeSource:
    """One configured source of the train."""
    from bot.settings import GitHubSourceSettings, GitLabSourceSettings

    migration_paths = tuple(settings.policy.migration_paths)
    if isinstance(source, GitHubSourceSettings):
        from bot.adapters.sources.github import GitHubSource

        return GitHubSource(
            name=source.name,
            repo=source.repo,
            branch=source.branch,
            paths=tuple(source.paths),
            migration_paths=migration_paths,
            client=clients.github(),
        )
    if isinstance(source, GitLabSourceSettings):
        from bot.adapters.sources.gitlab import GitLabSource

        return GitLabSource(
            name=source.name,
            project=source.project,
            branch=source.branch,
            paths=tuple(source.paths),
            migration_paths=migration_paths,
            client=clients.gitlab(),
        )
    from bot.adapters.sources.git import GitSource

    return GitSource(
        name=source.name,
        path=source.path,
        branch=source.branch or "HEAD",
        paths=tuple(source.paths),
        web_url=source.web_url,
        migration_paths=migration_paths,
    )


def source_since(source: SourceSettings, train: TrainSettings, current: datetime) -> datetime:
    """Where a source's first sync starts: its `since` day, else the current sprint's start."""
    if source.since is None:
        return current
    return datetime.combine(source.since, time(0), tzinfo=train.tz).astimezone(UTC)


def build_sync(
    settings: Settings,
    train: TrainSettings,
    store: Store,
    *,
    calendar: SprintCalendar,
    clients: Clients,
    progress: Progress | None,
) -> SyncService:
    """The sync service for one train, wired to its sources, sprints and store."""
    from bot.services.sync import SourceSpec, SyncService

    start = calendar.open_since()
    specs: list[SourceSpec] = [
        SourceSpec(
            source=build_source(settings, train, src, clients),
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
        clock=SystemClock(),
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
