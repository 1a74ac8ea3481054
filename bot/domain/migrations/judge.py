"""A migration file's net effect on the code already running: its steps judged together.

Each step is judged by what the previous release, still running while the new one rolls out,
can live with (the expand stage) or not (the contract stage), in the light of the rest of the
file: what the file itself creates can be constrained, filled, renamed or dropped again freely
(nothing running knows it); a column built beside an old one and renamed into its place, a
table rebuilt under its own name, a renamed table that leaves a view under its old name, and a
constraint dropped and added again are read as what they amount to. One pass over the steps,
then one over what it learnt: linear in the number of steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.domain.migrations import actions as a
from bot.domain.migrations import steps as s
from bot.domain.migrations.actions import make_op
from bot.domain.migrations.steps import Step
from bot.domain.model import MigrationOp


@dataclass
class _NewColumn:
    nullable: bool
    has_default: bool


@dataclass
class _NewTable:
    required: tuple[str, ...] = ()  # columns NOT NULL without a default
    copied_from: str | None = None  # rows copied in from this table (a rebuild)


@dataclass
class _File:
    """What the steps so far made, dropped and renamed, and the ops judged on the way."""

    tables: dict[str, _NewTable] = field(default_factory=dict)
    columns: dict[tuple[str, str], _NewColumn] = field(default_factory=dict)
    dropped_tables: set[str] = field(default_factory=set)  # tables the running code knows
    renamed_tables: dict[str, str] = field(default_factory=dict)  # old name -> new name
    rebuilt: set[str] = field(default_factory=set)
    dropped_columns: dict[tuple[str, str], None] = field(default_factory=dict)  # ordered set
    tightened: dict[tuple[str, str], None] = field(default_factory=dict)  # SET NOT NULL
    relaxed: set[tuple[str, str]] = field(default_factory=set)  # DROP NOT NULL
    undefaulted: dict[tuple[str, str], None] = field(default_factory=dict)  # DROP DEFAULT
    views: set[str] = field(default_factory=set)
    dropped_constraints: list[Step] = field(default_factory=list)
    ops: list[tuple[int, MigrationOp]] = field(default_factory=list)  # (place in the file, op)
    index: int = 0  # the step being judged
    first: dict[tuple[str, str | None], int] = field(default_factory=dict)  # where each starts

    def is_new(self, table: str, column: str | None = None) -> bool:
        """Whether nothing running can know the table (or column): this file made it."""
        return table in self.tables or (column is not None and (table, column) in self.columns)

    def all_new(self, table: str, columns: Sequence[str]) -> bool:
        return self.is_new(table) or (
            bool(columns) and all(self.is_new(table, column) for column in columns)
        )

    def emit(self, action: str, table: str, column: str | None = None) -> None:
        self.ops.append((self.index, make_op(action, table, column=column)))

    def settle(self, action: str, table: str, column: str | None = None) -> None:
        """An op only the end of the file tells, placed where its table (column) first came."""
        at = self.first.get((table, column), self.first.get((table, None), self.index))
        self.ops.append((at, make_op(action, table, column=column)))


def judge(steps: Sequence[Step]) -> list[MigrationOp]:
    """The ops a file's steps amount to, each staged expand or contract, each once, in the
    order the file comes to them."""
    file = _File()
    for index, step in enumerate(steps):
        file.index = index
        file.first.setdefault((step.table, step.column), index)
        file.first.setdefault((step.table, None), index)
        _HANDLERS.get(step.kind, _nothing)(file, step)
    file.index = len(steps)
    _settle(file)
    ordered = sorted(file.ops, key=lambda placed: placed[0])
    return list(dict.fromkeys(op for _, op in ordered))


# --- tables -------------------------------------------------------------------------------


def _create_table(file: _File, step: Step) -> None:
    file.tables[step.table] = _NewTable(required=step.required)


def _drop_table(file: _File, step: Step) -> None:
    if step.table in file.tables:
        del file.tables[step.table]  # a table of this file: a scratch table, or the old copy
        return
    aside = {new: old for old, new in file.renamed_tables.items()}
    if step.table in aside and aside[step.table] in file.tables:
        # The old table was renamed aside, a new one took its name, the old one goes: a rebuild.
        file.rebuilt.add(aside[step.table])
        del file.renamed_tables[aside[step.table]]
        return
    file.dropped_tables.add(step.table)


def _rename_table(file: _File, step: Step) -> None:
    new = step.name or ""
    if step.table in file.tables:
        file.tables[new] = file.tables.pop(step.table)
        if new in file.dropped_tables:  # a new table takes the place of one dropped: a rebuild
            file.dropped_tables.discard(new)
            file.rebuilt.add(new)
        return
    file.renamed_tables[step.table] = new


def _copy_rows(file: _File, step: Step) -> None:
    if step.table in file.tables:
        file.tables[step.table].copied_from = step.name


def _create_view(file: _File, step: Step) -> None:
    file.views.add(step.table)
    if step.table in file.renamed_tables:
        # The old name lives on as a view over the renamed table: old reads (and simple
        # writes, through an updatable view) keep working.
        del file.renamed_tables[step.table]
        file.emit(a.RENAME_TABLE_BEHIND_VIEW, step.table)
        return
    file.emit(a.CREATE_VIEW, step.table)


def _drop_view(file: _File, step: Step) -> None:
    if step.table in file.views:
        return
    file.emit(a.DROP_VIEW, step.table)


# --- columns ------------------------------------------------------------------------------


def _add_column(file: _File, step: Step) -> None:
    if step.column:
        file.columns[(step.table, step.column)] = _NewColumn(step.nullable, step.default)


def _drop_column(file: _File, step: Step) -> None:
    key = (step.table, step.column or "")
    if key in file.columns:
        del file.columns[key]
    elif not file.is_new(step.table):
        file.dropped_columns[key] = None


def _rename_column(file: _File, step: Step) -> None:
    key, new = (step.table, step.column or ""), (step.table, step.name or "")
    if key in file.columns:
        # A column of this file under its final name; taking the name of one it dropped is a
        # swap: the running code finds a column by that name, filled by the migration.
        file.columns[new] = file.columns.pop(key)
        file.dropped_columns.pop(new, None)
    elif not file.is_new(step.table):
        file.emit(a.RENAME_COLUMN, step.table, step.column)


def _alter_type(file: _File, step: Step) -> None:
    if not file.is_new(step.table, step.column):
        action = a.WIDEN_TYPE if step.widening else a.CHANGE_TYPE
        file.emit(action, step.table, step.column)


def _set_not_null(file: _File, step: Step) -> None:
    key = (step.table, step.column or "")
    if key in file.columns:
        file.columns[key].nullable = False
    elif not file.is_new(step.table):
        file.tightened[key] = None


def _drop_not_null(file: _File, step: Step) -> None:
    key = (step.table, step.column or "")
    if key in file.columns:
        file.columns[key].nullable = True
    elif not file.is_new(step.table):
        file.tightened.pop(key, None)
        file.relaxed.add(key)
        file.emit(a.ALLOW_NULLS, step.table, step.column)


def _set_default(file: _File, step: Step) -> None:
    key = (step.table, step.column or "")
    if key in file.columns:
        file.columns[key].has_default = True
    elif not file.is_new(step.table):
        file.emit(a.SET_DEFAULT, step.table, step.column)


def _drop_default(file: _File, step: Step) -> None:
    key = (step.table, step.column or "")
    if key in file.columns:
        file.columns[key].has_default = False
    elif not file.is_new(step.table):
        file.undefaulted[key] = None


# --- constraints and indexes --------------------------------------------------------------


def _add_constraint(file: _File, step: Step) -> None:
    if file.all_new(step.table, step.columns):
        return  # on what this file made: nothing running writes it yet
    kind = step.constraint or "check"
    replaced = _replaced(file, step)
    column = _only(step.columns)
    if replaced is None:
        file.emit(a.ADD_CONSTRAINT[kind], step.table, column)
    elif replaced.values and step.values and not set(replaced.values) <= set(step.values):
        file.emit(a.NARROW_CONSTRAINT, step.table, column)
    else:
        file.emit(a.REPLACE_CONSTRAINT, step.table, column)


def _replaced(file: _File, step: Step) -> Step | None:
    """The constraint this one replaces: dropped earlier in the file from the same table,
    matched by name, else by kind and columns."""
    for dropped in file.dropped_constraints:
        if dropped.table != step.table:
            continue
        if step.name and dropped.name == step.name:
            return dropped
        same_kind = (dropped.constraint or _kind_by_name(dropped.name)) == step.constraint
        if same_kind and (dropped.columns == step.columns or not dropped.columns):
            return dropped
    return None


# The kind a constraint's conventional name tells (PostgreSQL's, Rails', Alembic's, Django's).
_NAME_KINDS = (
    (("_pkey", "pk_"), "primary"),
    (("_fkey", "fk_", "_fk"), "foreign"),
    (("_check", "ck_", "chk_", "_chk"), "check"),
    (("_key", "_unique", "_uniq", "uq_", "_uq", "unique_"), "unique"),
)


def _kind_by_name(name: str | None) -> str | None:
    if not name:
        return None
    for marks, kind in _NAME_KINDS:
        if any(name.endswith(m) if m.startswith("_") else name.startswith(m) for m in marks):
            return kind
    return None


def _drop_constraint(file: _File, step: Step) -> None:
    file.dropped_constraints.append(step)
    if not file.is_new(step.table):
        file.emit(a.DROP_CONSTRAINT, step.table, _only(step.columns))


def _create_index(file: _File, step: Step) -> None:
    if file.all_new(step.table, step.columns) or not step.unique:
        # An index only speeds reads up; a unique one on what this file made constrains
        # nothing the running code writes.
        file.emit(a.CREATE_INDEX, step.table)
    elif _replaces_unique(file, step):
        # A unique constraint dropped above comes back as a (maybe partial) unique index:
        # the same rule, or one that allows more rows.
        file.emit(a.REPLACE_CONSTRAINT, step.table, _only(step.columns))
    else:
        file.emit(a.ADD_UNIQUE_INDEX, step.table, _only(step.columns))


def _replaces_unique(file: _File, step: Step) -> bool:
    for dropped in file.dropped_constraints:
        if dropped.table != step.table:
            continue
        kind = dropped.constraint or _kind_by_name(dropped.name)
        columns = dropped.columns or _columns_by_name(dropped.name, step.table)
        if kind == "unique" and columns == step.columns:
            return True
    return False


def _columns_by_name(name: str | None, table: str) -> tuple[str, ...]:
    """The column PostgreSQL's default constraint name holds: `users_email_key` -> (email,)."""
    if not name or not name.startswith(f"{table}_") or not name.endswith("_key"):
        return ()
    return (name[len(table) + 1 : -4],)


