"""Expand or contract: the schema operations a migration diff adds (SQL, Alembic, Django, Rails).

Only added lines count: a unified diff's `+` lines, or every line of text without hunk markers.
Code that only runs when a migration is rolled back (Alembic `downgrade()`, Rails `down`, the
down sections and files of SQL migration tools, Django `reverse_sql`) is ignored.

Names are normalised: quotes, backticks and brackets stripped, schema qualifiers dropped,
lower-cased (Django model names too, so `Order` and `order` are one table). Index operations
carry the table when the migration names it, else an empty table.

A column added NOT NULL without a default is not backwards-compatible: code still running
without the column cannot insert rows (and on a filled table the migration itself fails). It
is read as a contract-stage op, action `add non-null column without default`, so the policy
reports it rather than letting it pass as a harmless expand. Django fields count as NOT NULL
unless they say `null=True`; a Django `default=` counts as a default unless the migration
marks it `preserve_default=False` (a one-off value used only to fill existing rows).

Reading never raises and stays linear on hostile input: every regex is bounded, a text is read
up to MAX_MIGRATION_CHARS, and call arguments are scanned within a fixed budget.

A migration file over a size cap is never taken for "no migration": a padded contract would
pass as harmless. A longer text, or a file with added lines whose text the source left out (its
own cap), adds an `unread migration file` op, staged contract because its stage is unknown.
"""

from __future__ import annotations

from bot.domain.migrations.actions import (
    ADD_COLUMN,
    ADD_NON_NULL_COLUMN,
    CREATE_INDEX,
    CREATE_TABLE,
    DROP_COLUMN,
    DROP_INDEX,
    DROP_TABLE,
    RENAME_COLUMN,
    RENAME_TABLE,
    SET_NOT_NULL,
    UNREAD_MIGRATION,
    describe_op,
    unread_op,
)
from bot.domain.migrations.lines import counted_lines, dialect_of
from bot.domain.migrations.python import read_python
from bot.domain.migrations.ruby import read_ruby
from bot.domain.migrations.sql import read_sql
from bot.domain.model import FileChange, MigrationOp

__all__ = [
    "ADD_COLUMN",
    "ADD_NON_NULL_COLUMN",
    "CREATE_INDEX",
    "CREATE_TABLE",
    "DROP_COLUMN",
    "DROP_INDEX",
    "DROP_TABLE",
    "MAX_MIGRATION_CHARS",
    "RENAME_COLUMN",
    "RENAME_TABLE",
    "SET_NOT_NULL",
    "UNREAD_MIGRATION",
    "describe_op",
    "read_file_migration",
    "read_migration",
    "read_sql",
]

MAX_MIGRATION_CHARS = 1_000_000


def read_migration(path: str, patch: str) -> tuple[MigrationOp, ...]:
    """The schema operations the added lines of a migration file perform, in order, each once.

    A text over MAX_MIGRATION_CHARS gives what its first part performs and an unread op.
    """
    dialect = dialect_of(path)
    if dialect is None or not patch:
        return ()
    lines = counted_lines(patch[:MAX_MIGRATION_CHARS], dialect)
    if dialect == "python":
        ops = read_python("\n".join(lines))
    elif dialect == "ruby":
        ops = read_ruby(lines)
    else:
        ops = read_sql("\n".join(lines))
    if len(patch) > MAX_MIGRATION_CHARS:
        ops.append(unread_op(path))
    return tuple(dict.fromkeys(ops))


def read_file_migration(file: FileChange) -> tuple[MigrationOp, ...]:
    """The schema operations of one migration file of a change.

    A file with added lines but no text (the source's size cap left it out) is one unread op;
    a deleted or binary file, with no added lines, performs nothing.
    """
    if file.patch is None:
        return (unread_op(file.path),) if file.added > 0 and dialect_of(file.path) else ()
    return read_migration(file.path, file.patch)
