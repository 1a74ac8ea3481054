"""Expand or contract: what a migration file does to the code already running (SQL, Alembic,
Django, Rails), read as that code sees it.

Each framework's reader turns the file's added lines into steps (`steps.Step`: one schema
statement each, in order), reading statements wherever they stand (inside `safety_assured`,
`change_table`, `reversible`, `op.execute("...")`, PL/pgSQL blocks) and skipping only rollback
code (`def down`, `downgrade()`, `reverse_sql`, the Down section of a SQL file, a `.down.sql`
file). The judge (`judge.judge`) then reads the steps together, as their net effect: see its
docstring. Names are normalised: quotes, backticks and brackets stripped, schema qualifiers
dropped, lower-cased (Django model names too, so `Order` and `order` are one table).

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
    POST_DEPLOY,
    RENAME_COLUMN,
    RENAME_TABLE,
    SET_NOT_NULL,
    UNREAD_MIGRATION,
    describe_op,
    post_deploy_op,
    unread_op,
)
from bot.domain.migrations.judge import judge
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
    "POST_DEPLOY",
    "RENAME_COLUMN",
    "RENAME_TABLE",
    "SET_NOT_NULL",
    "UNREAD_MIGRATION",
    "describe_op",
    "post_deploy_op",
    "read_file_migration",
    "read_migration",
    "read_sql_ops",
]

MAX_MIGRATION_CHARS = 1_000_000


def read_migration(path: str, patch: str) -> tuple[MigrationOp, ...]:
    """The net schema operations the added lines of a migration file perform, each once.

    A text over MAX_MIGRATION_CHARS gives what its first part performs and an unread op.
    """
    dialect = dialect_of(path)
    if dialect is None or not patch:
        return ()
    lines = counted_lines(patch[:MAX_MIGRATION_CHARS], dialect)
    if dialect == "python":
        steps = read_python("\n".join(lines), path=path)
    elif dialect == "ruby":
        steps = read_ruby(lines)
    else:
        steps = read_sql("\n".join(lines))
    ops = judge(steps)
    if len(patch) > MAX_MIGRATION_CHARS:
        ops.append(unread_op(path))
    return tuple(dict.fromkeys(ops))


def read_sql_ops(text: str) -> tuple[MigrationOp, ...]:
    """The net schema operations of SQL text (a file of plain SQL statements)."""
    return tuple(judge(read_sql(text)))


def read_file_migration(file: FileChange) -> tuple[MigrationOp, ...]:
    """The schema operations of one migration file of a change.

    A file with added lines but no text (the source's size cap left it out) is one unread op;
    a deleted or binary file, with no added lines, performs nothing.
    """
    if file.patch is None:
        return (unread_op(file.path),) if file.added > 0 and dialect_of(file.path) else ()
    return read_migration(file.path, file.patch)
