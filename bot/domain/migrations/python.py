"""Steps of Python migrations: Alembic revisions and Django migrations, read from their syntax.

A whole file is parsed with the standard library's `ast` (nothing is imported or run): Alembic's
`upgrade()` is followed in order, through `with op.batch_alter_table(...)` blocks, loops and the
module's own helper functions it calls (a helper defined after `downgrade()` is forward code;
`downgrade()` itself is rollback code and never read); SQL it executes (`op.execute`,
`conn.execute(sa.text(...))`, f-strings over module constants) is read as SQL. A Django file's
`operations` list is read operation by operation (`RunSQL`'s `sql`, never its `reverse_sql`;
`SeparateDatabaseAndState`'s database operations only). A fragment that does not parse (the
lines a change added to an existing file) is scanned for the calls by name instead.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from bot.domain.migrations import steps as s
from bot.domain.migrations.sql import normalise_name, read_sql
from bot.domain.migrations.steps import Step, widens

# Calls inlined into one another at most this deep (a helper calling a helper...).
_MAX_DEPTH = 8

# Readers of one call: an Alembic op (its arguments, its table, where the column argument
# starts) and a Django operation (its arguments, the module's string constants).
_AlembicReader = Callable[["_Args", str, int], Iterator[Step]]
_DjangoReader = Callable[["_Args", dict[str, str]], Iterator[Step]]
_DJANGO_OPS = frozenset(
    [
        "CreateModel",
        "DeleteModel",
        "RenameModel",
        "AlterModelTable",
        "AddField",
        "RemoveField",
        "RenameField",
        "AlterField",
        "AlterUniqueTogether",
        "AlterIndexTogether",
        "AddIndex",
        "AddIndexConcurrently",
        "RemoveIndex",
        "RemoveIndexConcurrently",
        "RenameIndex",
        "AddConstraint",
        "AddConstraintNotValid",
        "RemoveConstraint",
        "ValidateConstraint",
        "RunSQL",
        "RunPython",
        "SeparateDatabaseAndState",
        "AddDefaultValue",
    ]
)


def read_python(text: str, *, path: str = "") -> list[Step]:
    """The steps of an Alembic or Django migration (or of a fragment of one), in order.

    A Django model's table is named as Django names it, `<app>_<model>`, the app being the
    folder that holds the `migrations` folder of `path` (the model alone when it has none).
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _read_fragment(text)
    constants = _constants(tree)
    operations = _django_operations(tree)
    if operations is not None:
        return [_in_app(step, _app_label(path)) for step in _django(operations, constants)]
    return list(_Alembic(tree, constants).read())


def _app_label(path: str) -> str:
    parts = path.split("/")
    return parts[-3].lower() if len(parts) >= 3 and parts[-2] == "migrations" else ""


def _in_app(step: Step, app: str) -> Step:
    """A Django step with its model named as its table (RunSQL steps name tables already)."""
    if not app or not step.table or step.note == "sql" or step.table.startswith(f"{app}_"):
        return step
    renamed = step.name if step.kind in (s.RENAME_TABLE,) and step.name else None
    return replace(
        step,
        table=f"{app}_{step.table}",
        name=f"{app}_{renamed}" if renamed else step.name,
    )


# --- values in the syntax tree ------------------------------------------------------------


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to a string (or a tuple of strings, joined by commas)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                value = _text(node.value, found)
                if value is not None:
                    found[target.id] = value
    return found


