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


# Each kind of source is located by exactly one key; the others would be silently ignored.
_LOCATOR: Mapping[str, str] = {"git": "path", "github": "repo", "gitlab": "project"}


class SourceSettings(Section):
    """One repository whose trunk the train follows."""

    name: Name = ""
    kind: Literal["git", "github", "gitlab"]
    repo: Annotated[str, shaped(r"[\w.-]+/[\w.-]+", "owner/name")] | None = None
    project: Annotated[str, shaped(r"[\w.-]+(/[\w.-]+)+", "a group/name path")] | None = None
    path: ConfigPath | None = None
    # A leading '-' would reach git as an option.
    branch: Annotated[str, shaped(r"[^\s-]\S*", "a branch name")] | None = None
    paths: list[Glob] = Field(default_factory=list)
    since: date | None = None
    web_url: HttpUrl | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "name" in data or not isinstance(data.get("kind"), str):
            return data
        locator = _LOCATOR.get(data["kind"])
        raw = data.get(locator) if locator else None
        if isinstance(raw, str | Path) and str(raw):
            derived = resolve_path(Path(raw)).name if locator == "path" else str(raw).split("/")[-1]
            return {**data, "name": derived}
        return data

    @field_validator("web_url")
    @classmethod
    def _sha_placeholder(cls, value: str | None) -> str | None:
        if value is not None and "{sha}" not in placeholders(value, allowed=frozenset({"sha"})):
            raise ValueError(f"{value!r} has no {{sha}} placeholder for the commit")
        return value

    @model_validator(mode="after")
    def _keys_of_kind(self) -> Self:
        for kind, key in (*_LOCATOR.items(), ("git", "web_url")):
            value = getattr(self, key)
            if kind != self.kind and value is not None:
                raise problem((key,), f"only {kind} sources use {key}, this one is {self.kind}")
        if getattr(self, _LOCATOR[self.kind]) is None:
            raise problem((_LOCATOR[self.kind],), f"required for kind = '{self.kind}'")
        if not self.name:
            raise problem(("name",), "required (it cannot be derived from the location)")
        return self


class TrainSettings(Section):
    """One release train: its sprints, ticket, Slack channel and sources."""

    name: Name
    timezone: TimeZone = "UTC"
    sync_schedule: str = "*/15 * * * *"
    digest_schedule: str = "0 9 * * MON"
    slack_channel: NonBlank | None = None
    approvers: list[SlackId] = Field(default_factory=list)
    approver_groups: list[SlackId] = Field(default_factory=list)
    sprint: SprintSettings
    ticket: TicketSettings | None = None
    sources: list[SourceSettings] = Field(min_length=1)

    @field_validator("sync_schedule", "digest_schedule")
    @classmethod
    def _valid_cron(cls, value: str, info: ValidationInfo) -> str:
        return cron(value, timezone=info.data.get("timezone", "UTC"))

    @model_validator(mode="after")
    def _unique_sources(self) -> Self:
        unique([s.name for s in self.sources], loc=("sources",), what="source")
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The train's time zone, for schedules and for dates shown to people."""
        return ZoneInfo(self.timezone)
