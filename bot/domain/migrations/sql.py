"""Schema operations in SQL text: CREATE, ALTER, DROP and RENAME statements, comments ignored."""

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
from bot.domain.migrations.lines import split_top_level, strip_block_comments, strip_comment
from bot.domain.model import MigrationOp

_IDENT = r'(?:"[^"\n]{1,128}"|`[^`\n]{1,128}`|\[[^\]\n]{1,128}\]|[\w$]{1,128})'
_QUAL = rf"{_IDENT}(?:\s{{0,8}}\.\s{{0,8}}{_IDENT}){{0,2}}"
_IDENT_TOKEN = re.compile(_IDENT)
_STATEMENT_START = re.compile(r"\b(?:create|alter|drop|rename)\b", re.I)
_SQL_FLAGS = re.I | re.S


def _sql(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("QUAL", _QUAL).replace("IDENT", _IDENT), _SQL_FLAGS)


_CREATE_TABLE = _sql(
    r"create\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?(?P<temp>temp(?:orary)?\s+)?"
    r"(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?(?P<table>QUAL)"
)
_CREATE_INDEX = _sql(
    r"create\s+(?:unique\s+)?(?:(?:non)?clustered\s+)?index\s+(?:concurrently\s+)?"
    r"(?:if\s+not\s+exists\s+)?(?:QUAL\s+)?on\s+(?:only\s+)?(?P<table>QUAL)"
)
_DROP_TABLE = _sql(r"drop\s+table\s+(?:if\s+exists\s+)?(?P<tables>QUAL(?:\s*,\s*QUAL){0,50})")
_DROP_INDEX = _sql(
    r"drop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?QUAL(?:\s+on\s+(?P<table>QUAL))?"
)
_RENAME_TABLE_STMT = _sql(r"rename\s+table\s+(?P<table>QUAL)\s+to\s")
_ALTER_TABLE = _sql(
    r"alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(?P<table>QUAL)(?P<body>\s.*)?\Z"
)
_ADD_CLAUSE = _sql(r"add\s+(?P<kw>column\s+)?(?:if\s+not\s+exists\s+)?(?P<col>IDENT)(?P<rest>.*)")
_DROP_CLAUSE = _sql(r"drop\s+(?P<kw>column\s+)?(?:if\s+exists\s+)?(?P<col>IDENT)")
_RENAME_TO_CLAUSE = _sql(r"rename\s+(?:to|as)\s+QUAL")
_RENAME_CLAUSE = _sql(r"rename\s+(?P<kw>column\s+)?(?P<col>IDENT)\s+to\s+IDENT")
_CHANGE_CLAUSE = _sql(r"change\s+(?:column\s+)?(?P<col>IDENT)\s+(?P<new>IDENT)")
_SET_NOT_NULL_CLAUSE = _sql(r"alter\s+(?:column\s+)?(?P<col>IDENT)\s+set\s+not\s+null")
_NOT_NULL = re.compile(r"\bnot\s+null\b", re.I)
_HAS_DEFAULT = re.compile(r"\b(?:default|generated|identity|auto_increment)\b", re.I)
_INDEX_WORDS = frozenset({"index", "key", "unique", "fulltext", "spatial"})
_NOT_COLUMN_WORDS = frozenset({"constraint", "primary", "foreign", "check", "partition"})
_NOT_COLUMN_WORDS |= _INDEX_WORDS | {"default", "exclude", "period", "system"}


def normalise_name(raw: str) -> str:
    """The last part of a possibly qualified, possibly quoted name, lower-cased."""
    tokens = _IDENT_TOKEN.findall(raw)
    return tokens[-1].strip('"`[]').strip().lower() if tokens else ""


def read_sql(text: str) -> list[MigrationOp]:
    """Schema operations in SQL text: statements split on `;`, comments ignored."""
    lines = (strip_comment(line, markers=("--", "#"), quotes="'") for line in text.splitlines())
    ops: list[MigrationOp] = []
    for chunk in strip_block_comments("\n".join(lines)).split(";"):
        position = 0
        while (start := _STATEMENT_START.search(chunk, position)) is not None:
            read, end = _read_statement(chunk, start.start())
            ops.extend(read)
            position = end if end > start.start() else start.end()
    return ops


def _read_statement(chunk: str, at: int) -> tuple[list[MigrationOp], int]:
    """Ops of the statement starting at `at`, and where reading may continue."""
    if match := _ALTER_TABLE.match(chunk, at):
        table = normalise_name(match.group("table"))
        return _alter_clauses(table, match.group("body") or ""), len(chunk)
    if match := _CREATE_TABLE.match(chunk, at):
        temporary = match.group("temp") is not None
        created = make_op(CREATE_TABLE, normalise_name(match.group("table")))
        return ([] if temporary else [created]), match.end()
    if match := _CREATE_INDEX.match(chunk, at):
        return [make_op(CREATE_INDEX, normalise_name(match.group("table")))], match.end()
    if match := _DROP_TABLE.match(chunk, at):
        tables = split_top_level(match.group("tables"))
        return [make_op(DROP_TABLE, normalise_name(table)) for table in tables], match.end()
    if match := _DROP_INDEX.match(chunk, at):
        return [make_op(DROP_INDEX, normalise_name(match.group("table") or ""))], match.end()
    if match := _RENAME_TABLE_STMT.match(chunk, at):
        return [make_op(RENAME_TABLE, normalise_name(match.group("table")))], match.end()
    return [], at


def _alter_clauses(table: str, body: str) -> list[MigrationOp]:
    ops: list[MigrationOp] = []
    for clause in split_top_level(body):
        op = _alter_clause(table, clause.strip())
        if op is not None:
            ops.append(op)
    return ops


def _alter_clause(table: str, clause: str) -> MigrationOp | None:
    if match := _ADD_CLAUSE.match(clause):
        word = normalise_name(match.group("col"))
        if not match.group("kw") and word in _NOT_COLUMN_WORDS:
            return make_op(CREATE_INDEX, table) if word in _INDEX_WORDS else None
        rest = match.group("rest")
        non_null = _NOT_NULL.search(rest) is not None and _HAS_DEFAULT.search(rest) is None
        return make_op(ADD_NON_NULL_COLUMN if non_null else ADD_COLUMN, table, column=word)
    if match := _DROP_CLAUSE.match(clause):
        word = normalise_name(match.group("col"))
        if not match.group("kw") and word in _NOT_COLUMN_WORDS:
            return make_op(DROP_INDEX, table) if word in _INDEX_WORDS else None
        return make_op(DROP_COLUMN, table, column=word)
    if _RENAME_TO_CLAUSE.match(clause):
        return make_op(RENAME_TABLE, table)
    if match := _RENAME_CLAUSE.match(clause):
        word = normalise_name(match.group("col"))
        renames_other = not match.group("kw") and word in _NOT_COLUMN_WORDS
        return None if renames_other else make_op(RENAME_COLUMN, table, column=word)
    if match := _CHANGE_CLAUSE.match(clause):
        old, new = normalise_name(match.group("col")), normalise_name(match.group("new"))
        return make_op(RENAME_COLUMN, table, column=old) if old != new else None
    if match := _SET_NOT_NULL_CLAUSE.match(clause):
        return make_op(SET_NOT_NULL, table, column=normalise_name(match.group("col")))
    return None
