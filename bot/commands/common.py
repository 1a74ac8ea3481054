"""What every command does first: load the settings, pick the train, mask the secrets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings, TrainSettings


@dataclass(frozen=True, slots=True)
class Globals:
    """The global options, passed to every command."""

    config: Path | None
    train: str | None
    verbose: bool
    log_format: str


def load(g: Globals) -> tuple[Settings, TrainSettings]:
    """The settings and the train the command works on."""
    settings = load_settings_only(g)
    return settings, settings.train(g.train)


def load_settings_only(g: Globals) -> Settings:
    """The settings, for commands that work on no train in particular."""
    from bot.logs import mask_secrets
    from bot.settings import load_settings

    settings = load_settings(g.config)
    mask_secrets(settings.secrets())
    return settings
