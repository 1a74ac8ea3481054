"""Configuration: the TOML file plus RELEASE_TRAIN_* environment variables, validated at load."""

from __future__ import annotations

import os
import re
import string
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from bot.errors import ConfigError, UsageError

ENV_PREFIX = "RELEASE_TRAIN_"
CONFIG_ENV = "RELEASE_TRAIN_CONFIG"
DEFAULT_CONFIG = "release-train.toml"
# The only keys whose values are secrets; they are read from the environment alone.
SECRET_KEYS: Mapping[str, tuple[str, ...]] = {
    "jira": ("token",),
    "slack": ("bot_token", "signing_secret", "app_token"),
    "github": ("token",),
    "gitlab": ("token",),
}
_TEMPLATE_FIELDS = frozenset({"sprint_id", "sprint_name"})


def secret_env_var(section: str, key: str) -> str:
    """The environment variable that holds the secret `section.key`."""
    return f"{ENV_PREFIX}{section.upper()}__{key.upper()}"


def require_secret(value: SecretStr | None, *, env: str, service: str) -> str:
    """The secret's value, or a ConfigError naming the variable to set."""
    if value is None or not value.get_secret_value():
        raise ConfigError(f"{service} needs a secret that is not set: set {env} in the environment")
    return value.get_secret_value()


# --- field checks (each raises ValueError with a message that names what is wrong) ---


def _problem(key: tuple[str | int, ...], message: str) -> PydanticCustomError:
    """A model-level error that still names the offending key below the model."""
    return PydanticCustomError("config", "{message}", {"message": message, "key": key})


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _shaped(pattern: str, shape: str) -> AfterValidator:
    """A check that the whole value matches `pattern`, described to people as `shape`."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} is not {shape}")
        return value

    return AfterValidator(check)


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _jira_label(value: str) -> str:
    if not value or any(c.isspace() for c in value):
        raise ValueError(f"{value!r} is not a Jira label: labels are non-empty and have no spaces")
    return value


def _regex(value: str) -> str:
    if len(value) > 200:
        raise ValueError("regular expression is longer than 200 characters")
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
    if compiled.fullmatch(""):
        raise ValueError(f"regular expression {value!r} matches the empty string")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name such as 'Europe/Berlin')"
        ) from None
    return value


def _cron(expr: str, *, timezone: str) -> str:
    # Imported here so that loading settings does not pay for the scheduler unless needed.
    from apscheduler.triggers.cron import CronTrigger

    fields = expr.split()
    # APScheduler 3 counts weekdays from Monday = 0, crontab from Sunday = 0: names are unambiguous.
    if len(fields) == 5 and re.search(r"\d", re.sub(r"/\d+", "", fields[4])):
        raise ValueError(
            f"invalid cron expression {expr!r}: write the day of the week as names (MON-FRI),"
            " since cron dialects number the days differently"
        )
    try:
        CronTrigger.from_crontab(expr, timezone=ZoneInfo(timezone))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"invalid cron expression {expr!r}: {exc}") from None
    return expr


def _placeholders(text: str, *, allowed: frozenset[str]) -> str:
    names = ", ".join("{" + name + "}" for name in sorted(allowed))
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(
            f"malformed placeholder in {text!r} ({exc}); write {{{{ for a brace"
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is not None and (name not in allowed or spec or conversion):
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(f"unknown placeholder {{{written}}} in {text!r}; allowed: {names}")
    return text


def _template(text: str) -> str:
    return _placeholders(_non_blank(text), allowed=_TEMPLATE_FIELDS)


def _resolve(path: Path) -> Path:
    """Relative paths are relative to the configuration file's directory."""
    path = path.expanduser()
    if not path.is_absolute():
        request = _REQUEST.get()
        path = (request.base_dir if request else Path.cwd()) / path
    return Path(os.path.normpath(path))


