"""The store revision of each train: read in one primary-key lookup, moved inside each write.

`bump_revision` runs as the last statement of a write's own transaction, so the counter moves
exactly when the write commits (a rolled-back write leaves it), on every replica at once. It is
an upsert of one row: on PostgreSQL the row stays locked until the writer commits, so writers of
one train queue there for the commit's length only (nothing else is written after it); SQLite
writes one at a time anyway.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from bot.adapters.store.connection import dialect_insert
from bot.adapters.store.database import SqlDatabase
from bot.adapters.store.tables import store_revisions


class SqlRevisions(SqlDatabase):
    """The Revisions role."""

    def store_revision(self, *, train: str) -> int:
        query = select(store_revisions.c.revision).where(store_revisions.c.train == train)
        with self._reading() as connection:
            found: int | None = connection.execute(query).scalar_one_or_none()
        return found or 0


def bump_revision(connection: Connection, *, train: str) -> None:
    """Move the train's revision on by one, in the caller's transaction (its last statement)."""
    statement = dialect_insert(connection, store_revisions).values(train=train, revision=1)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[store_revisions.c.train],
            set_={"revision": store_revisions.c.revision + 1},
        )
    )
