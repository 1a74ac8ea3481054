"""The whole configuration, the checks across its sections, and where its values come from."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from typing import Any, Self

from pydantic import Field, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.errors import ConfigError, UsageError
from bot.settings.fields import (
    ENV_PREFIX,
    REQUEST,
    SECRET_KEYS,
    problem,
    secret_env_var,
    secret_values,
    unique,
)
from bot.settings.sections import (
    GitHubSettings,
    GitLabSettings,
    JiraSettings,
    NotesSettings,
    PolicySettings,
    ServerSettings,
    SlackSettings,
    StoreSettings,
)
from bot.settings.trains import TrainSettings


class _TomlSource(TomlConfigSettingsSource):
    """The TOML file, refusing syntax errors and secrets with a message naming the file."""

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        try:
            data = super()._read_file(file_path)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file_path}: not valid TOML: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{file_path}: not UTF-8 text (byte {exc.start} is not UTF-8); save it as UTF-8"
            ) from None
        except RecursionError:
            raise ConfigError(f"{file_path}: arrays or tables are nested too deeply") from None
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
        request = REQUEST.get()
        if request is None:
            return (init_settings,)
        toml = _TomlSource(settings_cls, toml_file=request.path)
        env = _EnvSource(
            settings_cls, environ=request.environ, file_sections=frozenset(toml.toml_data)
        )
        return (init_settings, env, toml)

    @model_validator(mode="after")
    def _check_across_sections(self) -> Self:
        unique([t.name for t in self.trains], loc=("trains",), what="train")
        for index, train in enumerate(self.trains):
            missing = next(self._missing_sections(train), None)
            if missing is not None:
                raise problem(("trains", index, *missing[0]), missing[1])
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

    def missing_secrets(self) -> list[tuple[str, str, str]]:
        """Each secret a configured section needs that the environment leaves unset: its section,
        its key, and why it is needed."""
        needed: list[tuple[str, str, str]] = [
            (section, "token", f"[{section}] is configured")
            for section in ("jira", "github", "gitlab")
            if getattr(self, section) is not None and getattr(self, section).token is None
        ]
        if self.slack is not None:
            by_mode = {"http": "signing_secret", "socket": "app_token"}
            for key in ("bot_token", by_mode[self.slack.mode]):
                if getattr(self.slack, key) is None:
                    why = "[slack] is configured" + (
                        f" in {self.slack.mode} mode" if key != "bot_token" else ""
                    )
                    needed.append(("slack", key, why))
        return needed

    def secrets(self) -> list[str]:
        """Every configured secret value, for masking in logs."""
        values: list[str] = []
        for section in (self.jira, self.slack, self.github, self.gitlab):
            if section is not None:
                values += [text for _key, text in secret_values(section) if text]
        return values + self.store.secrets()