NonBlank = Annotated[str, AfterValidator(_non_blank)]
Name = Annotated[
    str,
    _shaped(
        r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
        "a valid name (up to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)",
    ),
]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Glob = Annotated[str, AfterValidator(_non_blank)]
Label = Annotated[str, AfterValidator(_non_blank)]
JiraLabel = Annotated[str, AfterValidator(_jira_label)]
Template = Annotated[str, AfterValidator(_template)]
SlackId = Annotated[str, _shaped(r"[A-Z][A-Z0-9]{2,}", "a Slack id such as U0123456789")]
Secret = SecretStr | None


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_secrets(model: BaseModel) -> None:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            text = value.get_secret_value()
            if not text.strip():
                raise _problem((name,), "is set but empty")
            if text != text.strip():
                raise _problem((name,), "has leading or trailing whitespace")


# --- the sections ---


class StoreSettings(_Section):
    """Where the bot keeps its record: a SQLAlchemy database URL."""

    url: str = "sqlite:///release-train.db"
    auto_upgrade: bool = True

    @field_validator("url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        # The URL may hold a password, so the message never repeats it.
        scheme = value.partition("://")[0]
        if "://" not in value or scheme.partition("+")[0] not in ("sqlite", "postgresql"):
            raise ValueError("expected a sqlite:/// or postgresql+psycopg:// database URL")
        return value

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        password = urlsplit(self.url).password
        yield "url", self.url.replace(f":{password}@", ":***@") if password else self.url
        yield "auto_upgrade", self.auto_upgrade


class JiraSettings(_Section):
    """The Jira site that holds the boards and the Release Train tickets."""

    url: HttpUrl
    deployment: Literal["cloud", "datacenter"] = "cloud"
    email: str | None = None
    token: Secret = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.deployment == "cloud" and not self.email:
            raise _problem(("email",), "required for deployment = 'cloud' (the API token's owner)")
        if self.deployment == "datacenter" and self.email is not None:
            raise _problem(("email",), "only used with deployment = 'cloud'")
        if self.email is not None and "@" not in self.email:
            raise _problem(("email",), f"{self.email!r} is not an email address")
        _check_secrets(self)
        return self


class SlackSettings(_Section):
    """The Slack app: how it receives events and where the Web API is."""

    mode: Literal["socket", "http"] = "socket"
    command: Annotated[str, _shaped(r"/[a-z0-9_-]+", "a slash command such as /release-train")] = (
        "/release-train"
    )
    api_url: HttpUrl = "https://slack.com/api/"
    bot_token: Secret = None
    signing_secret: Secret = None
    app_token: Secret = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_secrets(self)
        return self


class GitHubSettings(_Section):
    """GitHub or GitHub Enterprise Server, for github sources."""

    api_url: HttpUrl = "https://api.github.com"
    token: Secret = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_secrets(self)
        return self


class GitLabSettings(_Section):
    """GitLab (gitlab.com or self-managed), for gitlab sources."""

    url: HttpUrl = "https://gitlab.com"
    token: Secret = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_secrets(self)
        return self


class ServerSettings(_Section):
    """Where `serve` listens for Slack (HTTP mode), health checks and metrics."""

    host: NonBlank = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)


class PolicySettings(_Section):
    """The release process's rules; the defaults encode the written process."""

    breaking_labels: list[Label] = Field(default_factory=lambda: ["breaking-change"])
    flag_labels: list[Label] = Field(default_factory=lambda: ["feature-flagged"])
    flag_trailer: Annotated[str, _shaped(r"[A-Za-z0-9][A-Za-z0-9-]*", "a trailer token")] = (
        "Feature-Flag"
    )
    ui_labels: list[Label] = Field(default_factory=lambda: ["ui"])
    ui_paths: list[Glob] = Field(
        default_factory=lambda: ["web/**", "frontend/**", "**/*.tsx", "**/*.vue", "**/templates/**"]
    )
    large_ui_lines: int = Field(default=200, ge=0)
    data_labels: list[Label] = Field(default_factory=lambda: ["data-impact"])
    migration_paths: list[Glob] = Field(
        default_factory=lambda: [
            "**/migrations/**",
            "**/alembic/versions/**",
            "db/migrate/**",
            "**/*.sql",
        ]
    )
    jira_key_pattern: Annotated[str, AfterValidator(_regex)] = "[A-Z][A-Z0-9]+-[0-9]+"


