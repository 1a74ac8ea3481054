"""Loading the configuration file and environment, with every problem told in one sentence."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot.errors import ConfigError
from bot.settings.fields import REQUEST, SECRET_KEYS, LoadRequest, env_var, secret_env_var
from bot.settings.root import Settings
from bot.settings.trains import SOURCE_KINDS

CONFIG_ENV = "RELEASE_TRAIN_CONFIG"
DEFAULT_CONFIG = "release-train.toml"


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
            name = env_var(*(str(part) for part in head))
            if name in names:
                return name
    return None


def _without_tags(loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """`loc` without the source kind pydantic puts after `sources[i]`: people never write it."""
    kept: list[str | int] = []
    for index, part in enumerate(loc):
        after_source = (
            index >= 2 and loc[index - 2] == "sources" and isinstance(loc[index - 1], int)
        )
        if not (after_source and part in SOURCE_KINDS):
            kept.append(part)
    return tuple(kept)


def _one_of(expected: str) -> str:
    """ "'a', 'b', 'c'" as people say it: "'a', 'b' or 'c'"."""
    head, _, last = expected.rpartition(", ")
    return f"{head} or {last}" if head else last


def _describe_error(error: Mapping[str, Any], environ: Mapping[str, str]) -> tuple[str, str]:
    """The dotted key and a message for one validation error, built without its input."""
    loc = _without_tags(error["loc"])
    ctx = error.get("ctx") or {}
    if error["type"] == "union_tag_invalid":
        loc, message = (*loc, "kind"), f"input should be {_one_of(ctx['expected_tags'])}"
    elif error["type"] == "union_tag_not_found":
        loc, message = (*loc, "kind"), "required key is missing"
    elif error["type"] == "config":
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


def _summarize(exc: ValidationError, request: LoadRequest) -> str:
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
        f"{path}: {key} ({env_var(key)}...): an environment variable holds a value"
        " that is not valid JSON (lists and tables are written as JSON)"
    )


def find_config(path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> Path:
    """The configuration file to load: `path`, else $RELEASE_TRAIN_CONFIG, else the first
    release-train.toml in the working directory or a folder above it, up to and including the
    git repository's top folder (the first holding `.git`); outside a repository, the working
    directory alone. A ConfigError, naming `release-train init`, when there is none.

    Costs a few `stat` calls per folder between the working directory and the repository's top.
    """
    env = os.environ if environ is None else environ
    given = path if path is not None else Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None
    if given is not None:
        if not given.is_file():
            what = "is not a file" if given.exists() else "not found"
            raise ConfigError(
                f"configuration file {given} {what}; pass -c FILE (or set {CONFIG_ENV}) naming"
                f" an existing one, or write one with `release-train init --path {given}`"
            )
        return given
    here = Path.cwd()
    top = _repository_top(here)
    folders = [here]
    while top is not None and folders[-1] != top:
        folders.append(folders[-1].parent)
    for folder in folders:
        candidate = folder / DEFAULT_CONFIG
        if candidate.is_file():
            # The working directory's own file is named as people wrote it before.
            return Path(DEFAULT_CONFIG) if folder == here else candidate
    where = (
        f"in {here} (not inside a git repository, so no folder above is searched)"
        if top is None
        else f"here or up to the repository root ({top})"
    )
    raise ConfigError(
        f"no {DEFAULT_CONFIG} {where}; write one with `release-train init`, or pass -c FILE"
    )


def _repository_top(folder: Path) -> Path | None:
    """The first of `folder` and the folders above it that holds `.git` (a folder, or the file
    of a worktree or submodule); None outside every repository."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def load_settings(
    path: Path | None = None, *, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read and validate the configuration; every problem becomes one ConfigError sentence.

    `path` None means $RELEASE_TRAIN_CONFIG, else the release-train.toml `find_config` finds.
    `environ` replaces the process environment (tests pass their own).
    """
    env = os.environ if environ is None else environ
    config_path = find_config(path, environ=env)
    request = LoadRequest(path=config_path, environ=env, base_dir=config_path.absolute().parent)
    token = REQUEST.set(request)
    try:
        settings = Settings()  # type: ignore[call-arg]  # the sources supply the fields
    except ValidationError as exc:
        # `from None`: the chained ValidationError would print input values, secrets included.
        raise ConfigError(_summarize(exc, request)) from None
    except SettingsError as exc:
        raise ConfigError(_describe_env_error(exc, config_path)) from None
    except RecursionError:
        # Only a RELEASE_TRAIN_* variable's JSON is left to nest this deep (the file is checked).
        raise ConfigError(
            f"{config_path}: a RELEASE_TRAIN_* variable holds JSON nested too deeply"
        ) from None
    finally:
        REQUEST.reset(token)
    _require_secrets(settings, config_path)
    return settings


def _require_secrets(settings: Settings, path: Path) -> None:
    """Refuse a configured service whose secret is unset: the first call to it would fail."""
    missing = [
        f"{section}.{key} ({secret_env_var(section, key)})"
        for section, key, _why in settings.missing_secrets()
    ]
    if not missing:
        return
    _section, _key, why = settings.missing_secrets()[0]
    text = f"{path}: {missing[0]}: not set, and {why}; set it in the environment"
    if len(missing) > 1:
        text += f" (and {len(missing) - 1} more: {', '.join(missing[1:])})"
    raise ConfigError(text)
