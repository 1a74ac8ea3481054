"""The change log: gathered changes with their commits and migration ops, and source cursors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    column,
    func,
    or_,
    select,
    table,
    update,
)

from bot.adapters.store import records
from bot.adapters.store.connection import dialect_insert
from bot.adapters.store.database import SqlDatabase, utc_now
from bot.adapters.store.revisions import bump_revision
from bot.adapters.store.tables import change_commits, changes, migration_ops, source_cursors
from bot.collector import collector_paused
from bot.domain.model import ExpandRecord, MigrationOp, RecordedChange, ReleaseClass
from bot.ports.store.changes import SourceRecord

# Well under SQLite's limit on bound parameters per statement.
_LOOKUP_CHUNK = 500
_STAGING = "incoming_changes"


class SqlChangeLog(SqlDatabase):
    """The ChangeLog role: what each source brought, its cursor, and the changes read back."""

    def get_cursor(self, *, train: str, source: str) -> str | None:
        query = select(source_cursors.c.cursor).where(
            source_cursors.c.train == train, source_cursors.c.source == source
        )
        with self._reading() as connection:
            return connection.execute(query).scalar_one_or_none()

    def get_cursors(self, *, train: str) -> dict[str, str]:
        query = select(source_cursors.c.source, source_cursors.c.cursor).where(
            source_cursors.c.train == train
        )
        with self._reading() as connection:
            return {str(source): str(cursor) for source, cursor in connection.execute(query)}

    def record_batch(
        self,
        *,
        train: str,
        source: str,
        cursor: str | None,
        changes: Sequence[RecordedChange],
        run_id: int | None,
    ) -> list[str]:
        record = SourceRecord(source=source, cursor=cursor, changes=changes)
        return self.record_sources(train=train, batches=[record], run_id=run_id)

    def record_sources(
        self, *, train: str, batches: Sequence[SourceRecord], run_id: int | None
    ) -> list[str]:
        """One transaction: every change row (conflicts skipped), the new ones' commits and
        migration ops, then every moved cursor; a few statements whatever the number of
        sources."""
        now = utc_now()
        every = [rc for batch in batches for rc in batch.changes]
        rows = [records.change_row(rc, train=train, run_id=run_id, recorded_at=now) for rc in every]
        moved = [
            {"train": train, "source": r.source, "cursor": r.cursor, "updated_at": now}
            for r in batches
            if r.cursor is not None
        ]
        with self._writing() as connection:
            inserted = _insert_new_changes(connection, rows) if rows else set()
            fresh = list(_first_of_each(rc for rc in every if rc.change.id in inserted))
            _insert_commits_and_ops(connection, train=train, fresh=fresh)
            if moved:
                _move_cursors(connection, moved)
            if inserted:  # a cursor moved alone changes no view
                bump_revision(connection, train=train)
        return [rc.change.id for rc in fresh]

    def latest_sprint(self, *, train: str) -> str | None:
        # One row through the (train, sprint, merged_at) index's train prefix.
        query = (
            select(changes.c.sprint)
            .where(changes.c.train == train)
            .order_by(changes.c.merged_at.desc(), changes.c.id.desc())
            .limit(1)
        )
        with self._reading() as connection, collector_paused():
            return connection.execute(query).scalar_one_or_none()

    def changes_for_sprint(
        self, *, train: str, sprint: str, details: bool = True
    ) -> list[RecordedChange]:
        # A lean read fetches none of records.DETAIL_COLUMNS, and its changes carry them empty.
        query = (
            select(*_read_columns(details=details))
            .where(changes.c.train == train, changes.c.sprint == sprint)
            .order_by(changes.c.merged_at, changes.c.id)
        )
        ops_query = (
            select(migration_ops)
            .where(migration_ops.c.train == train, migration_ops.c.sprint == sprint)
            .order_by(migration_ops.c.change_id, migration_ops.c.position)
        )
        with self._reading() as connection, collector_paused():
            rows = connection.execute(query).mappings().all()
            ops: dict[str, list[MigrationOp]] = defaultdict(list)
            for op_row in connection.execute(ops_query).mappings():
                ops[op_row["change_id"]].append(records.migration_op(op_row))
            return [
                records.recorded_change(row, ops.get(row["id"], ()), details=details)
                for row in rows
            ]

    def class_counts(self, *, train: str, sprint: str) -> dict[str, int]:
        query = (
            select(changes.c.release_class, func.count())
            .where(changes.c.train == train, changes.c.sprint == sprint)
            .group_by(changes.c.release_class)
        )
        with self._reading() as connection:
            counted = {str(name): int(n) for name, n in connection.execute(query)}
        return {rc.value: counted.get(rc.value, 0) for rc in ReleaseClass}

    def get_change(self, *, train: str, change_id: str) -> RecordedChange | None:
        query = select(*_read_columns(details=True)).where(
            changes.c.train == train, changes.c.id == change_id
        )
        ops_query = (
            select(migration_ops)
            .where(migration_ops.c.train == train, migration_ops.c.change_id == change_id)
            .order_by(migration_ops.c.position)
        )
        with self._reading() as connection:
            row = connection.execute(query).mappings().one_or_none()
            if row is None:
                return None
            ops = [records.migration_op(op) for op in connection.execute(ops_query).mappings()]
        return records.recorded_change(row, ops)

    def find_change_ids(
        self,
        *,
        train: str,
        exact: str,
        sha_prefix: str | None = None,
        number: int | None = None,
        limit: int = 10,
    ) -> list[str]:
        wanted: list[ColumnElement[bool]] = [changes.c.id == exact, changes.c.url == exact]
        if sha_prefix:
            pattern = sha_prefix.lower() + "%"  # lowercase hex: nothing to escape
            commits = select(change_commits.c.change_id).where(
                change_commits.c.train == train, change_commits.c.sha.like(pattern)
            )
            wanted += [changes.c.sha.like(pattern), changes.c.id.in_(commits)]
        if number is not None:
            wanted.append(changes.c.number == number)
        query = (
            select(changes.c.id)
            .where(changes.c.train == train, or_(*wanted))
            .order_by(changes.c.merged_at, changes.c.id)
            .limit(limit)
        )
        with self._reading() as connection:
            return list(connection.execute(query).scalars())

    def change_ids_for_commits(self, *, train: str, shas: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(shas))
        with self._reading() as connection:
            for start in range(0, len(unique), _LOOKUP_CHUNK):
                query = select(change_commits.c.sha, change_commits.c.change_id).where(
                    change_commits.c.train == train,
                    change_commits.c.sha.in_(unique[start : start + _LOOKUP_CHUNK]),
                )
                found.update({sha: change_id for sha, change_id in connection.execute(query)})
        return found

    def set_revert_pair(self, *, train: str, revert_id: str, reverted_id: str) -> None:
        with self._writing() as connection:
            connection.execute(
                update(changes)
                .where(changes.c.train == train, changes.c.id == revert_id)
                .values(reverts=reverted_id)
            )
            connection.execute(
                update(changes)
                .where(changes.c.train == train, changes.c.id == reverted_id)
                .values(reverted_by=revert_id)
            )
            bump_revision(connection, train=train)

    def expand_history(self, *, train: str) -> list[ExpandRecord]:
        query = (
            select(migration_ops)
            .where(migration_ops.c.train == train, migration_ops.c.stage == "expand")
            .order_by(migration_ops.c.merged_at, migration_ops.c.id)
        )
        with self._reading() as connection, collector_paused():
            return [records.expand_record(row) for row in connection.execute(query).mappings()]

    def mark_attached(self, *, train: str, change_id: str, attached: bool) -> None:
        with self._writing() as connection:
            connection.execute(
                update(changes)
                .where(changes.c.train == train, changes.c.id == change_id)
                .values(attached=attached)
            )
            bump_revision(connection, train=train)


def _insert_commits_and_ops(
    connection: Connection, *, train: str, fresh: Sequence[RecordedChange]
) -> None:
    """The commits and migration ops of the changes just inserted (conflicting commits skipped).

    Conflicting rows are skipped by the database itself, so two processes recording the same
    batch never duplicate a change.
    """
    commit_rows = [row for rc in fresh for row in records.commit_rows(rc, train=train)]
    if commit_rows:
        statement = dialect_insert(connection, change_commits).on_conflict_do_nothing(
            index_elements=[change_commits.c.train, change_commits.c.sha]
        )
        connection.execute(statement, commit_rows)
    op_rows = [row for rc in fresh for row in records.migration_op_rows(rc, train=train)]
    if op_rows:
        connection.execute(migration_ops.insert(), op_rows)


def _read_columns(*, details: bool) -> list[Column[Any]]:
    left_out = (
        records.UNREAD_COLUMNS if details else records.UNREAD_COLUMNS | records.DETAIL_COLUMNS
    )
    return [col for col in changes.c if col.name not in left_out]


def _insert_new_changes(connection: Connection, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the rows whose (train, id) is not taken yet; returns the ids inserted."""
    if connection.dialect.name != "postgresql":
        statement = dialect_insert(connection, changes).on_conflict_do_nothing(
            index_elements=[changes.c.train, changes.c.id]
        )
        return set(connection.execute(statement.returning(changes.c.id), rows).scalars())
    # A multi-row INSERT ... RETURNING with thousands of parameters is slow to prepare on
    # the client; the driver's pipelined executemany into a staging table, then one
    # INSERT ... SELECT, does the same work several times faster.
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {_STAGING} (LIKE {changes.name}) ON COMMIT DROP"
    )
    staging = table(_STAGING, *(column(col.name, col.type) for col in changes.c))
    connection.execute(staging.insert(), rows)
    names = [col.name for col in changes.c]
    moved = (
        pg_insert(changes)
        .from_select(names, select(*(staging.c[name] for name in names)))
        .on_conflict_do_nothing(index_elements=[changes.c.train, changes.c.id])
        .returning(changes.c.id)
    )
    return set(connection.execute(moved).scalars())


def _move_cursors(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert or move each source's cursor (one statement, executed for every row)."""
    statement = dialect_insert(connection, source_cursors)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[source_cursors.c.train, source_cursors.c.source],
            set_={"cursor": statement.excluded.cursor, "updated_at": statement.excluded.updated_at},
        ),
        rows,
    )


def _first_of_each(batch: Iterator[RecordedChange]) -> Iterator[RecordedChange]:
    seen: set[str] = set()
    for item in batch:
        if item.change.id not in seen:
            seen.add(item.change.id)
            yield item