class NotesSettings(_Section):
    """Release-notes templates; None means the ones shipped with the bot."""

    templates_dir: Path | None = None

    @field_validator("templates_dir")
    @classmethod
    def _relative_to_config(cls, value: Path | None) -> Path | None:
        return None if value is None else _resolve(value)


class SprintSettings(_Section):
    """Where sprint windows come from: a Jira board, or a fixed cadence."""

    board_id: int | None = Field(default=None, ge=1)
    length_days: int | None = Field(default=None, ge=1, le=366)
    first_day: date | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Self:
        cadence = self.length_days is not None or self.first_day is not None
        if self.board_id is not None and cadence:
            raise _problem(
                ("board_id",), "set either board_id or length_days and first_day, not both"
            )
        if self.board_id is None and not cadence:
            raise _problem(
                (), "set board_id (a Jira board) or length_days and first_day (a fixed cadence)"
            )
        if self.board_id is None and self.length_days is None:
            raise _problem(("length_days",), "required together with first_day")
        if self.board_id is None and self.first_day is None:
            raise _problem(("first_day",), "required together with length_days")
        return self


class TicketSettings(_Section):
    """How the sprint's Release Train ticket is found in Jira, or created."""

    jql: Template
    create: bool = False
    project: Annotated[str, _shaped(r"[A-Z][A-Z0-9_]+", "a Jira project key")] | None = None
    issue_type: NonBlank = "Task"
    summary: Template = "Release Train: {sprint_name}"
    labels: list[JiraLabel] = Field(default_factory=lambda: ["release-train"])
    link_referenced_issues: bool = True

    @model_validator(mode="after")
    def _project_when_creating(self) -> Self:
        if self.create and self.project is None:
            raise _problem(("project",), "required when create = true")
        return self


# Each kind of source is located by exactly one key; the others would be silently ignored.
_LOCATOR: Mapping[str, str] = {"git": "path", "github": "repo", "gitlab": "project"}


class SourceSettings(_Section):
    """One repository whose trunk the train follows."""

    name: Name = ""
    kind: Literal["git", "github", "gitlab"]
    repo: Annotated[str, _shaped(r"[\w.-]+/[\w.-]+", "owner/name")] | None = None
    project: Annotated[str, _shaped(r"[\w.-]+(/[\w.-]+)+", "a group/name path")] | None = None
    path: Path | None = None
    # A leading '-' would reach git as an option.
    branch: Annotated[str, _shaped(r"[^\s-]\S*", "a branch name")] | None = None
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
            derived = _resolve(Path(raw)).name if locator == "path" else str(raw).split("/")[-1]
            return {**data, "name": derived}
        return data

    @field_validator("path")
    @classmethod
    def _relative_to_config(cls, value: Path | None) -> Path | None:
        return None if value is None else _resolve(value)

    @field_validator("web_url")
    @classmethod
    def _sha_placeholder(cls, value: str | None) -> str | None:
        if value is not None and "{sha}" not in _placeholders(value, allowed=frozenset({"sha"})):
            raise ValueError(f"{value!r} has no {{sha}} placeholder for the commit")
        return value

    @model_validator(mode="after")
    def _keys_of_kind(self) -> Self:
        for kind, key in (*_LOCATOR.items(), ("git", "web_url")):
            value = getattr(self, key)
            if kind != self.kind and value is not None:
                raise _problem((key,), f"only {kind} sources use {key}, this one is {self.kind}")
        if getattr(self, _LOCATOR[self.kind]) is None:
            raise _problem((_LOCATOR[self.kind],), f"required for kind = '{self.kind}'")
        if not self.name:
            raise _problem(("name",), "required (it cannot be derived from the location)")
        return self


def _unique(names: Sequence[str], *, loc: tuple[str | int, ...], what: str) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            raise _problem((*loc, index, "name"), f"duplicate {what} name {name!r}")
        seen.add(name)


