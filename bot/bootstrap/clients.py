"""The HTTP clients a configuration needs (one per service), built on first use, closed once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.adapters.jira_tracker import JiraTracker
    from bot.adapters.sources.github import GitHubClient
    from bot.adapters.sources.gitlab import GitLabClient
    from bot.settings import Settings


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


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
