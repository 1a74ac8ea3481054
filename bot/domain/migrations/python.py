"""Schema operations in Python migrations: Alembic `op.*` calls and Django migration operations.

Call arguments are scanned within a fixed budget, so a hostile file stays linear to read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
    make_op,
)
from bot.domain.migrations.lines import split_top_level, string_literals
from bot.domain.migrations.sql import normalise_name, read_sql
from bot.domain.model import MigrationOp

_ALEMBIC_CALLS = (
    "create_table|add_column|create_index|drop_column|drop_table|alter_column|rename_table|"
    "drop_index|batch_alter_table"
)
_DJANGO_CALLS = (
    "CreateModel|AddField|AddIndex|RemoveField|RenameField|DeleteModel|RenameModel|RemoveIndex"
)
_PY_CALL = re.compile(
    rf"(?P<recv>\b\w{{1,64}}\s{{0,8}}\.\s{{0,8}})?"
    rf"\b(?P<name>{_ALEMBIC_CALLS}|{_DJANGO_CALLS}|RunSQL|execute)\s{{0,8}}\("
)
_KEYWORD_ARG = re.compile(r"\s*(\w{1,64})\s*=(?!=)")
_BATCH_ALIAS = re.compile(r"\s{0,8}as\s+(\w{1,64})")
_NULLABLE_FALSE = re.compile(r"\bnullable\s*=\s*False\b")
_SERVER_DEFAULT = re.compile(r"\bserver_default\s*=")
_DJANGO_NULL_TRUE = re.compile(r"\bnull\s*=\s*True\b")
_DJANGO_DEFAULT = re.compile(r"\b(?:db_)?default\s*=")
_CALL_LIMIT = 50_000
_BRACKET_OR_QUOTE = re.compile(r"[()\[\]{}'\"]")


class _Args:
    """Positional and keyword arguments of one call, as raw source text."""

    def __init__(self, text: str) -> None:
        self.positional: list[str] = []
        self.keyword: dict[str, str] = {}
        for part in split_top_level(text):
            keyword = _KEYWORD_ARG.match(part)
            if keyword:
                self.keyword[keyword.group(1)] = part[keyword.end() :]
            elif part.strip():
                self.positional.append(part)

    def raw(self, index: int, keyword: str = "") -> str:
        if keyword and keyword in self.keyword:
            return self.keyword[keyword]
        return self.positional[index] if index < len(self.positional) else ""

    def name(self, index: int, keyword: str = "") -> str:
        """The first string literal of an argument, normalised as a name."""
        found = string_literals(self.raw(index, keyword))
        return normalise_name(found[0] if found else "")


def _call_end(text: str, open_at: int, limit: int) -> int:
    """Index of the bracket closing the one at `open_at`, or where scanning stopped."""
    depth = 0
    index = open_at
    end = min(len(text), open_at + limit)
    while (found := _BRACKET_OR_QUOTE.search(text, index, end)) is not None:
        index = found.start()
        char = text[index]
        if char in "'\"":
            triple = text.startswith(char * 3, index)
            stop = text.find(char * 3 if triple else char, index + (3 if triple else 1), end)
            index = end if stop < 0 else stop + (3 if triple else 1)
            continue
        depth += 1 if char in "([{" else -1
        if depth == 0:
            return index
        index += 1
    return end


def read_python(text: str) -> list[MigrationOp]:
    """Schema operations of the Alembic and Django calls in Python source, in order."""
    ops: list[MigrationOp] = []
    batches: dict[str, str] = {}  # batch_alter_table alias -> table
    budget = 2 * len(text) + 100_000
    for call in _PY_CALL.finditer(text):
        close = _call_end(text, call.end() - 1, min(_CALL_LIMIT, budget))
        budget -= close - call.end() + 1
        if budget <= 0:
            break
        args = _Args(text[call.end() : close])
        receiver = re.sub(r"\s|\.", "", call.group("recv") or "")
        name = call.group("name")
        if name == "batch_alter_table":
            alias = _BATCH_ALIAS.match(text, close + 1)
            if alias:
                batches[alias.group(1)] = args.name(0, "table_name")
        elif name in ("execute", "RunSQL"):
            sql = args.raw(0, "sql") if name == "RunSQL" else text[call.end() : close]
            ops.extend(read_sql("\n".join(string_literals(sql))))
        elif name[0].isupper():
            ops.extend(_DJANGO[name](args))
        elif receiver == "op" or receiver in batches:
            ops.extend(
                _alembic(name, args, batch=batches.get(receiver) if receiver != "op" else None)
            )
    return ops


def _alembic(name: str, args: _Args, *, batch: str | None) -> list[MigrationOp]:
    """One Alembic op; inside a batch the table comes from the batch, not the arguments."""
    shift = 0 if batch is not None else 1
    table = batch if batch is not None else args.name(0, "table_name")
    column = args.name(shift, "column_name")
    if name == "create_table":
        return [make_op(CREATE_TABLE, args.name(0, "table_name"))]
    if name == "add_column":
        definition = args.raw(shift, "column")
        non_null = _NULLABLE_FALSE.search(definition) and not _SERVER_DEFAULT.search(definition)
        return [make_op(ADD_NON_NULL_COLUMN if non_null else ADD_COLUMN, table, column=column)]
    if name in ("create_index", "drop_index"):
        action = CREATE_INDEX if name == "create_index" else DROP_INDEX
        index_table = batch or args.name(1, "table_name")
        return [make_op(action, index_table)]
    if name == "alter_column":
        return _alter_column(args, table=table, column=column)
    simple = {"drop_column": DROP_COLUMN, "drop_table": DROP_TABLE, "rename_table": RENAME_TABLE}
    if name not in simple:
        return []
    return [make_op(simple[name], table, column=column if name == "drop_column" else None)]


def _alter_column(args: _Args, *, table: str, column: str) -> list[MigrationOp]:
    ops: list[MigrationOp] = []
    if "new_column_name" in args.keyword:
        ops.append(make_op(RENAME_COLUMN, table, column=column))
    if args.keyword.get("nullable", "").strip() == "False":
        ops.append(make_op(SET_NOT_NULL, table, column=column))
    return ops


def _django_add_field(args: _Args) -> list[MigrationOp]:
    field = args.raw(2, "field")
    preserve = args.keyword.get("preserve_default", "").strip() != "False"
    nullable = bool(_DJANGO_NULL_TRUE.search(field)) or "ManyToManyField" in field
    has_default = preserve and bool(_DJANGO_DEFAULT.search(field))
    action = ADD_COLUMN if nullable or has_default else ADD_NON_NULL_COLUMN
    return [make_op(action, args.name(0, "model_name"), column=args.name(1, "name"))]


def _django_field_op(action: str, column_keyword: str) -> Callable[[_Args], list[MigrationOp]]:
    return lambda a: [make_op(action, a.name(0, "model_name"), column=a.name(1, column_keyword))]


_DJANGO: dict[str, Callable[[_Args], list[MigrationOp]]] = {
    "CreateModel": lambda a: [make_op(CREATE_TABLE, a.name(0, "name"))],
    "DeleteModel": lambda a: [make_op(DROP_TABLE, a.name(0, "name"))],
    "RenameModel": lambda a: [make_op(RENAME_TABLE, a.name(0, "old_name"))],
    "AddField": _django_add_field,
    "RemoveField": _django_field_op(DROP_COLUMN, "name"),
    "RenameField": _django_field_op(RENAME_COLUMN, "old_name"),
    "AddIndex": lambda a: [make_op(CREATE_INDEX, a.name(0, "model_name"))],
    "RemoveIndex": lambda a: [make_op(DROP_INDEX, a.name(0, "model_name"))],
}
