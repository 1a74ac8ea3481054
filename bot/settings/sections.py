"""The configuration's service sections, plus the store, server, policy and notes tables."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import Field, field_validator, model_validator

from bot.logs import mask_urls
from bot.settings.fields import (
    ConfigPath,
    FlagPattern,
    Glob,
    HttpUrl,
    Label,
    NonBlank,
    Regex,
    Secret,
    Section,
    problem,
    require_secret,
    secret_env_var,
    secret_values,
    shaped,
)
from bot.settings.store_url import check_store_url, location_problem, url_secrets

if TYPE_CHECKING:
    from bot.domain.config import PolicyConfig


class StoreSettings(Section):
    """Where the bot keeps its record: a SQLAlchemy database URL."""

    # A relative SQLite file is beside the configuration file, the default included.
    url: str = Field(default="sqlite:///release-train.db", validate_default=True)
    auto_upgrade: bool = True

    @field_validator("url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        return check_store_url(value)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "url", mask_urls(self.url)
        yield "auto_upgrade", self.auto_upgrade

    def secrets(self) -> list[str]:
        """The credentials the URL holds, to be masked wherever text leaves the process."""
        return url_secrets(self.url)

    def location_problem(self) -> str | None:
        """Why the store cannot keep a lasting record (in memory, not writable); None if it can."""
        return location_problem(self.url)


class _Service(Section):
    """A section for an outside service, whose secrets arrive through the environment."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        self._check_keys()
        for name, text in secret_values(self):
            if not text.strip():
                raise problem((name,), "is set but empty")
            if text != text.strip():
                raise problem((name,), "has leading or trailing whitespace")
        return self

    def _check_keys(self) -> None:
        """Rules across the section's other keys, checked before its secrets."""

    def secret(self, key: str) -> str:
        """A secret's value: loading refused a configured section without the secrets it
        needs, so only settings built by hand (no file, no environment) can miss one."""
        section = type(self).__name__.removesuffix("Settings").lower()
        return require_secret(
            getattr(self, key, None), env=secret_env_var(section, key), service=f"[{section}]"
        )


class JiraSettings(_Service):
    """The Jira site that holds the boards and the Release Train tickets."""

    url: HttpUrl
    deployment: Literal["cloud", "datacenter"] = "cloud"
    email: str | None = None
    token: Secret = None

    def _check_keys(self) -> None:
        if self.deployment == "cloud" and not self.email:
            raise problem(("email",), "required for deployment = 'cloud' (the API token's owner)")
        if self.deployment == "datacenter" and self.email is not None:
            raise problem(("email",), "only used with deployment = 'cloud'")
        if self.email is not None and "@" not in self.email:
            raise problem(("email",), f"{self.email!r} is not an email address")


class SlackSettings(_Service):
    """The Slack app: how it receives events and where the Web API is."""

    mode: Literal["socket", "http"] = "socket"
    command: Annotated[str, shaped(r"/[a-z0-9_-]+", "a slash command such as /release-train")] = (
        "/release-train"
    )
    api_url: HttpUrl = "https://slack.com/api/"
    bot_token: Secret = None
    signing_secret: Secret = None
    app_token: Secret = None


class GitHubSettings(_Service):
    """GitHub or GitHub Enterprise Server, for github sources."""

    api_url: HttpUrl = "https://api.github.com"
    concurrency: int = Field(default=8, ge=1, le=64)
    token: Secret = None


class GitLabSettings(_Service):
    """GitLab (gitlab.com or self-managed), for gitlab sources."""

    url: HttpUrl = "https://gitlab.com"
    concurrency: int = Field(default=8, ge=1, le=64)
    token: Secret = None


class ServerSettings(Section):
    """Where `serve` listens for Slack (HTTP mode), health checks and metrics."""

    host: NonBlank = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)


@lru_cache(maxsize=1)
def _policy_defaults() -> PolicyConfig:
    """The domain's policy defaults, the one place they are written."""
    # Imported on first use, from the module that only holds the configuration: the
    # classifier's modules (and their compiled patterns) are not needed to read the settings.
    from bot.domain.config import PolicyConfig

    return PolicyConfig()


def _default(name: str) -> Any:
    """A default factory for the `[policy]` key `name`: the domain's value, lists as lists."""

    def factory() -> Any:
        value = getattr(_policy_defaults(), name)
        return list(value) if isinstance(value, tuple) else value

    return factory


class PolicySettings(Section):
    """The release process's rules; the defaults are the domain's (the written process)."""

    breaking_labels: list[Label] = Field(default_factory=_default("breaking_labels"))
    flag_labels: list[Label] = Field(default_factory=_default("flag_labels"))
    flag_trailer: Annotated[str, shaped(r"[A-Za-z0-9][A-Za-z0-9-]*", "a trailer token")] = Field(
        default_factory=_default("flag_trailer")
    )
    ui_labels: list[Label] = Field(default_factory=_default("ui_labels"))
    ui_paths: list[Glob] = Field(default_factory=_default("ui_paths"))
    large_ui_lines: int = Field(default_factory=_default("large_ui_lines"), ge=0)
    data_labels: list[Label] = Field(default_factory=_default("data_labels"))
    migration_paths: list[Glob] = Field(default_factory=_default("migration_paths"))
    post_deploy_paths: list[Glob] = Field(default_factory=_default("post_deploy_paths"))
    flag_patterns: list[FlagPattern] = Field(default_factory=_default("flag_patterns"))
    ui_exclude_paths: list[Glob] = Field(default_factory=_default("ui_exclude_paths"))
    waiver_trailer: Annotated[str, shaped(r"[A-Za-z0-9][A-Za-z0-9-]*", "a trailer token")] = Field(
        default_factory=_default("waiver_trailer")
    )
    waiver_labels: list[Label] = Field(default_factory=_default("waiver_labels"))
    jira_key_pattern: Regex = Field(default_factory=_default("jira_key_pattern"))

    def config(self) -> PolicyConfig:
        """The domain's policy configuration these settings describe."""
        from bot.domain.policy import PolicyConfig

        return PolicyConfig(
            breaking_labels=tuple(self.breaking_labels),
            flag_labels=tuple(self.flag_labels),
            flag_trailer=self.flag_trailer,
            ui_labels=tuple(self.ui_labels),
            ui_paths=tuple(self.ui_paths),
            large_ui_lines=self.large_ui_lines,
            data_labels=tuple(self.data_labels),
            migration_paths=tuple(self.migration_paths),
            post_deploy_paths=tuple(self.post_deploy_paths),
            flag_patterns=tuple(self.flag_patterns),
            ui_exclude_paths=tuple(self.ui_exclude_paths),
            waiver_trailer=self.waiver_trailer,
            waiver_labels=tuple(self.waiver_labels),
            jira_key_pattern=self.jira_key_pattern,
        )


class NotesSettings(Section):
    """Release-notes templates; None means the ones shipped with the bot."""

    templates_dir: ConfigPath | None = None
