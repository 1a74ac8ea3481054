"""The HTTP clients a configuration needs (one per service), built on first use, closed once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.adapters.jira_tracker import JiraTracker
    from bot.adapters.sources.github import GitHubClient
    from bot.adapters.sources.gitlab import GitLabClient
    from bot.settings import Settings


# Seconds a Jira call of a sync (or a command) may spend waiting out throttling and outages.
SYNC_JIRA_BUDGET = 120.0


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class Clients:
    """The HTTP clients sources share (one per service), built on first use, closed once."""

    def __init__(self, settings: Settings, *, jira_retry_budget: float | None = None) -> None:
        self._settings = settings
        self._jira_retry_budget = jira_retry_budget  # None: the tracker's own (a sync's)
        self._github: GitHubClient | None = None
        self._gitlab: GitLabClient | None = None
        self._jira: JiraTracker | None = None

    def _section(self, name: str) -> Any:
        """The service's settings section (the settings refuse a use without it)."""
        section = getattr(self._settings, name)
        if section is None:
            raise ConfigError(f"this needs a [{name}] section")
        return section

    def jira(self) -> JiraTracker:
        """The Jira tracker (the Release Train tickets' home)."""
        if self._jira is None:
            from bot.adapters.jira_tracker import JiraTracker

            section = self._section("jira")
            self._jira = JiraTracker(
                url=section.url,
                deployment=section.deployment,
                email=section.email,
                token=section.secret("token"),
                retry_budget=self._jira_retry_budget or SYNC_JIRA_BUDGET,
            )
        return self._jira

    def github(self) -> GitHubClient:
        """The GitHub client, shared by every github source."""
        if self._github is None:
            from bot.adapters.sources.github import GitHubClient

            section = self._section("github")
            self._github = GitHubClient(
                api_url=section.api_url,
                token=section.secret("token"),
                concurrency=section.concurrency,
            )
        return self._github

    def gitlab(self) -> GitLabClient:
        """The GitLab client, shared by every gitlab source."""
        if self._gitlab is None:
            from bot.adapters.sources.gitlab import GitLabClient

            section = self._section("gitlab")
            self._gitlab = GitLabClient(
                url=section.url, token=section.secret("token"), concurrency=section.concurrency
            )
        return self._gitlab

    def close(self) -> None:
        """Close every client that was built."""
        for client in (self._github, self._gitlab, self._jira):
            if client is not None:
                client.close()
        self._github = self._gitlab = None
        self._jira = None
