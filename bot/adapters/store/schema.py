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


def state_of(revision: str | None) -> str:
    """`fresh` (no schema), `current`, `old` (migrations pending) or `newer` (unknown revision)."""
    if revision is None:
        return "fresh"
    if revision not in known_revisions():
        return "newer"
    return "current" if revision == head_revision() else "old"


def refusal(*, store: str, revision: str | None, auto_upgrade: bool) -> StoreSchemaError | None:
    """Why a store at `revision` may not be used as it is, or None when it may."""
    state = state_of(revision)
    if state == "newer":
        return StoreSchemaError(
            f"the store at {store} was written by a newer release-train (schema {revision}); "
            "refusing to change it"
        )
    if state == "current" or auto_upgrade:
        return None
    found = "has no schema yet" if revision is None else f"has schema {revision}"
    return StoreSchemaError(
        f"the store at {store} {found} but this release-train needs {head_revision()}; "
        "run `release-train db upgrade` (or set store.auto_upgrade = true)"
    )


def upgrade(engine: Engine, *, store: str) -> str:
    """Apply pending migrations in one transaction; only one process migrates at a time."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                # Released with the transaction, so a failed upgrade cannot leave it held.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_UPGRADE_LOCK}
                )
            # Read under the lock: another replica may have upgraded meanwhile.
            revision = current_revision(connection)
            problem = refusal(store=store, revision=revision, auto_upgrade=True)
            if problem is not None:
                raise problem
            if state_of(revision) != "current":
                command.upgrade(alembic_config(connection), "head")
                revision = current_revision(connection)
    if revision is None:
        raise RuntimeError("the store's migrations left no revision behind")
    return revision
