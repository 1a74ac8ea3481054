"""Schema operations in Rails migrations: ActiveRecord schema calls and `execute` SQL."""

from __future__ import annotations

import re

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

_RB_CALL = re.compile(
    r"\s{0,64}(?P<name>create_table|add_column|add_reference|add_belongs_to|add_index|"
    r"remove_columns?|remove_reference|remove_belongs_to|rename_column|drop_table|"
    r"rename_table|remove_index|change_column_null|execute)\b\s{0,8}\(?(?P<args>.*)"
)
_RB_NAME = re.compile(r"\s*(?::(\w{1,128})|\"([^\"\n]{0,128})\"|'([^'\n]{0,128})')\s*\Z")
# The lookbehinds start a match only at the beginning of a run of spaces, keeping it linear.
_RB_BLOCK_OPENER = re.compile(
    r"(?<!\s)\s+do(?:\s*\|[^|\n]{0,128}\|)?\s*\Z|(?<!\s)\s*\{\s*\|[^|\n]{0,128}\|.*\Z"
)
_RB_HEREDOC = re.compile(r"<<[~-]?['\"]?(\w{1,32})")
_RB_NULL_FALSE = re.compile(r"\bnull:\s*false\b")
_RB_DEFAULT = re.compile(r"\bdefault:")
_RB_SIMPLE = {
    "create_table": (CREATE_TABLE, False),
    "add_index": (CREATE_INDEX, False),
    "remove_column": (DROP_COLUMN, True),
    "rename_column": (RENAME_COLUMN, True),
    "drop_table": (DROP_TABLE, False),
    "rename_table": (RENAME_TABLE, False),
    "remove_index": (DROP_INDEX, False),
}


def _rb_names(args: str) -> list[str]:
    """The leading symbol or string arguments of a Rails call, normalised."""
    names: list[str] = []
    cleaned = _RB_BLOCK_OPENER.sub("", args.rstrip()).rstrip().rstrip(")")
    for part in split_top_level(cleaned):
        match = _RB_NAME.match(part)
        if match is None:
            break
        names.append(normalise_name("".join(match.groups(""))))
    return names


def read_ruby(lines: list[str]) -> list[MigrationOp]:
    """Schema operations of the Rails calls in the lines, heredoc SQL of `execute` included."""
    ops: list[MigrationOp] = []
    heredoc: tuple[str, list[str]] | None = None
    for line in lines:
        if heredoc is not None:
            if line.strip() == heredoc[0]:
                ops.extend(read_sql("\n".join(heredoc[1])))
                heredoc = None
            else:
                heredoc[1].append(line)
            continue
        call = _RB_CALL.match(line)
        if call is None:
            continue
        if call.group("name") == "execute":
            opener = _RB_HEREDOC.search(call.group("args"))
            heredoc = (opener.group(1), []) if opener else None
            ops.extend(read_sql("\n".join(string_literals(call.group("args")))))
            continue
        ops.extend(_rails(call.group("name"), call.group("args")))
    return ops


def _rails(name: str, args: str) -> list[MigrationOp]:
    names = _rb_names(args)
    if not names:
        return []
    table, columns = names[0], names[1:]
    if name in _RB_SIMPLE:
        action, has_column = _RB_SIMPLE[name]
        return [make_op(action, table, column=columns[0] if has_column and columns else None)]
    if name == "remove_columns":
        return [make_op(DROP_COLUMN, table, column=column) for column in columns]
    if not columns:
        return []
    is_reference = "reference" in name or "belongs_to" in name
    column = f"{columns[0]}_id" if is_reference else columns[0]
    if name.startswith("remove_"):
        return [make_op(DROP_COLUMN, table, column=column)]
    if name == "change_column_null":
        if re.search(r",\s*false\b", args) is None:
            return []
        return [make_op(SET_NOT_NULL, table, column=column)]
    non_null = _RB_NULL_FALSE.search(args) and not _RB_DEFAULT.search(args)
    return [make_op(ADD_NON_NULL_COLUMN if non_null else ADD_COLUMN, table, column=column)]
