"""The Store port on SQLAlchemy: SQLite for one process, PostgreSQL for several replicas."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.adapters.store import changes as change_log
from bot.adapters.store import drafts, ledger, schema, trains
from bot.adapters.store.connection import (
    WRITE_OPTION,
    build_engine,
    masked,
    parse_url,
    read_only,
    sqlite_file,
    translated_errors,
)
from bot.domain.model import DraftState, ExpandRecord, RecordedChange, Sprint
from bot.ports import LedgerEntry, StoredDraft, SyncRun

_DRAFT_ATTEMPTS = 3


class SqlStore:
    """Durable state in a SQL database; connects on first use."""

    def __init__(self, *, url: str) -> None:
        self._url = parse_url(url)
        self._engine: Engine | None = None

    @property
    def display_url(self) -> str:
        """The store's URL as it may be shown: without its password."""
        return masked(self._url)

    # schema

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

    # sprints

    def save_sprint(self, *, train: str, sprint: Sprint) -> None:
        with self._writing() as connection:
            trains.save_sprint(connection, train=train, sprint=sprint)

    def get_sprint(self, *, train: str, name: str) -> Sprint | None:
        with self._reading() as connection:
            return trains.get_sprint(connection, train=train, name=name)

    def list_sprints(self, *, train: str) -> list[Sprint]:
        with self._reading() as connection:
            return trains.list_sprints(connection, train=train)

    def get_ticket_key(self, *, train: str, sprint: Sprint) -> str | None:
        with self._reading() as connection:
            return trains.ticket_key(connection, train=train, sprint=sprint)

    def set_ticket_key(self, *, train: str, sprint: Sprint, key: str) -> None:
        with self._writing() as connection:
            trains.set_ticket_key(connection, train=train, sprint=sprint, key=key)

    # cursors and changes

    def get_cursor(self, *, train: str, source: str) -> str | None:
        with self._reading() as connection:
            return change_log.get_cursor(connection, train=train, source=source)

    def record_batch(
        self,
        *,
        train: str,
        source: str,
        cursor: str | None,
        changes: Sequence[RecordedChange],
        run_id: int | None,
    ) -> list[str]:
        with self._writing() as connection:
            return change_log.record_batch(
                connection,
                train=train,
                source=source,
                cursor=cursor,
                batch=changes,
                run_id=run_id,
                now=_now(),
            )

    def changes_for_sprint(
        self, *, train: str, sprint: str, details: bool = True
    ) -> list[RecordedChange]:
        with self._reading() as connection:
            return change_log.changes_for_sprint(
                connection, train=train, sprint=sprint, details=details
            )

    def change_ids_for_commits(self, *, train: str, shas: Sequence[str]) -> dict[str, str]:
        with self._reading() as connection:
            return change_log.change_ids_for_commits(connection, train=train, shas=shas)

    def get_change(self, *, train: str, change_id: str) -> RecordedChange | None:
        with self._reading() as connection:
            return change_log.get_change(connection, train=train, change_id=change_id)

    def set_revert_pair(self, *, train: str, revert_id: str, reverted_id: str) -> None:
        with self._writing() as connection:
            change_log.set_revert_pair(
                connection, train=train, revert_id=revert_id, reverted_id=reverted_id
            )

    def expand_history(self, *, train: str) -> list[ExpandRecord]:
        with self._reading() as connection:
            return change_log.expand_history(connection, train=train)

    def mark_attached(self, *, train: str, change_id: str, attached: bool) -> None:
        with self._writing() as connection:
            change_log.mark_attached(
                connection, train=train, change_id=change_id, attached=attached
            )

    # sync runs

    def start_run(self, *, train: str, started_at: datetime) -> int:
        with self._writing() as connection:
            return trains.start_run(connection, train=train, started_at=started_at)

    def finish_run(
        self,
        *,
        run_id: int,
        finished_at: datetime,
        status: str,
        counts: Mapping[str, int],
        error: str | None,
    ) -> None:
        with self._writing() as connection:
            trains.finish_run(
                connection,
                run_id=run_id,
                finished_at=finished_at,
                status=status,
                counts=counts,
                error=error,
            )

    def last_runs(self, *, train: str, limit: int) -> list[SyncRun]:
        with self._reading() as connection:
            return trains.last_runs(connection, train=train, limit=limit)

    # the ledger of external writes

    def ledger_claim(
        self, *, key: str, service: str, operation: str, request: Mapping[str, Any]
    ) -> LedgerEntry:
        with self._writing() as connection:
            return ledger.claim(
                connection,
                key=key,
                service=service,
                operation=operation,
                request=request,
                now=_now(),
            )

    def ledger_complete(self, *, key: str, result: Mapping[str, Any]) -> None:
        with self._writing() as connection:
            ledger.complete(connection, key=key, result=result, now=_now())

    def ledger_fail(self, *, key: str, error: str) -> None:
        with self._writing() as connection:
            ledger.fail(connection, key=key, error=error, now=_now())

    def ledger_get(self, *, key: str) -> LedgerEntry | None:
        with self._reading() as connection:
            return ledger.get(connection, key=key)

    def ledger_pending(self, *, service: str) -> list[LedgerEntry]:
        with self._reading() as connection:
            return ledger.pending(connection, service=service)

    def ledger_entries(self, *, prefix: str) -> list[LedgerEntry]:
        with self._reading() as connection:
            return trains.ledger_entries(connection, prefix=prefix)

    # drafts and decisions

    def add_draft(
        self, *, train: str, sprint: str, content: str, created_by: str | None, created_at: datetime
    ) -> StoredDraft:
        for attempt in range(1, _DRAFT_ATTEMPTS + 1):
            try:
                with self._writing() as connection:
                    return drafts.add(
                        connection,
                        train=train,
                        sprint=sprint,
                        content=content,
                        created_by=created_by,
                        created_at=created_at,
                    )
            except IntegrityError:
                # Another process took this version number first: number again after it.
                if attempt == _DRAFT_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def latest_draft(self, *, train: str, sprint: str) -> StoredDraft | None:
        with self._reading() as connection:
            return drafts.latest(connection, train=train, sprint=sprint)

    def decide_draft(
        self,
        *,
        train: str,
        sprint: str,
        version: int,
        decision: str,
        user: str,
        at: datetime,
        note: str | None,
    ) -> tuple[bool, StoredDraft]:
        with self._writing() as connection:
            return drafts.decide(
                connection,
                train=train,
                sprint=sprint,
                version=version,
                decision=decision,
                user=user,
                at=at,
                note=note,
            )

    def draft_state(self, *, train: str, sprint: str) -> DraftState:
        with self._reading() as connection:
            return drafts.state(connection, train=train, sprint=sprint)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # connections

    def _connect(self) -> Engine:
        if self._engine is None:
            self._engine = build_engine(self._url)
        return self._engine

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with translated_errors(self._url), self._connect().connect() as connection:
            yield connection

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with translated_errors(self._url), self._connect().connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                yield connection


def _now() -> datetime:
    return datetime.now(UTC)
