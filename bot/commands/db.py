"""`release-train db upgrade`: apply the store's schema migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import load_settings_only
from bot.console import echo

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_upgrade(g: Globals) -> None:
    """Bring the store's schema up to date (refusing a store from a newer version)."""
    from bot.bootstrap import open_settings

    with open_settings(load_settings_only(g)) as runtime:
        revision = runtime.upgrade_store()
    echo(f"store schema is at revision {revision}")