def _text(node: ast.AST | None, constants: dict[str, str]) -> str | None:
    """The string an expression stands for, as far as the file alone tells."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.JoinedStr):
        return _f_string(node, constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        left = _text(node.left, constants)
        right = _text(node.right, constants) if isinstance(node.op, ast.Add) else ""
        return None if left is None else left + (right or "")
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [_text(item, constants) for item in node.elts]
        return ", ".join(f"'{i}'" for i in items if i is not None)
    if isinstance(node, ast.Call):  # sa.text("..."), textwrap.dedent("..."), "...".format()
        if node.args:
            return _text(node.args[0], constants)
        if isinstance(node.func, ast.Attribute):
            return _text(node.func.value, constants)
    return None


def _f_string(node: ast.JoinedStr, constants: dict[str, str]) -> str:
    """An f-string's text: its constant parts, and its names resolved (else `x`)."""
    parts = []
    for value in node.values:
        if isinstance(value, ast.FormattedValue):
            parts.append(_text(value.value, constants) or "x")
        else:
            parts.append(_text(value, constants) or "")
    return "".join(parts)


def _call_name(node: ast.Call) -> tuple[str, str]:
    """(receiver, name) of a call: `op.add_column(...)` gives ("op", "add_column")."""
    func = node.func
    if isinstance(func, ast.Attribute):
        receiver = func.value
        if isinstance(receiver, ast.Name):
            return receiver.id, func.attr
        if isinstance(receiver, ast.Attribute):
            return receiver.attr, func.attr
        if isinstance(receiver, ast.Call):  # op.get_bind().execute(...)
            return "<call>", func.attr
        return "", func.attr
    if isinstance(func, ast.Name):
        return "", func.id
    return "", ""


class _Args:
    """A call's arguments, by position or keyword (a keyword wins)."""

    def __init__(self, node: ast.Call, constants: dict[str, str]) -> None:
        self.node = node
        self.constants = constants  # the file's module-level strings, for names in arguments
        self.keywords = {k.arg: k.value for k in node.keywords if k.arg}

    def get(self, index: int, keyword: str = "") -> ast.expr | None:
        if keyword and keyword in self.keywords:
            return self.keywords[keyword]
        return self.node.args[index] if index < len(self.node.args) else None

    def name(self, index: int, keyword: str = "") -> str:
        return normalise_name(_text(self.get(index, keyword), self.constants) or "")

    def names(self, index: int, keyword: str = "") -> tuple[str, ...]:
        node = self.get(index, keyword)
        if isinstance(node, (ast.List, ast.Tuple)):
            texts = (_text(item, self.constants) for item in node.elts)
            return tuple(normalise_name(t) for t in texts if t)
        single = _text(node, self.constants) if node is not None else None
        return (normalise_name(single),) if single else ()

    def flag(self, keyword: str) -> bool | None:
        value = self.keywords.get(keyword)
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            return value.value
        return None

    def has(self, keyword: str) -> bool:
        return keyword in self.keywords


def _source(node: ast.AST | None) -> str:
    return ast.unparse(node) if node is not None else ""


# --- Alembic ------------------------------------------------------------------------------