class TrainSettings(_Section):
    """One release train: its sprints, ticket, Slack channel and sources."""

    name: Name
    timezone: Annotated[str, AfterValidator(_timezone)] = "UTC"
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
        return _cron(value, timezone=info.data.get("timezone", "UTC"))

    @model_validator(mode="after")
    def _unique_sources(self) -> Self:
        _unique([s.name for s in self.sources], loc=("sources",), what="source")
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The train's time zone, for schedules and for dates shown to people."""
        return ZoneInfo(self.timezone)


# --- loading ---


@dataclass
class _LoadRequest:
    """One load's inputs; a context variable keeps concurrent loads apart."""

    path: Path
    environ: Mapping[str, str]
    base_dir: Path


_REQUEST: ContextVar[_LoadRequest | None] = ContextVar("release_train_settings", default=None)


class _TomlSource(TomlConfigSettingsSource):
    """The TOML file, refusing syntax errors and secrets with a message naming the file."""

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        try:
            data = super()._read_file(file_path)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file_path}: not valid TOML: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"{file_path}: cannot be read: {exc.strerror}") from None
        for section, keys in SECRET_KEYS.items():
            table = data.get(section)
            for key in keys:
                if isinstance(table, dict) and key in table:
                    raise ConfigError(
                        f"{file_path}: {section}.{key}: secrets are not read from the file;"
                        f" remove it and set {secret_env_var(section, key)} in the environment"
                    )
        return data


class _EnvSource(EnvSettingsSource):
    """RELEASE_TRAIN_* variables from the given mapping rather than the process environment."""

    def __init__(
        self,
        settings_cls: type[BaseSettings],
        *,
        environ: Mapping[str, str],
        file_sections: frozenset[str],
    ) -> None:
        super().__init__(settings_cls)
        # Names are matched case-insensitively, as pydantic-settings does by default.
        self.env_vars = {k.lower(): v for k, v in environ.items()}
        self._file_sections = file_sections

    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        # A secret exported for a section the file leaves out does not switch the service on.
        for section, keys in SECRET_KEYS.items():
            table = data.get(section)
            secrets_only = isinstance(table, dict) and set(table) <= set(keys)
            if secrets_only and section not in self._file_sections:
                del data[section]
        return data


