"""The schema actions a migration may perform, their stage, and how people read them."""

from __future__ import annotations

from bot.domain.model import MigrationOp, MigrationStage

CREATE_TABLE = "create table"
ADD_COLUMN = "add column"
CREATE_INDEX = "create index"
DROP_TABLE = "drop table"
DROP_COLUMN = "drop column"
RENAME_COLUMN = "rename column"
RENAME_TABLE = "rename table"
DROP_INDEX = "drop index"
ADD_NON_NULL_COLUMN = "add non-null column without default"
SET_NOT_NULL = "set column not null"
# A migration file too large to read: its `table` holds the file's path, its stage is unknown.
UNREAD_MIGRATION = "unread migration file"

_EXPAND_ACTIONS = frozenset({CREATE_TABLE, ADD_COLUMN, CREATE_INDEX})


def make_op(action: str, table: str, *, column: str | None = None) -> MigrationOp:
    """An op of `action` on `table`, staged expand or contract by its action."""
    stage = MigrationStage.EXPAND if action in _EXPAND_ACTIONS else MigrationStage.CONTRACT
    return MigrationOp(stage=stage, table=table, column=column or None, action=action)


def unread_op(path: str) -> MigrationOp:
    """The op of a migration file whose text was not read: counted as a contract, to be safe."""
    return MigrationOp(stage=MigrationStage.CONTRACT, table=path, action=UNREAD_MIGRATION)


def describe_op(op: MigrationOp) -> str:
    """A short phrase for people: `drops column orders.legacy_id`."""
    target = f"{op.table}.{op.column}" if op.column else op.table
    phrases = {
        CREATE_TABLE: f"creates table {target}",
        ADD_COLUMN: f"adds column {target}",
        CREATE_INDEX: f"creates an index on {target}" if target else "creates an index",
        DROP_TABLE: f"drops table {target}",
        DROP_COLUMN: f"drops column {target}",
        RENAME_COLUMN: f"renames column {target}",
        RENAME_TABLE: f"renames table {target}",
        DROP_INDEX: f"drops an index on {target}" if target else "drops an index",
        ADD_NON_NULL_COLUMN: f"adds non-null column {target} without a default",
        SET_NOT_NULL: f"makes column {target} non-null",
        UNREAD_MIGRATION: f"migration file {op.table} is over the size cap and was not read",
    }
    return phrases.get(op.action, f"{op.action} {target}".strip())