def _alter_field(file: _File, step: Step) -> None:
    key = (step.table, step.column or "")
    if key in file.columns:  # a column this file adds, now restated: its new nullability
        file.columns[key] = _NewColumn(step.nullable, step.default)
    elif not file.is_new(step.table):
        file.emit(a.ALTER_FIELD, step.table, step.column)


def _simple(action: str) -> Callable[[_File, Step], None]:
    def handle(file: _File, step: Step) -> None:
        if not (step.table and file.is_new(step.table)):
            file.emit(action, step.table, step.column)

    return handle


def _nothing(file: _File, step: Step) -> None:
    """Steps that change nothing the running code depends on (data, comments, sequences)."""


def _only(columns: tuple[str, ...]) -> str | None:
    return columns[0] if len(columns) == 1 else None


# --- what the file left behind ----------------------------------------------------------------


def _settle(file: _File) -> None:
    """Ops for what only the end of the file tells: tables and columns made, dropped,
    renamed aside and rebuilt."""
    for name, made_table in file.tables.items():
        if name in file.rebuilt or made_table.copied_from in file.dropped_tables:
            file.dropped_tables.discard(made_table.copied_from or "")
            file.settle(a.REBUILD_TABLE, name)
        else:
            file.settle(a.CREATE_TABLE, name)
    for name in file.dropped_tables:
        file.settle(a.DROP_TABLE, name)
    for old in file.renamed_tables:
        file.settle(a.RENAME_TABLE, old)
    for (table, column), made in file.columns.items():
        if table in file.tables:
            continue  # a column of a table this file makes
        required = not made.nullable and not made.has_default
        file.settle(a.ADD_NON_NULL_COLUMN if required else a.ADD_COLUMN, table, column)
    for table, column in file.dropped_columns:
        file.settle(a.DROP_COLUMN, table, column)
    for table, column in file.tightened:
        file.settle(a.SET_NOT_NULL, table, column)
    for key in file.undefaulted:
        # Without its default a NOT NULL column refuses the running code's inserts that leave
        # it out; one the file also lets hold nulls takes them (as NULL).
        file.settle(a.SET_DEFAULT if key in file.relaxed else a.DROP_DEFAULT, *key)