def _dotted(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _env_var_for(loc: Sequence[str | int], environ: Mapping[str, str]) -> str | None:
    """The variable that supplied the value at `loc`, if it came from the environment."""
    names = {name.upper() for name in environ}
    for depth in (2, 1):
        head = loc[:depth]
        if len(head) == depth and all(isinstance(part, str) for part in head):
            name = ENV_PREFIX + "__".join(str(part).upper() for part in head)
            if name in names:
                return name
    return None


def _describe_error(error: Mapping[str, Any], environ: Mapping[str, str]) -> tuple[str, str]:
    """The dotted key and a message for one validation error, built without its input."""
    loc: tuple[str | int, ...] = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    if error["type"] == "config":
        loc, message = (*loc, *ctx["key"]), str(ctx["message"])
    elif error["type"] == "extra_forbidden":
        message = "unknown key"
    elif error["type"] == "missing":
        message = "required key is missing"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
    key = _dotted(loc) or "configuration"
    env = _env_var_for(loc, environ)
    if len(loc) >= 2 and loc[1] in SECRET_KEYS.get(str(loc[0]), ()):
        env = secret_env_var(str(loc[0]), str(loc[1]))
    return (f"{key} ({env})" if env else key), message


def _summarize(exc: ValidationError, request: _LoadRequest) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    described = [_describe_error(e, request.environ) for e in errors]
    key, message = described[0]
    text = f"{request.path}: {key}: {message}"
    if len(described) > 1:
        others = ", ".join(k for k, _ in described[1:4]) + (", ..." if len(described) > 4 else "")
        text += f" (and {len(described) - 1} more: {others})"
    return text


def _describe_env_error(exc: SettingsError, path: Path) -> str:
    """pydantic-settings names only the field whose environment value is not valid JSON."""
    found = re.search(r'field "(\w+)"', str(exc))
    key = found.group(1) if found else "configuration"
    return (
        f"{path}: {key} ({ENV_PREFIX}{key.upper()}...): an environment variable holds a value"
        " that is not valid JSON (lists and tables are written as JSON)"
    )


def _config_path(path: Path | None, environ: Mapping[str, str]) -> Path:
    if path is not None:
        return path
    return Path(environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


class Settings(BaseSettings):
    """The whole configuration. Build it with `load_settings`; built directly, only the
    keyword arguments given are used (no file, no environment)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", frozen=True
    )

    store: StoreSettings = Field(default_factory=StoreSettings)
    jira: JiraSettings | None = None
    slack: SlackSettings | None = None
    github: GitHubSettings | None = None
    gitlab: GitLabSettings | None = None
    server: ServerSettings = Field(default_factory=ServerSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    notes: NotesSettings = Field(default_factory=NotesSettings)
    trains: list[TrainSettings] = Field(min_length=1)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        request = _REQUEST.get()
        if request is None:
            return (init_settings,)
        toml = _TomlSource(settings_cls, toml_file=request.path)
        env = _EnvSource(
            settings_cls, environ=request.environ, file_sections=frozenset(toml.toml_data)
        )
        return (init_settings, env, toml)

    @model_validator(mode="after")
    def _check_across_sections(self) -> Self:
        _unique([t.name for t in self.trains], loc=("trains",), what="train")
        for index, train in enumerate(self.trains):
            missing = next(self._missing_sections(train), None)
            if missing is not None:
                raise _problem(("trains", index, *missing[0]), missing[1])
        return self

    def _missing_sections(
        self, train: TrainSettings
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """What the train uses from Jira, Slack, GitHub or GitLab without that section."""
        if self.jira is None and train.sprint.board_id is not None:
            yield ("sprint", "board_id"), "a Jira board needs the [jira] section"
        if self.jira is None and train.ticket is not None:
            yield ("ticket",), "the Release Train ticket needs the [jira] section"
        if self.slack is not None and train.slack_channel is None:
            yield ("slack_channel",), "required when the [slack] section is present"
        for index, source in enumerate(train.sources):
            if source.kind != "git" and getattr(self, source.kind) is None:
                yield ("sources", index, "kind"), f"{source.kind} sources need [{source.kind}]"

    def train(self, name: str | None) -> TrainSettings:
        """The train called `name`; None picks the only one."""
        names = ", ".join(t.name for t in self.trains)
        if name is None:
            if len(self.trains) == 1:
                return self.trains[0]
            raise UsageError(f"several trains are configured ({names}); choose one with --train")
        for train in self.trains:
            if train.name == name:
                return train
        raise UsageError(f"no train named {name!r}; choose --train from: {names}")

    def secrets(self) -> list[str]:
        """Every configured secret value, for masking in logs."""
        values: list[str] = []
        for section in (self.jira, self.slack, self.github, self.gitlab):
            for key in type(section).model_fields if section is not None else ():
                value = getattr(section, key)
                if isinstance(value, SecretStr) and value.get_secret_value():
                    values.append(value.get_secret_value())
        password = urlsplit(self.store.url).password
        if password:
            values.append(password)
            if unquote(password) != password:
                values.append(unquote(password))
        return values


def load_settings(
    path: Path | None = None, *, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read and validate the configuration; every problem becomes one ConfigError sentence.

    `path` None means $RELEASE_TRAIN_CONFIG, else release-train.toml in the working directory.
    `environ` replaces the process environment (tests pass their own).
    """
    env = os.environ if environ is None else environ
    config_path = _config_path(path, env)
    if not config_path.is_file():
        what = "is not a file" if config_path.exists() else "not found"
        raise ConfigError(
            f"configuration file {config_path} {what}; pass --config PATH or set {CONFIG_ENV}"
        )
    request = _LoadRequest(path=config_path, environ=env, base_dir=config_path.absolute().parent)
    token = _REQUEST.set(request)
    try:
        return Settings()  # type: ignore[call-arg]  # the sources supply the fields
    except ValidationError as exc:
        # `from None`: the chained ValidationError would print input values, secrets included.
        raise ConfigError(_summarize(exc, request)) from None
    except SettingsError as exc:
        raise ConfigError(_describe_env_error(exc, config_path)) from None
    finally:
        _REQUEST.reset(token)
