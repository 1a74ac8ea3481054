"""The store's schema version: Alembic run programmatically, refusing stores from newer releases.

An empty store (no table of ours, no version table) is created from the tables the code
declares (`metadata.create_all`) and stamped at the newest revision in the same transaction, as
Alembic's documentation recommends for a new database: no Alembic import and no replay of every
revision, which was most of a first sync's fixed cost. Any other store is upgraded by Alembic's
revisions (one left with an empty version table, or holding tables of ours without one, takes
that path too and fails there rather than being adopted). A test keeps the two ways to the same
schema.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    select,
    text,
)

from bot.adapters.store.connection import WRITE_OPTION
from bot.adapters.store.tables import metadata
from bot.errors import StoreSchemaError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Where Alembic keeps the store's revision: its default table, declared as Alembic creates it.
_VERSIONS = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)
# One fixed key: every replica upgrading any store in the same PostgreSQL database waits here.
_PG_UPGRADE_LOCK = 7_235_291_048_113_001
# The module-level assignments Alembic reads from a revision file.
_REVISION_LINE = re.compile(r"""^revision\s*(?::[^=]*)?=\s*["']([^"']+)["']""", re.MULTILINE)
_DOWN_LINE = re.compile(
    r"""^down_revision\s*(?::[^=]*)?=\s*(?:["']([^"']+)["']|None)""", re.MULTILINE
)


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the packaged migrations, independent of the working folder."""
    from alembic.config import Config

    config = Config()
    # The value goes through configparser interpolation, where "%" is special.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def revision_chain() -> tuple[str, ...]:
    """Every revision this release knows, oldest first, as the migration files declare them.

    Read from the files' `revision` and `down_revision` lines rather than through Alembic, so
    checking a store's schema (every command does) costs no Alembic import; Alembic is imported
    only where migrations run.
    """
    parents: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION_LINE.search(source)
        if revision is None:
            continue  # not a revision (the package's __init__)
        down = _DOWN_LINE.search(source)
        if down is None:
            raise RuntimeError(f"the migration {path.name} names no single down_revision")
        parents[revision.group(1)] = down.group(1)
    chain: list[str] = []
    children = {parent: child for child, parent in parents.items()}
    current = children.get(None)
    while current is not None:
        chain.append(current)
        current = children.get(current)
    if not chain or len(chain) != len(parents):
        raise RuntimeError("the store's migrations do not form one line of revisions")
    return tuple(chain)


def head_revision() -> str:
    """The newest revision this release knows."""
    return revision_chain()[-1]


def known_revisions() -> set[str]:
    """Every revision this release knows."""
    return set(revision_chain())


def current_revision(connection: Connection) -> str | None:
    """The revision the store is at, or None for an empty store."""
    if not inspect(connection).has_table(_VERSIONS.name):
        return None
    found = connection.execute(select(_VERSIONS.c.version_num)).scalars().all()
    if len(found) > 1:
        raise StoreSchemaError(
            f"the store records several schema revisions ({', '.join(sorted(found))}); "
            "it was not written by release-train"
        )
    return found[0] if found else None


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


def is_empty(connection: Connection) -> bool:
    """Whether the database holds none of the store's tables, nor Alembic's version table."""
    present = set(inspect(connection).get_table_names())
    return not present & {*metadata.tables, _VERSIONS.name}


def create_current(connection: Connection) -> None:
    """Create an empty store's tables as the code declares them, stamped at the newest revision
    (inside the caller's transaction). Never adopts a table already there: each is created
    without checking first, so one in the way fails the transaction."""
    metadata.create_all(connection, checkfirst=False)
    _VERSIONS.create(connection, checkfirst=False)
    connection.execute(_VERSIONS.insert().values(version_num=head_revision()))


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
            if revision is None and is_empty(connection):
                create_current(connection)
                revision = current_revision(connection)
            elif state_of(revision) != "current":
                from alembic import command

                command.upgrade(alembic_config(connection), "head")
                revision = current_revision(connection)
    if revision is None:
        raise RuntimeError("the store's migrations left no revision behind")
    return revision
