"""A train's configuration: its sprints, Release Train ticket, schedules and sources."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bot.settings.fields import (
    ConfigPath,
    Glob,
    HttpUrl,
    JiraLabel,
    Name,
    NonBlank,
    Section,
    SlackId,
    Template,
    TimeZone,
    cron,
    placeholders,
    problem,
    resolve_path,
    shaped,
    unique,
)


class SprintSettings(Section):
    """Where sprint windows come from: a Jira board, or a fixed cadence."""

    board_id: int | None = Field(default=None, ge=1)
    length_days: int | None = Field(default=None, ge=1, le=366)
    first_day: date | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Self:
        cadence = self.length_days is not None or self.first_day is not None
        if self.board_id is not None and cadence:
            raise problem(
                ("board_id",), "set either board_id or length_days and first_day, not both"
            )
        if self.board_id is None and not cadence:
            raise problem(
                (), "set board_id (a Jira board) or length_days and first_day (a fixed cadence)"
            )
        if self.board_id is None and self.length_days is None:
            raise problem(("length_days",), "required together with first_day")
        if self.board_id is None and self.first_day is None:
            raise problem(("first_day",), "required together with length_days")
        return self


class TicketSettings(Section):
    """How the sprint's Release Train ticket is found in Jira, or created."""

    jql: Template
    create: bool = False
    project: Annotated[str, shaped(r"[A-Z][A-Z0-9_]+", "a Jira project key")] | None = None
    issue_type: NonBlank = "Task"
    summary: Template = "Release Train: {sprint_name}"
    labels: list[JiraLabel] = Field(default_factory=lambda: ["release-train"])
    link_referenced_issues: bool = True

    @model_validator(mode="after")
    def _project_when_creating(self) -> Self:
        if self.create and self.project is None:
            raise problem(("project",), "required when create = true")
        return self


class _Source(Section):
    """What every kind of source has: a name, a trunk, path filters and a first day."""

    name: Name
    # A leading '-' would reach git as an option.
    branch: Annotated[str, shaped(r"[^\s-]\S*", "a branch name")] | None = None
    paths: list[Glob] = Field(default_factory=list)
    since: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _check_locator(cls, data: Any) -> Any:
        """Name a key of another kind, or the missing locator, before any other problem."""
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            return data
        kind = data["kind"]
        for other, keys in _KEYS_OF_KIND.items():
            stray = next((key for key in keys if other != kind and key in data), None)
            if stray is not None:
                raise problem((stray,), f"only {other} sources use {stray}, this one is {kind}")
        locator = _LOCATOR[kind]
        raw = data.get(locator)
        if raw is None:
            raise problem((locator,), f"required for kind = '{kind}'")
        if "name" in data or not isinstance(raw, str | Path) or not str(raw):
            return data
        derived = resolve_path(Path(raw)).name if locator == "path" else str(raw).split("/")[-1]
        if not derived:
            raise problem(("name",), "required (it cannot be derived from the location)")
        return {**data, "name": derived}


class GitSourceSettings(_Source):
    """A local clone, read only."""

    kind: Literal["git"]
    path: ConfigPath
    web_url: HttpUrl | None = None

    @field_validator("web_url")
    @classmethod
    def _sha_placeholder(cls, value: str | None) -> str | None:
        if value is not None and "{sha}" not in placeholders(value, allowed=frozenset({"sha"})):
            raise ValueError(f"{value!r} has no {{sha}} placeholder for the commit")
        return value

    @property
    def location(self) -> str:
        """Where the source is, for people."""
        return str(self.path)


class GitHubSourceSettings(_Source):
    """A GitHub repository, read through [github]."""

    kind: Literal["github"]
    repo: Annotated[str, shaped(r"[\w.-]+/[\w.-]+", "owner/name")]

    @property
    def location(self) -> str:
        """Where the source is, for people."""
        return self.repo


class GitLabSourceSettings(_Source):
    """A GitLab project, read through [gitlab]."""

    kind: Literal["gitlab"]
    project: Annotated[str, shaped(r"[\w.-]+(/[\w.-]+)+", "a group/name path")]

    @property
    def location(self) -> str:
        """Where the source is, for people."""
        return self.project


SOURCE_KINDS = ("git", "github", "gitlab")
# Each kind of source is located by exactly one key; the keys below belong to one kind alone.
_LOCATOR: Mapping[str, str] = {"git": "path", "github": "repo", "gitlab": "project"}
_KEYS_OF_KIND: Mapping[str, tuple[str, ...]] = {
    "git": ("path", "web_url"),
    "github": ("repo",),
    "gitlab": ("project",),
}
# One repository whose trunk the train follows; `kind` decides which of the three it is.
SourceSettings = Annotated[
    GitSourceSettings | GitHubSourceSettings | GitLabSourceSettings, Field(discriminator="kind")
]


class TrainSettings(Section):
    """One release train: its sprints, ticket, Slack channel and sources."""

    name: Name
    timezone: TimeZone = "UTC"
    sync_schedule: str = "*/15 * * * *"
    digest_schedule: str = "0 9 * * MON"
    # Optional: when `serve` posts a new draft for approval (only when the notes changed).
    draft_schedule: str | None = None
    slack_channel: NonBlank | None = None
    approvers: list[SlackId] = Field(default_factory=list)
    approver_groups: list[SlackId] = Field(default_factory=list)
    sprint: SprintSettings
    ticket: TicketSettings | None = None
    sources: list[SourceSettings] = Field(min_length=1)

    @field_validator("sync_schedule", "digest_schedule", "draft_schedule")
    @classmethod
    def _valid_cron(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else cron(value, timezone=info.data.get("timezone", "UTC"))

    @model_validator(mode="after")
    def _unique_sources(self) -> Self:
        unique([s.name for s in self.sources], loc=("sources",), what="source")
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The train's time zone, for schedules and for dates shown to people."""
        return ZoneInfo(self.timezone)