class _Alembic:
    """Follows `upgrade()` in order, inlining the module's helper functions it calls."""

    def __init__(self, tree: ast.Module, constants: dict[str, str]) -> None:
        self.constants = constants
        self._tree = tree
        self._functions = {
            node.name: node
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }

    def read(self) -> Iterator[Step]:
        upgrade = next((f for n, f in self._functions.items() if n.startswith("upgrade")), None)
        if upgrade is not None:
            yield from self._body(upgrade.body, batches={}, depth=0)
        elif not any(n.startswith("downgrade") for n in self._functions):
            # No upgrade() to follow: a script or an excerpt, read from the top.
            yield from self._body(self._tree.body, batches={}, depth=0)

    def _body(
        self, body: Sequence[ast.stmt], *, batches: dict[str, str], depth: int
    ) -> Iterator[Step]:
        for statement in body:
            if isinstance(statement, (ast.With, ast.AsyncWith)):
                inner = dict(batches)
                for item in statement.items:
                    table = self._batch_table(item.context_expr)
                    if table is not None and isinstance(item.optional_vars, ast.Name):
                        inner[item.optional_vars.id] = table
                yield from self._body(statement.body, batches=inner, depth=depth)
                continue
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # defined here, read where it is called
            blocks = _blocks(statement)
            if blocks:
                for block in blocks:
                    yield from self._body(block, batches=batches, depth=depth)
                continue
            for node in _calls_in(statement):
                yield from self._call(node, batches=batches, depth=depth)

    def _batch_table(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Call) and _call_name(node)[1] == "batch_alter_table":
            return _Args(node, self.constants).name(0, "table_name")
        return None

    def _call(self, node: ast.Call, *, batches: dict[str, str], depth: int) -> Iterator[Step]:
        receiver, name = _call_name(node)
        args = _Args(node, self.constants)
        if name == "execute" or name == "exec_driver_sql":
            sql = _text(args.get(0, "sqltext") or args.get(0, "statement"), self.constants)
            if sql:
                yield from read_sql(sql)
            return
        if receiver == "" and name in self._functions and depth < _MAX_DEPTH:
            helper = self._functions[name]
            if not name.startswith("downgrade"):
                yield from self._body(helper.body, batches=batches, depth=depth + 1)
            return
        if receiver in batches:
            yield from _alembic_op(name, args, batch=batches[receiver])
        elif receiver == "op":
            yield from _alembic_op(name, args, batch=None)


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists of a compound statement (if, for, while, try), in order."""
    if isinstance(statement, (ast.If, ast.For, ast.AsyncFor, ast.While)):
        return [statement.body, statement.orelse]
    if isinstance(statement, ast.Try):
        handlers = [h.body for h in statement.handlers]
        return [statement.body, *handlers, statement.orelse, statement.finalbody]
    return []


def _calls_in(statement: ast.stmt) -> Iterator[ast.Call]:
    """Calls of a statement in the order they run (nested blocks included)."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Call):
            yield node


def _alembic_op(name: str, args: _Args, *, batch: str | None) -> Iterator[Step]:
    """One `op.*` (or batch) call; inside a batch the table is the batch's, not an argument."""
    shift = 0 if batch is not None else 1
    table = batch if batch is not None else args.name(0, "table_name")
    reader = _ALEMBIC.get(name)
    if reader is not None:
        yield from reader(args, table, shift)


def _create_table(args: _Args, table: str, shift: int) -> Iterator[Step]:
    columns, required = [], []
    for item in args.node.args[1:]:
        if isinstance(item, ast.Call) and _call_name(item)[1] == "Column":
            column = _Args(item, args.constants)
            name = column.name(0, "name")
            columns.append(name)
            if _column_required(column):
                required.append(name)
    yield Step(
        s.CREATE_TABLE, args.name(0, "table_name"), columns=tuple(columns), required=tuple(required)
    )


def _column_required(column: _Args) -> bool:
    if column.flag("primary_key"):
        return False
    return column.flag("nullable") is False and not _column_default(column)


def _column_default(column: _Args) -> bool:
    if column.has("server_default") and _source(column.keywords["server_default"]) != "None":
        return True
    return any(
        isinstance(a, ast.Call) and _call_name(a)[1] in ("Identity", "Computed", "Sequence")
        for a in column.node.args
    )


def _add_column(args: _Args, table: str, shift: int) -> Iterator[Step]:
    node = args.get(shift, "column")
    if not (isinstance(node, ast.Call) and _call_name(node)[1] == "Column"):
        return
    column = _Args(node, args.constants)
    nullable = column.flag("nullable") is not False and not column.flag("primary_key")
    yield Step(
        s.ADD_COLUMN,
        table,
        column=column.name(0, "name"),
        nullable=nullable,
        default=_column_default(column),
        unique=bool(column.flag("unique")),
    )


