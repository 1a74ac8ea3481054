"""The store's schema version: Alembic run programmatically, refusing stores from newer releases."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from bot.adapters.store.connection import WRITE_OPTION
from bot.errors import StoreSchemaError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# One fixed key: every replica upgrading any store in the same PostgreSQL database waits here.
_PG_UPGRADE_LOCK = 7_235_291_048_113_001


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the packaged migrations, independent of the working folder."""
    config = Config()
    # The value goes through configparser interpolation, where "%" is special.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this release knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the store's migrations have no head revision")
    return head


def known_revisions() -> set[str]:
    """Every revision this release knows."""
    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """The revision the store is at, or None for an empty store."""
    return MigrationContext.configure(connection).get_current_revision()


def check(connection: Connection, *, store: str) -> str | None:
    """The store's revision when it is at the head, None when migrations are pending.

    Raises StoreSchemaError for a store written by a newer release.
    """
    current = current_revision(connection)
    if current is not None and current not in known_revisions():
        raise _newer(store=store, revision=current)
    return current if current == head_revision() else None


def pending_error(connection: Connection, *, store: str) -> StoreSchemaError:
    """The error for a store that needs migrations while upgrading is left to people."""
    current = current_revision(connection) or "empty"
    return StoreSchemaError(
        f"the store at {store} has schema {current} but this release-train needs "
        f"{head_revision()}; run `release-train db upgrade` (or set store.auto_upgrade = true)"
    )


def upgrade(engine: Engine, *, store: str) -> str:
    """Apply pending migrations in one transaction; only one process migrates at a time."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            if connection.dialect.name == "nope":
                # Released with the transaction, so a failed upgrade cannot leave it held.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_UPGRADE_LOCK}
                )
            # Read again under the lock: another replica may have upgraded meanwhile.
            if check(connection, store=store) is None:
                command.upgrade(alembic_config(connection), "head")
            revision = current_revision(connection)
    if revision is None:
        raise RuntimeError("the store's migrations left no revision behind")
    return revision


def _newer(*, store: str, revision: str) -> StoreSchemaError:
    return StoreSchemaError(
        f"the store at {store} was written by a newer release-train (schema {revision}); "
        "refusing to change it"
    )
