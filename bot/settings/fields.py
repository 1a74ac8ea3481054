"""Checks and field types shared by the configuration sections, secrets and relative paths."""

from __future__ import annotations

import os
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, SecretStr
from pydantic_core import PydanticCustomError

from bot.errors import ConfigError

ENV_PREFIX = "RELEASE_TRAIN_"
# The only keys whose values are secrets; they are read from the environment alone.
SECRET_KEYS: Mapping[str, tuple[str, ...]] = {
    "jira": ("token",),
    "slack": ("bot_token", "signing_secret", "app_token"),
    "github": ("token",),
    "gitlab": ("token",),
}
_TEMPLATE_FIELDS = frozenset({"sprint_id", "sprint_name"})


def env_var(*keys: str) -> str:
    """The environment variable that sets the value at the dotted path `keys`."""
    return ENV_PREFIX + "__".join(key.upper() for key in keys)


def secret_env_var(section: str, key: str) -> str:
    """The environment variable that holds the secret `section.key`."""
    return env_var(section, key)


def require_secret(value: SecretStr | None, *, env: str, service: str) -> str:
    """The secret's value, or a ConfigError naming the variable to set."""
    if value is None or not value.get_secret_value():
        raise ConfigError(f"{service} needs a secret that is not set: set {env} in the environment")
    return value.get_secret_value()


def secret_values(model: BaseModel) -> Iterator[tuple[str, str]]:
    """Each secret field of `model` that is present (empty or not), as its key and its value."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            yield name, value.get_secret_value()


def problem(key: tuple[str | int, ...], message: str) -> PydanticCustomError:
    """A model-level error that still names the offending key below the model."""
    return PydanticCustomError("config", "{message}", {"message": message, "key": key})


def unique(names: Sequence[str], *, loc: tuple[str | int, ...], what: str) -> None:
    """Refuse the first name in `names` that an earlier one already used."""
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            raise problem((*loc, index, "name"), f"duplicate {what} name {name!r}")
        seen.add(name)


# --- the file being loaded, against which relative paths resolve ---


@dataclass
class LoadRequest:
    """One load's inputs; a context variable keeps concurrent loads apart."""

    path: Path
    environ: Mapping[str, str]
    base_dir: Path


REQUEST: ContextVar[LoadRequest | None] = ContextVar("release_train_settings", default=None)


def resolve_path(path: Path) -> Path:
    """Relative paths are relative to the configuration file's directory."""
    path = path.expanduser()
    if not path.is_absolute():
        request = REQUEST.get()
        path = (request.base_dir if request else Path.cwd()) / path
    return Path(os.path.normpath(path))


# --- field checks (each raises ValueError with a message that names what is wrong) ---


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def shaped(pattern: str, shape: str) -> AfterValidator:
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


def _flag_pattern(value: str) -> str:
    if len(value) > 300:
        raise ValueError("flag pattern is longer than 300 characters")
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid flag pattern {value!r}: {exc}") from None
    if compiled.groups < 1:
        raise ValueError(f"flag pattern {value!r} has no group: its first group names the flag")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name such as 'Europe/Berlin')"
        ) from None
    return value


def cron(expr: str, *, timezone: str) -> str:
    """`expr` if it is a five-field crontab schedule that APScheduler reads as people do."""
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


def placeholders(text: str, *, allowed: frozenset[str]) -> str:
    """`text` if its only {placeholders} are the `allowed` names, bare."""
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
    return placeholders(_non_blank(text), allowed=_TEMPLATE_FIELDS)


NonBlank = Annotated[str, AfterValidator(_non_blank)]
Name = Annotated[
    str,
    shaped(
        r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
        "a valid name (up to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)",
    ),
]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Glob = Annotated[str, AfterValidator(_non_blank)]
Label = Annotated[str, AfterValidator(_non_blank)]
JiraLabel = Annotated[str, AfterValidator(_jira_label)]
Template = Annotated[str, AfterValidator(_template)]
SlackId = Annotated[str, shaped(r"[A-Z][A-Z0-9]{2,}", "a Slack id such as U0123456789")]
Regex = Annotated[str, AfterValidator(_regex)]
FlagPattern = Annotated[str, AfterValidator(_flag_pattern)]
TimeZone = Annotated[str, AfterValidator(_timezone)]
# A path in the file is relative to the file's directory.
ConfigPath = Annotated[Path, AfterValidator(resolve_path)]
Secret = SecretStr | None


class Section(BaseModel):
    """A table of the configuration file: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)