def _alter_column(args: _Args, table: str, shift: int) -> Iterator[Step]:
    column = args.name(shift, "column_name")
    if args.has("type_"):
        new_type = _source(args.keywords["type_"])
        old_type = _source(args.keywords["existing_type"]) if args.has("existing_type") else None
        yield Step(s.ALTER_TYPE, table, column=column, widening=widens(new_type, old_type))
    nullable = args.flag("nullable")
    if nullable is False:
        yield Step(s.SET_NOT_NULL, table, column=column)
    elif nullable is True:
        yield Step(s.DROP_NOT_NULL, table, column=column)
    if args.has("server_default"):
        dropped = _source(args.keywords["server_default"]) in ("None", "False")
        yield Step(s.DROP_DEFAULT if dropped else s.SET_DEFAULT, table, column=column)
    if args.has("new_column_name"):
        yield Step(s.RENAME_COLUMN, table, column=column, name=args.name(0, "new_column_name"))


def _create_index(args: _Args, table: str, shift: int) -> Iterator[Step]:
    index_table = table if shift == 0 else args.name(1, "table_name")
    columns = args.names(1 + shift, "columns")
    yield Step(s.CREATE_INDEX, index_table, unique=bool(args.flag("unique")), columns=columns)


def _drop_index(args: _Args, table: str, shift: int) -> Iterator[Step]:
    yield Step(s.DROP_INDEX, table if shift == 0 else args.name(1, "table_name"))


def _constraint(kind: str) -> _AlembicReader:
    def read(args: _Args, table: str, shift: int) -> Iterator[Step]:
        on = table if shift == 0 else args.name(1, "table_name")
        if kind == "foreign":
            on = table if shift == 0 else args.name(1, "source_table")
            columns = args.names(2 + shift, "local_cols")
        elif kind == "check":
            condition = _text(args.get(1 + shift, "condition"), args.constants) or ""
            columns = _check_columns(condition)
            yield Step(
                s.ADD_CONSTRAINT,
                on,
                name=args.name(0, "constraint_name"),
                constraint=kind,
                columns=columns,
                values=_in_values(condition),
            )
            return
        else:
            columns = args.names(1 + shift, "columns")
        yield Step(
            s.ADD_CONSTRAINT,
            on,
            name=args.name(0, "constraint_name"),
            constraint=kind,
            columns=columns,
        )

    return read


def _drop_constraint(args: _Args, table: str, shift: int) -> Iterator[Step]:
    on = table if shift == 0 else args.name(1, "table_name")
    type_ = _text(args.get(2 if shift else 1, "type_"), args.constants) or ""
    kind = {"foreignkey": "foreign", "unique": "unique", "check": "check", "primary": "primary"}
    yield Step(
        s.DROP_CONSTRAINT,
        on,
        name=args.name(0, "constraint_name"),
        constraint=kind.get(type_.lower()),
    )


def _simple(kind: str, *, column: bool = False, renamed: bool = False) -> _AlembicReader:
    def read(args: _Args, table: str, shift: int) -> Iterator[Step]:
        if renamed:
            yield Step(kind, args.name(0, "old_table_name"), name=args.name(1, "new_table_name"))
        elif column:
            yield Step(kind, table, column=args.name(shift, "column_name"))
        else:
            yield Step(kind, args.name(0, "table_name"))

    return read


_ALEMBIC: dict[str, _AlembicReader] = {
    "create_table": _create_table,
    "add_column": _add_column,
    "alter_column": _alter_column,
    "create_index": _create_index,
    "drop_index": _drop_index,
    "create_unique_constraint": _constraint("unique"),
    "create_check_constraint": _constraint("check"),
    "create_foreign_key": _constraint("foreign"),
    "create_primary_key": _constraint("primary"),
    "create_exclude_constraint": _constraint("exclude"),
    "drop_constraint": _drop_constraint,
    "drop_column": _simple(s.DROP_COLUMN, column=True),
    "drop_table": _simple(s.DROP_TABLE),
    "rename_table": _simple(s.RENAME_TABLE, renamed=True),
    "bulk_insert": lambda args, table, shift: iter((Step(s.DATA),)),
}