_HANDLERS: dict[str, Callable[[_File, Step], None]] = {
    s.CREATE_TABLE: _create_table,
    s.DROP_TABLE: _drop_table,
    s.RENAME_TABLE: _rename_table,
    s.COPY_ROWS: _copy_rows,
    s.ADD_COLUMN: _add_column,
    s.DROP_COLUMN: _drop_column,
    s.RENAME_COLUMN: _rename_column,
    s.ALTER_TYPE: _alter_type,
    s.SET_NOT_NULL: _set_not_null,
    s.DROP_NOT_NULL: _drop_not_null,
    s.SET_DEFAULT: _set_default,
    s.DROP_DEFAULT: _drop_default,
    s.ADD_CONSTRAINT: _add_constraint,
    s.DROP_CONSTRAINT: _drop_constraint,
    s.VALIDATE_CONSTRAINT: _simple(a.VALIDATE_CONSTRAINT),
    s.CREATE_INDEX: _create_index,
    s.DROP_INDEX: _simple(a.DROP_INDEX),
    s.RENAME_INDEX: _simple(a.RENAME_INDEX),
    s.CREATE_TYPE: _simple(a.CREATE_TYPE),
    s.DROP_TYPE: _simple(a.DROP_TYPE),
    s.ADD_ENUM_VALUE: _simple(a.ADD_ENUM_VALUE),
    s.RENAME_ENUM_VALUE: _simple(a.RENAME_ENUM_VALUE),
    s.DROP_ENUM_VALUE: _simple(a.DROP_ENUM_VALUE),
    s.CREATE_VIEW: _create_view,
    s.DROP_VIEW: _drop_view,
    s.RENAME_VIEW: _simple(a.RENAME_VIEW),
    s.DROP_SCHEMA: _simple(a.DROP_SCHEMA),
    s.RENAME_SCHEMA: _simple(a.RENAME_SCHEMA),
    s.DROP_DATABASE: _simple(a.DROP_DATABASE),
    s.DETACH_PARTITION: _simple(a.DETACH_PARTITION),
    s.ALTER_DOMAIN: _simple(a.ADD_DOMAIN_CONSTRAINT),
    s.ALTER_FIELD: _alter_field,
}
