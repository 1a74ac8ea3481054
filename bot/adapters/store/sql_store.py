"""The whole store on SQLAlchemy (SQLite for one process, PostgreSQL for several replicas).

Each role of the Store port is a class of its own module holding its queries; SqlStore is all
of them over one engine, so one object serves a service that needs several roles, and a
service declares only the roles it uses.
"""

from __future__ import annotations

from bot.adapters.store import schema
from bot.adapters.store.changes import SqlChangeLog
from bot.adapters.store.claims import SqlJobClaims
from bot.adapters.store.connection import build_engine, read_only, sqlite_file, translated_errors
from bot.adapters.store.drafts import SqlDrafts
from bot.adapters.store.ledger import SqlWriteLedger
from bot.adapters.store.revisions import SqlRevisions
from bot.adapters.store.runs import SqlSyncRuns
from bot.adapters.store.sprints import SqlSprints


class SqlStore(
    SqlChangeLog, SqlWriteLedger, SqlSprints, SqlSyncRuns, SqlDrafts, SqlJobClaims, SqlRevisions
):
    """Durable state in a SQL database; connects on first use."""

    def prepare(self, *, auto_upgrade: bool) -> None:
        revision = self.schema_revision()
        problem = schema.refusal(
            store=self.display_url, revision=revision, auto_upgrade=auto_upgrade
        )
        if problem is not None:
            raise problem
        if schema.state_of(revision) != "current":
            self.upgrade()

    def upgrade(self) -> str:
        with translated_errors(self._url):
            return schema.upgrade(self._connect(), store=self.display_url)

    def schema_revision(self) -> str | None:
        """The revision the store is at (None when empty); looks without changing anything."""
        path = sqlite_file(self._url)
        if path is None:
            with self._reading() as connection:
                return schema.current_revision(connection)
        if not path.exists():
            # Connecting would create the file; a look at the store must leave no trace.
            return None
        # Read-only, so closing cannot even checkpoint another process's pending log.
        with translated_errors(self._url):
            engine = build_engine(read_only(path, self._url))
            try:
                with engine.connect() as connection:
                    return schema.current_revision(connection)
            finally:
                engine.dispose()

    def schema_state(self) -> str:
        """`fresh`, `current`, `old` or `newer`; looks without creating or changing anything."""
        return schema.state_of(self.schema_revision())