def _check_columns(condition: str) -> tuple[str, ...]:
    words = {w.lower() for w in re.findall(r"[A-Za-z_]\w{0,63}", condition)}
    words -= {"and", "or", "not", "null", "is", "in", "true", "false", "like", "between"}
    return tuple(sorted(words)) if len(words) == 1 else ()


def _in_values(condition: str) -> tuple[str, ...]:
    found = re.search(r"\bin\s*\(([^()]{0,4000})\)", condition, re.I)
    if found is None:
        return ()
    return tuple(sorted(v.strip().strip("'\"") for v in found.group(1).split(",")))


# --- Django -------------------------------------------------------------------------------


def _django_operations(tree: ast.Module) -> list[ast.expr] | None:
    """The `operations` list of the file's Migration class, or None when there is none."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "operations" for t in statement.targets
                ):
                    value = statement.value
                    if isinstance(value, (ast.List, ast.Tuple)):
                        return list(value.elts)
    return None


def _django(operations: Sequence[ast.expr], constants: dict[str, str]) -> Iterator[Step]:
    for node in operations:
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)[1]
        if name in _DJANGO_OPS:
            yield from _DJANGO[name](_Args(node, constants), constants)


def _field(args: _Args, index: int, constants: dict[str, str]) -> _Args | None:
    node = args.get(index, "field")
    return _Args(node, constants) if isinstance(node, ast.Call) else None


def _field_type(field: _Args) -> str:
    return _call_name(field.node)[1]


def _add_field(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
    table, column = args.name(0, "model_name"), args.name(1, "name")
    field = _field(args, 2, constants)
    if field is None:
        return
    kind = _field_type(field)
    if kind == "ManyToManyField":
        yield Step(s.CREATE_TABLE, f"{table}_{column}")  # the join table
        return
    # Django fills existing rows with `default` and then drops it from the column: only a
    # db_default (or a generated value) stays in the database for the running code's inserts.
    default = field.has("db_default") and _source(field.keywords["db_default"]) != "None"
    default = default or kind in ("GeneratedField", "AutoField", "BigAutoField")
    nullable = bool(field.flag("null"))
    yield Step(
        s.ADD_COLUMN,
        table,
        column=column,
        nullable=nullable,
        default=default,
        unique=bool(field.flag("unique")),
    )


# Field types that hold anything their family does: a change to one widens the column.
_WIDE_FIELDS = frozenset(
    {"TextField", "BigIntegerField", "BigAutoField", "PositiveBigIntegerField", "JSONField"}
)


# Keywords Django keeps in its model state and never writes to the database.
_STATE_ONLY = frozenset(
    {
        "choices",
        "help_text",
        "verbose_name",
        "validators",
        "blank",
        "editable",
        "related_name",
        "related_query_name",
        "limit_choices_to",
    }
)
_RELATIONS = frozenset({"ForeignKey", "OneToOneField"})


def _state_only(field: _Args) -> bool:
    """Whether an altered field most likely changed only what Django keeps in its state."""
    if field.has("db_default") or field.flag("unique") or field.flag("db_index"):
        return False
    if _STATE_ONLY & set(field.keywords):
        return True
    # A relation restated with only on_delete or related names: the column and its
    # constraint stay as they were (Django enforces on_delete in Python).
    return _field_type(field) in _RELATIONS and not field.has("db_constraint")


def _alter_field(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
    table, column = args.name(0, "model_name"), args.name(1, "name")
    field = _field(args, 2, constants)
    if field is None:
        return
    if field.has("db_column"):
        yield Step(s.RENAME_COLUMN, table, column=column, name=field.name(0, "db_column"))
        return
    if field.flag("null"):
        yield Step(s.DROP_NOT_NULL, table, column=column)
    elif _state_only(field):
        # choices, help text, verbose names and on_delete live in Django's model state only:
        # `sqlmigrate` prints no SQL for them. Read as the edit it nearly always is.
        return
    elif field.flag("db_index") or field.flag("unique") is False:
        # Read as what it most often is: an index added, or a unique rule dropped for one.
        yield Step(s.CREATE_INDEX, table, columns=(column,))
    elif _field_type(field) in _WIDE_FIELDS:
        yield Step(s.ALTER_TYPE, table, column=column, widening=True)
    else:
        # Django writes the whole new field, not what changed: the file cannot tell a new
        # NOT NULL or a narrower type from a changed help text (a field this file adds it can).
        default = field.has("db_default") and _source(field.keywords["db_default"]) != "None"
        yield Step(s.ALTER_FIELD, table, column=column, nullable=False, default=default)


def _unique_together(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
    table = args.name(0, "name")
    value = args.get(1, "unique_together")
    empty = (
        value is None
        or (isinstance(value, (ast.Set, ast.List, ast.Tuple)) and not value.elts)
        or _source(value) in ("set()", "None")
    )
    kind = s.DROP_CONSTRAINT if empty else s.ADD_CONSTRAINT
    yield Step(kind, table, constraint="unique")


def _add_constraint(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
    table = args.name(0, "model_name")
    node = args.get(1, "constraint")
    if not isinstance(node, ast.Call):
        return
    constraint = _Args(node, constants)
    kind = "unique" if "Unique" in _call_name(node)[1] else "check"
    if kind == "unique":
        columns = constraint.names(0, "fields")
    else:
        condition = constraint.keywords.get("condition") or constraint.keywords.get("check")
        columns = _lookup_fields(condition)
    yield Step(
        s.ADD_CONSTRAINT,
        table,
        name=constraint.name(0, "name") or None,
        constraint=kind,
        columns=columns,
    )


def _lookup_fields(node: ast.AST | None) -> tuple[str, ...]:
    """The fields a Q(...) condition looks at (`price__gt=0` and ("price__gt", 0) name price)."""
    fields: set[str] = set()
    for inner in ast.walk(node) if node is not None else ():
        if isinstance(inner, ast.keyword) and inner.arg and not inner.arg.startswith("_"):
            fields.add(inner.arg.split("__")[0].lower())
        elif isinstance(inner, ast.Tuple) and inner.elts:
            first = inner.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                fields.add(first.value.split("__")[0].lower())
        elif isinstance(inner, ast.Call) and _call_name(inner)[1] == "F" and inner.args:
            value = inner.args[0]
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                fields.add(value.value.split("__")[0].lower())
    return tuple(sorted(fields))


def _run_sql(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
    node = args.get(0, "sql")
    texts = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    for item in texts:
        if isinstance(item, ast.Tuple) and item.elts:  # (sql, params)
            item = item.elts[0]
        sql = _text(item, constants)
        if sql:
            yield from (replace(step, note="sql") for step in read_sql(sql))


def _separate(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
    node = args.keywords.get("database_operations")
    if isinstance(node, (ast.List, ast.Tuple)):
        yield from _django(node.elts, constants)


def _model_step(kind: str, keyword: str) -> _DjangoReader:
    def read(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
        if kind == s.RENAME_TABLE:
            yield Step(kind, args.name(0, "old_name"), name=args.name(1, "new_name"))
        else:
            yield Step(kind, args.name(0, keyword))

    return read


def _field_step(kind: str) -> _DjangoReader:
    def read(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
        table = args.name(0, "model_name")
        if kind == s.RENAME_COLUMN:
            yield Step(kind, table, column=args.name(1, "old_name"), name=args.name(2, "new_name"))
        elif kind in (s.CREATE_INDEX, s.DROP_INDEX):
            yield Step(kind, table)
        else:
            yield Step(kind, table, column=args.name(1, "name"))

    return read


def _nothing(args: _Args, constants: dict[str, str]) -> Iterator[Step]:
    return iter(())


_DJANGO: dict[str, _DjangoReader] = {
    "CreateModel": _model_step(s.CREATE_TABLE, "name"),
    "DeleteModel": _model_step(s.DROP_TABLE, "name"),
    "RenameModel": _model_step(s.RENAME_TABLE, "old_name"),
    "AlterModelTable": _model_step(s.RENAME_TABLE, "name"),
    "AddField": _add_field,
    "RemoveField": _field_step(s.DROP_COLUMN),
    "RenameField": _field_step(s.RENAME_COLUMN),
    "AlterField": _alter_field,
    "AlterUniqueTogether": _unique_together,
    "AlterIndexTogether": _field_step(s.CREATE_INDEX),
    "AddIndex": _field_step(s.CREATE_INDEX),
    "AddIndexConcurrently": _field_step(s.CREATE_INDEX),
    "RemoveIndex": _field_step(s.DROP_INDEX),
    "RemoveIndexConcurrently": _field_step(s.DROP_INDEX),
    "RenameIndex": lambda args, constants: iter(
        (Step(s.RENAME_INDEX, args.name(0, "model_name")),)
    ),
    "AddConstraint": _add_constraint,
    "AddConstraintNotValid": _add_constraint,
    "RemoveConstraint": lambda args, constants: iter(
        (Step(s.DROP_CONSTRAINT, args.name(0, "model_name"), name=args.name(1, "name")),)
    ),
    "ValidateConstraint": lambda args, constants: iter(
        (Step(s.VALIDATE_CONSTRAINT, args.name(0, "model_name")),)
    ),
    "AddDefaultValue": lambda args, constants: iter(
        (Step(s.SET_DEFAULT, args.name(0, "model_name"), column=args.name(1, "name")),)
    ),
    "RunSQL": _run_sql,
    "RunPython": lambda args, constants: iter((Step(s.DATA),)),
    "SeparateDatabaseAndState": _separate,
}


# --- fragments that do not parse ----------------------------------------------------------

_DEF_LINE = re.compile(r"\s{0,64}(?:async\s+)?def\s+(\w{1,64})")
_FRAGMENT_BUFFER = 200  # lines one statement may span before the fragment reader gives up on it


def _read_fragment(text: str) -> list[Step]:
    """Steps of an excerpt that does not parse as a whole (a diff's hunks, a re-typed
    extract): each statement parsed alone, as Alembic or Django reads it, skipping the body of
    a `downgrade()` (or a hunk whose header names it) until an `upgrade()` starts."""
    reader = _Alembic(ast.parse(""), {})
    found: list[Step] = []
    batches: dict[str, str] = {}
    buffer: list[str] = []
    rollback = False
    for line in text.splitlines():
        definition = _DEF_LINE.match(line) if not buffer else None
        if definition is not None:
            name = definition.group(1)
            rollback = name.startswith("downgrade") or (rollback and not name.startswith("upgrade"))
            batches = {}
            continue
        if rollback or not line.strip():
            continue
        buffer.append(line.strip())
        source = "\n".join(buffer)
        opens_block = source.endswith(":")
        try:
            tree = ast.parse(source + ("\n    pass" if opens_block else ""))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            if len(buffer) >= _FRAGMENT_BUFFER:
                buffer = []
            continue
        buffer = []
        for statement in tree.body:
            if isinstance(statement, (ast.With, ast.AsyncWith)):
                for item in statement.items:
                    table = reader._batch_table(item.context_expr)
                    if table is not None and isinstance(item.optional_vars, ast.Name):
                        batches[item.optional_vars.id] = table
                continue
            found.extend(_fragment_statement(reader, statement, batches))
    return found


def _fragment_statement(
    reader: _Alembic, statement: ast.stmt, batches: dict[str, str]
) -> Iterator[Step]:
    for node in _calls_in(statement):
        name = _call_name(node)[1]
        if name in _DJANGO_OPS:
            yield from _DJANGO[name](_Args(node, {}), {})
        else:
            yield from reader._call(node, batches=batches, depth=0)
