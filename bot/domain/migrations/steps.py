"""What a migration does, step by step, as the readers of each framework report it.

A step is one schema statement in the order the migration runs it, with what the stage
judgement needs (nullability, a database default, uniqueness, a constraint's kind, whether a
type change widens). The readers (SQL, Alembic, Django, Rails) turn text into steps; the judge
(`bot.domain.migrations.judge`) turns a file's steps into its net effect on the code running.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tables and columns.
CREATE_TABLE = "create_table"
DROP_TABLE = "drop_table"
RENAME_TABLE = "rename_table"  # `name` is the new name
COPY_ROWS = "copy_rows"  # INSERT INTO table SELECT ... FROM name: a rebuild's copy
ADD_COLUMN = "add_column"
DROP_COLUMN = "drop_column"
RENAME_COLUMN = "rename_column"  # `name` is the new name
ALTER_TYPE = "alter_type"
SET_NOT_NULL = "set_not_null"
DROP_NOT_NULL = "drop_not_null"
SET_DEFAULT = "set_default"
DROP_DEFAULT = "drop_default"
# Constraints and indexes: `constraint` is unique, check, foreign, primary or exclude.
ADD_CONSTRAINT = "add_constraint"
DROP_CONSTRAINT = "drop_constraint"
VALIDATE_CONSTRAINT = "validate_constraint"
CREATE_INDEX = "create_index"
DROP_INDEX = "drop_index"
RENAME_INDEX = "rename_index"
# Types, enums, views, schemas and the rest.
CREATE_TYPE = "create_type"
DROP_TYPE = "drop_type"
ADD_ENUM_VALUE = "add_enum_value"
RENAME_ENUM_VALUE = "rename_enum_value"
DROP_ENUM_VALUE = "drop_enum_value"
CREATE_VIEW = "create_view"
DROP_VIEW = "drop_view"
RENAME_VIEW = "rename_view"
DROP_SCHEMA = "drop_schema"
RENAME_SCHEMA = "rename_schema"
DROP_DATABASE = "drop_database"
DETACH_PARTITION = "detach_partition"
ALTER_DOMAIN = "alter_domain"  # a constraint added to a domain every column of it must meet
ALTER_FIELD = "alter_field"  # a Django AlterField whose old definition the file does not hold
CREATE_OTHER = "create_other"  # a sequence, function, extension, trigger: nothing running breaks
DATA = "data"  # rows read or written, no schema change

CONSTRAINT_KINDS = ("unique", "check", "foreign", "primary", "exclude")


@dataclass(frozen=True, slots=True)
class Step:
    """One schema statement of a migration, in the order it runs."""

    kind: str
    table: str = ""
    column: str | None = None
    name: str | None = None  # a rename's new name; a constraint's, index's or type's name
    nullable: bool = True  # ADD_COLUMN (and the columns of CREATE_TABLE)
    default: bool = False  # ADD_COLUMN: a database default, generated value or identity
    unique: bool = False  # CREATE_INDEX, or a column added UNIQUE
    constraint: str | None = None  # ADD_/DROP_CONSTRAINT kind (None on a drop when unknown)
    columns: tuple[str, ...] = ()  # a constraint's or index's columns; CREATE_TABLE's columns
    required: tuple[str, ...] = ()  # CREATE_TABLE: columns NOT NULL without a default
    widening: bool | None = None  # ALTER_TYPE: a widening (True), anything else (False)
    values: tuple[str, ...] = ()  # a CHECK's `IN (...)` values, when it reads as a list
    note: str = ""  # what people are told the step does, when the kind alone says too little


# Types a column can change to without losing what the running code writes or reads: text
# holds any string, bigint any integer, an unbounded numeric any number.
_WIDE_TYPES = re.compile(
    r"\s*(?:text|citext|bigint|int8|bigserial|serial8|numeric|decimal|double precision|"
    r"float8|character varying|varchar|nvarchar\(max\)|varchar\(max\)|longtext|mediumtext|"
    r"mediumblob|longblob|bytea|"
    r"string|sa\.text|sa\.unicodetext|text\(\)|sa\.biginteger)\s*(?:\(\s*\)\s*)?\Z",
    re.I,
)
_LENGTH = re.compile(
    r"\(\s*(?:length\s*=\s*|precision\s*=\s*)?(\d{1,9})\s*(?:,\s*(?:scale\s*=\s*)?(\d{1,9})\s*)?\)"
)


def widens(new_type: str, old_type: str | None = None) -> bool:
    """Whether changing a column to `new_type` (from `old_type`, when known) keeps every value.

    Known old type: a longer varchar or more numeric precision widens, as do integer to bigint
    and any string type to text. Unknown old type: only types that hold anything of their
    family (text, bigint, an unbounded varchar or numeric) count as widening.
    """
    new = " ".join(new_type.lower().split())
    if old_type is not None:
        old = " ".join(old_type.lower().split())
        return _widens_from(old, new)
    return bool(_WIDE_TYPES.match(new))


def _widens_from(old: str, new: str) -> bool:
    old_base, new_base = _base(old), _base(new)
    if new_base in ("text", "citext", "longtext") and old_base in _STRINGS:
        return True
    if old_base in ("integer", "int", "int4", "smallint", "int2", "serial") and new_base in (
        "bigint",
        "int8",
        "biginteger",
        "bigserial",
    ):
        return True
    if old_base == new_base or {old_base, new_base} <= _STRINGS:
        old_size, new_size = _LENGTH.search(old), _LENGTH.search(new)
        if new_size is None:
            return old_base == new_base or new_base in _STRINGS
        if old_size is None:
            return False
        return all(
            int(n or 0) >= int(o or 0)
            for o, n in zip(old_size.groups(), new_size.groups(), strict=True)
        )
    return False


_STRINGS = frozenset(
    {"varchar", "character varying", "string", "char", "character", "nvarchar", "text"}
)


def _base(type_text: str) -> str:
    text = type_text.removeprefix("sa.").removeprefix("sqlalchemy.").strip(": ")
    text = re.sub(r"\(.*", "", text).strip()
    aliases = {"biginteger": "bigint", "integer": "integer", "unicodetext": "text"}
    return aliases.get(text, text)
