"""The schema actions a migration may perform, their stage, and how people read them.

An action names what a file's net effect does to the database the running code uses. Its stage
follows the release process: expand when the code already running can live with it, contract
when it can break that code. The names are stored with each recorded change (older releases
stored the first eleven): keep them stable.
"""

from __future__ import annotations

from bot.domain.model import MigrationOp, MigrationStage

# Expand: the code already running can live with these.
CREATE_TABLE = "create table"
ADD_COLUMN = "add column"
CREATE_INDEX = "create index"
DROP_INDEX = "drop index"
RENAME_INDEX = "rename index"
ALLOW_NULLS = "allow nulls"
WIDEN_TYPE = "widen column type"
SET_DEFAULT = "set column default"
DROP_CONSTRAINT = "drop constraint"
REPLACE_CONSTRAINT = "replace constraint"
VALIDATE_CONSTRAINT = "validate constraint"
CREATE_TYPE = "create type"
ADD_ENUM_VALUE = "add enum value"
CREATE_VIEW = "create view"
RENAME_TABLE_BEHIND_VIEW = "rename table behind a view"

# Contract: these can break the code already running.
DROP_TABLE = "drop table"
DROP_COLUMN = "drop column"
RENAME_COLUMN = "rename column"
RENAME_TABLE = "rename table"
ADD_NON_NULL_COLUMN = "add non-null column without default"
SET_NOT_NULL = "set column not null"
CHANGE_TYPE = "change column type"
DROP_DEFAULT = "drop column default"
ADD_UNIQUE_INDEX = "add unique index"
ADD_CONSTRAINT = {
    "unique": "add unique constraint",
    "check": "add check constraint",
    "foreign": "add foreign key",
    "primary": "add primary key",
    "exclude": "add exclusion constraint",
}
NARROW_CONSTRAINT = "narrow constraint"
ADD_DOMAIN_CONSTRAINT = "add domain constraint"
REBUILD_TABLE = "rebuild table"
DROP_TYPE = "drop type"
RENAME_ENUM_VALUE = "rename enum value"
DROP_ENUM_VALUE = "drop enum value"
DROP_VIEW = "drop view"
RENAME_VIEW = "rename view"
DROP_SCHEMA = "drop schema"
RENAME_SCHEMA = "rename schema"
DROP_DATABASE = "drop database"
DETACH_PARTITION = "detach partition"
ALTER_FIELD = "alter field"
POST_DEPLOY = "post-deployment migration"
# A migration file too large to read: its `table` holds the file's path, its stage is unknown.
UNREAD_MIGRATION = "unread migration file"

EXPAND_ACTIONS = frozenset(
    {
        CREATE_TABLE,
        ADD_COLUMN,
        CREATE_INDEX,
        DROP_INDEX,
        RENAME_INDEX,
        ALLOW_NULLS,
        WIDEN_TYPE,
        SET_DEFAULT,
        DROP_CONSTRAINT,
        REPLACE_CONSTRAINT,
        VALIDATE_CONSTRAINT,
        CREATE_TYPE,
        ADD_ENUM_VALUE,
        CREATE_VIEW,
        RENAME_TABLE_BEHIND_VIEW,
    }
)


def make_op(action: str, table: str, *, column: str | None = None) -> MigrationOp:
    """An op of `action` on `table`, staged expand or contract by its action."""
    stage = MigrationStage.EXPAND if action in EXPAND_ACTIONS else MigrationStage.CONTRACT
    return MigrationOp(stage=stage, table=table, column=column or None, action=action)


def unread_op(path: str) -> MigrationOp:
    """The op of a migration file whose text was not read: counted as a contract, to be safe."""
    return MigrationOp(stage=MigrationStage.CONTRACT, table=path, action=UNREAD_MIGRATION)


def post_deploy_op(path: str) -> MigrationOp:
    """The op of a migration added under a post-deployment folder: the contract stage."""
    return MigrationOp(stage=MigrationStage.CONTRACT, table=path, action=POST_DEPLOY)


def describe_op(op: MigrationOp) -> str:
    """A short phrase for people: `drops column orders.legacy_id`."""
    target = f"{op.table}.{op.column}" if op.column else op.table
    phrase = _PHRASES.get(op.action)
    if phrase is not None and not target and " on {target}" in phrase:
        return phrase.split(" on {target}")[0]  # "drops an index": its table goes unnamed
    if phrase is not None:
        return phrase.format(target=target or "a table")
    if op.action.startswith("add ") and op.action in ADD_CONSTRAINT.values():
        return f"adds a {op.action.removeprefix('add ')} on {target}"
    return f"{op.action} {target}".strip()


_PHRASES = {
    CREATE_TABLE: "creates table {target}",
    ADD_COLUMN: "adds column {target}",
    CREATE_INDEX: "creates an index on {target}",
    DROP_INDEX: "drops an index on {target}",
    RENAME_INDEX: "renames an index on {target}",
    ALLOW_NULLS: "lets column {target} hold nulls",
    WIDEN_TYPE: "widens the type of column {target}",
    SET_DEFAULT: "gives column {target} a default",
    DROP_CONSTRAINT: "drops a constraint on {target}",
    REPLACE_CONSTRAINT: "replaces a constraint on {target} (dropped and added again)",
    VALIDATE_CONSTRAINT: "validates a constraint on {target} (already enforced on new rows)",
    CREATE_TYPE: "creates type {target}",
    ADD_ENUM_VALUE: "adds a value to enum {target}",
    CREATE_VIEW: "creates view {target}",
    RENAME_TABLE_BEHIND_VIEW: "renames table {target}, keeping a view under its old name",
    DROP_TABLE: "drops table {target}",
    DROP_COLUMN: "drops column {target}",
    RENAME_COLUMN: "renames column {target}",
    RENAME_TABLE: "renames table {target}",
    ADD_NON_NULL_COLUMN: "adds non-null column {target} without a default",
    SET_NOT_NULL: "makes column {target} non-null",
    CHANGE_TYPE: "changes the type of column {target}",
    DROP_DEFAULT: "drops the default of column {target}",
    ADD_UNIQUE_INDEX: "adds a unique index on {target}",
    NARROW_CONSTRAINT: "replaces a constraint on {target} with a narrower one",
    ADD_DOMAIN_CONSTRAINT: "adds a constraint to domain {target}",
    REBUILD_TABLE: "rebuilds table {target} under its name (what the old table held is not in "
    "the file: check that nothing the running code uses is gone)",
    DROP_TYPE: "drops type {target}",
    RENAME_ENUM_VALUE: "renames a value of enum {target}",
    DROP_ENUM_VALUE: "drops a value of enum {target}",
    DROP_VIEW: "drops view {target}",
    RENAME_VIEW: "renames view {target}",
    DROP_SCHEMA: "drops schema {target}",
    RENAME_SCHEMA: "renames schema {target}",
    DROP_DATABASE: "drops database {target}",
    DETACH_PARTITION: "detaches a partition of {target}",
    ALTER_FIELD: "alters column {target} (its old definition is not in the file: it may become "
    "NOT NULL or narrower)",
    POST_DEPLOY: "post-deployment migration {target}: the contract stage, whatever it does",
    UNREAD_MIGRATION: "migration file {target} is over the size cap and was not read",
}
