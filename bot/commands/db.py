"""`release-train db upgrade`: apply the store's schema migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import echo, load_settings_only

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_upgrade(g: Globals) -> None:
    """Bring the store's schema up to date (refusing a store from a newer version)."""
    from bot.bootstrap import build_store

    settings = load_settings_only(g)
    store = build_store(settings, prepare=False)
    try:
        revision = store.upgrade()
    finally:
        store.close()
    echo(f"store schema is at revision {revision}")
