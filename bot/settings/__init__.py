"""Configuration: the TOML file plus RELEASE_TRAIN_* environment variables, validated at load."""

from bot.settings.fields import (
    ENV_PREFIX,
    SECRET_KEYS,
    Glob,
    HttpUrl,
    JiraLabel,
    Label,
    Name,
    NonBlank,
    Secret,
    SlackId,
    Template,
    require_secret,
    secret_env_var,
)
from bot.settings.loading import CONFIG_ENV, DEFAULT_CONFIG, load_settings
from bot.settings.root import Settings
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
from bot.settings.trains import SourceSettings, SprintSettings, TicketSettings, TrainSettings

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG",
    "ENV_PREFIX",
    "SECRET_KEYS",
    "GitHubSettings",
    "GitLabSettings",
    "Glob",
    "HttpUrl",
    "JiraLabel",
    "JiraSettings",
    "Label",
    "Name",
    "NonBlank",
    "NotesSettings",
    "PolicySettings",
    "Secret",
    "ServerSettings",
    "Settings",
    "SlackId",
    "SlackSettings",
    "SourceSettings",
    "SprintSettings",
    "StoreSettings",
    "Template",
    "TicketSettings",
    "TrainSettings",
    "load_settings",
    "require_secret",
    "secret_env_var",
]
