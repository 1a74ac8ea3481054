"""Steps of Rails migrations: ActiveRecord calls, the common helpers, and the SQL they execute.

Ruby is read line by line (a call continued over several lines is joined first), tracking its
blocks: `def down`, `dir.down { ... }` and `down do ... end` are rollback code and never read;
`def up`, `def change`, `reversible` and `dir.up`, `safety_assured { ... }`, `change_table`
and `create_table` blocks, and helper methods (wherever they are defined) are forward code; a
`revert do ... end` block runs its calls backwards. Heredoc SQL (`execute <<~SQL`) is read as
SQL. Comments never count. Linear in the file: each line is looked at a fixed number of times.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.domain.migrations import steps as s
from bot.domain.migrations.lines import split_top_level, strip_comment
from bot.domain.migrations.sql import normalise_name, read_sql
from bot.domain.migrations.steps import Step, widens

_CALL = re.compile(
    r"\s*(?:(?P<recv>[\w:]{1,96})\s*\.\s*)?(?P<name>[a-z_]\w{0,64}[!?]?)(?![\w:])(?P<rest>.*)"
)
# A call taking a block written on the same line: `revert { add_reference :users, :country }`.
_INLINE_BLOCK = re.compile(
    r"\s*(?:\w{1,64}\s*\.\s*)?(?P<name>revert|safety_assured|up|down|with_lock_retries|"
    r"disable_statement_timeout|transaction)\s*(?:\{\s*(?:\|[^|]*\|)?(?P<brace>.*)\}|"
    r"do\s*(?:\|[^|]*\|)?(?P<do>.*)\bend)\s*\Z"
)
_DEF = re.compile(r"\s*def\s+(?:self\.)?(?P<name>\w{1,64}[!?]?)")
_BLOCK_OPEN = re.compile(r"(?:\bdo\s*(?:\|[^|\n]{0,128}\|)?|\{\s*(?:\|[^|\n]{0,128}\|)?)\s*\Z")
_BLOCK_PARAM = re.compile(r"\|\s*(\w{1,64})")
_KEYWORD_OPEN = re.compile(r"\s*(?:class|module|if|unless|while|until|case|begin|for)\b")
_MODIFIER = re.compile(r"\S\s+(?:if|unless|while|until)\b")
_END = re.compile(r"\s*(?:end\b|\})")
_ONE_LINE_BLOCK = re.compile(r"\{[^{}]*\}\s*\Z|\bdo\b.*\bend\s*\Z")
_HEREDOC = re.compile(r"<<[~-]?(['\"]?)(\w{1,32})\1")
_SYMBOL_OR_STRING = re.compile(r"\s*(?::(\w{1,128})|\"([^\"\n]{0,256})\"|'([^'\n]{0,256})')\s*\Z")
_WORD_ARRAY = re.compile(r"\s*%[iIwW][\[({](?P<words>[^\])}]{0,2000})[\])}]\s*\Z")
_KEYWORD = re.compile(r"\s*(?::(\w{1,64})\s*=>|(\w{1,64}):(?!:))\s*(.*)", re.S)


@dataclass
class _Block:
    kind: str  # rollback, revert, table (its receiver), other
    receiver: str = ""
    table: str = ""


@dataclass
class _Reader:
    steps: list[Step] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    # What rollback code changes a column back to: the column's type before this migration.
    old_types: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def rolling_back(self) -> bool:
        return any(b.kind == "rollback" for b in self.blocks)

    @property
    def reverting(self) -> bool:
        return sum(b.kind == "revert" for b in self.blocks) % 2 == 1

    def table_of(self, receiver: str) -> str | None:
        return next(
            (
                b.table
                for b in reversed(self.blocks)
                if b.kind == "table" and b.receiver == receiver
            ),
            None,
        )


def read_ruby(lines: list[str]) -> list[Step]:
    """The steps of the Rails migration in `lines` (its added lines, rollback code included:
    this reader skips it), in order."""
    reader = _Reader()
    for line, heredoc in _logical_lines(lines):
        _read_line(reader, line, heredoc)
    return [_compared(step, reader.old_types) for step in reader.steps]


def _compared(step: Step, old_types: dict[tuple[str, str], str]) -> Step:
    """A type change judged against the type the file's rollback code restores, if it does."""
    old = old_types.get((step.table, step.column or ""))
    if step.kind != s.ALTER_TYPE or old is None or not step.note:
        return step
    return Step(s.ALTER_TYPE, step.table, column=step.column, widening=widens(step.note, old))


def _logical_lines(lines: list[str]) -> Iterator[tuple[str, str]]:
    """Lines with comments stripped, continuations joined, and the heredoc each one opens."""
    index = 0
    pending = ""
    while index < len(lines):
        line = strip_comment(lines[index], markers=("#",), quotes="'\"")
        index += 1
        heredoc = ""
        opener = _HEREDOC.search(line)
        if opener is not None:
            body: list[str] = []
            while index < len(lines) and lines[index].strip() != opener.group(2):
                body.append(lines[index])
                index += 1
            index += 1
            heredoc = "\n".join(body)
        joined = f"{pending} {line.strip()}" if pending else line
        if _continues(joined) and not heredoc and index < len(lines):
            pending = joined
            continue
        pending = ""
        yield joined, heredoc


def _continues(line: str) -> bool:
    stripped = line.rstrip()
    if stripped.endswith((",", "(", "[", "\\", "=", "&&", "||")):
        return True
    return stripped.count("(") > stripped.count(")") or stripped.count("[") > stripped.count("]")


def _read_line(reader: _Reader, line: str, heredoc: str) -> None:
    if not line.strip():
        return
    inline = _INLINE_BLOCK.match(line)
    if inline is not None:
        name = inline.group("name")
        kind = {"revert": "revert", "down": "rollback"}.get(name, "other")
        reader.blocks.append(_Block(kind))
        _read_line(reader, inline.group("brace") or inline.group("do") or "", heredoc)
        reader.blocks.pop()
        return
    if _END.match(line) and reader.blocks and not _BLOCK_OPEN.search(line):
        reader.blocks.pop()
        return
    definition = _DEF.match(line)
    if definition is not None:
        name = definition.group("name")
        reader.blocks.append(_Block("rollback" if name == "down" else "other"))
        if line.rstrip().endswith("end"):  # def x; ...; end on one line
            reader.blocks.pop()
        return
    opens = _BLOCK_OPEN.search(line) is not None and not _ONE_LINE_BLOCK.search(line.strip())
    block = _block_for(reader, line) if opens else None
    if block is not None and block.kind == "rollback":
        reader.blocks.append(block)
        return
    if not reader.rolling_back:
        _call_steps(reader, line, heredoc)
    else:
        _remember_old_type(reader, line)
    if opens:
        reader.blocks.append(block or _Block("other"))
    elif (
        _KEYWORD_OPEN.match(line)
        and not _MODIFIER.search(line)
        and not line.rstrip().endswith("end")
    ):
        reader.blocks.append(_Block("other"))


def _block_for(reader: _Reader, line: str) -> _Block:
    """What a block opened on this line is: rollback code, a `revert`, a table's block."""
    stripped = line.strip()
    if re.match(r"(?:\w{1,64}\s*\.\s*)?down\b", stripped):
        return _Block("rollback")
    if stripped.startswith("revert"):
        return _Block("revert")
    call = _CALL.match(line)
    param = _BLOCK_PARAM.search(line)
    if call is not None and call.group("name") in ("create_table", "change_table") and param:
        names = _positional(_arguments(call.group("rest")))
        return _Block("table", receiver=param.group(1), table=names[0] if names else "")
    return _Block("other")


# --- calls ----------------------------------------------------------------------------------


@dataclass
class _Args:
    positional: list[str]
    keywords: dict[str, str]

    def name(self, index: int) -> str:
        return self.positional[index] if index < len(self.positional) else ""

    def flag(self, key: str) -> str:
        return self.keywords.get(key, "").strip()


def _arguments(rest: str) -> _Args:
    text = rest.strip()
    text = re.sub(r"\s*(?:do(?:\s*\|[^|]*\|)?|\{\s*(?:\|[^|]*\|)?)\s*\Z", "", text)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    positional: list[str] = []
    keywords: dict[str, str] = {}
    for part in split_top_level(text):
        keyword = _KEYWORD.match(part)
        if keyword is not None:
            keywords[(keyword.group(1) or keyword.group(2)).lower()] = keyword.group(3)
            continue
        positional.extend(_names(part))
    return _Args(positional, keywords)


def _names(part: str) -> list[str]:
    """A symbol, string or array of them, normalised; anything else stands as itself."""
    single = _SYMBOL_OR_STRING.match(part)
    if single is not None:
        return [normalise_name("".join(single.groups("")))]
    words = _WORD_ARRAY.match(part)
    if words is not None:
        return [normalise_name(w) for w in words.group("words").split()]
    stripped = part.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        return [n for item in split_top_level(stripped[1:-1]) for n in _names(item)]
    return [stripped.lower()] if stripped else []


def _positional(args: _Args) -> list[str]:
    return args.positional


def _remember_old_type(reader: _Reader, line: str) -> None:
    """`change_column` in rollback code states the type the column had before."""
    call = _CALL.match(line)
    if call is not None and call.group("name") == "change_column":
        args = _arguments(call.group("rest"))
        reader.old_types[(args.name(0), args.name(1))] = _type_text(args)


def _type_text(args: _Args) -> str:
    """`string(64)`, `decimal(11,5)`: a Rails column type with its size, comparable."""
    type_name = args.name(2)
    size = args.flag("limit") or args.flag("precision")
    scale = args.flag("scale")
    if not size:
        return type_name
    return f"{type_name}({size}{',' + scale if scale else ''})"


def _call_steps(reader: _Reader, line: str, heredoc: str) -> None:
    call = _CALL.match(line)
    if call is None:
        return
    receiver, name, rest = call.group("recv") or "", call.group("name"), call.group("rest")
    table = reader.table_of(receiver) if receiver else None
    if name in ("execute", "exec_query", "safety_assured") or heredoc:
        sql = heredoc or " ".join(_strings(rest))
        if sql and name != "safety_assured":
            _add(reader, read_sql(sql))
        if name == "safety_assured" and "{" in rest:
            inner = rest[rest.find("{") + 1 : rest.rfind("}")] if "}" in rest else ""
            if inner.strip():
                _read_line(reader, inner, "")
        return
    if table is not None:
        _add(reader, _TABLE_CALLS.get(name, _none)(table, _arguments(rest)))
        return
    if receiver in ("dir", "direction") and name == "up" and "{" in rest:
        inner = rest[rest.find("{") + 1 : rest.rfind("}")]
        _read_line(reader, inner, "")
        return
    if receiver in (
        "",
        "Migration::ColumnDropper",
        "Migration::TableDropper",
        "ColumnDropper",
        "TableDropper",
    ) or name.startswith(
        ("add_", "remove_", "rename_", "drop_", "create_", "change_", "validate_")
    ):
        reader_for = _CALLS.get(name)
        if reader_for is not None:
            _add(reader, reader_for(_arguments(rest), rest))


def _add(reader: _Reader, steps: list[Step]) -> None:
    if reader.reverting:
        steps = [_reverted(step) for step in steps]
    reader.steps.extend(steps)


_REVERSED = {
    s.ADD_COLUMN: s.DROP_COLUMN,
    s.DROP_COLUMN: s.ADD_COLUMN,
    s.CREATE_TABLE: s.DROP_TABLE,
    s.DROP_TABLE: s.CREATE_TABLE,
    s.CREATE_INDEX: s.DROP_INDEX,
    s.DROP_INDEX: s.CREATE_INDEX,
    s.ADD_CONSTRAINT: s.DROP_CONSTRAINT,
    s.DROP_CONSTRAINT: s.ADD_CONSTRAINT,
}


def _reverted(step: Step) -> Step:
    """A step inside `revert do ... end`: it runs backwards."""
    kind = _REVERSED.get(step.kind)
    if kind is None:
        return step
    return Step(
        kind, step.table, column=step.column, constraint=step.constraint, columns=step.columns
    )


def _strings(rest: str) -> list[str]:
    return [
        "".join(m) for m in re.findall(r"\"((?:[^\"\\]|\\.){0,20000})\"|'([^']{0,20000})'", rest)
    ]


def _none(*_: object) -> list[Step]:
    return []


def _required(args: _Args) -> tuple[bool, bool]:
    """(nullable, has a database default) of a column's options."""
    nullable = args.flag("null") != "false" and args.flag("primary_key") != "true"
    default = "default" in args.keywords and args.flag("default") not in ("nil",)
    return nullable, default


def _add_column(args: _Args, rest: str) -> list[Step]:
    nullable, default = _required(args)
    return [
        Step(
            s.ADD_COLUMN,
            args.name(0),
            column=args.name(1),
            nullable=nullable,
            default=default or args.name(2) in ("primary_key", "bigserial", "serial"),
        )
    ]


def _add_reference(args: _Args, rest: str) -> list[Step]:
    nullable, default = _required(args)
    table, ref = args.name(0), args.name(1)
    steps = [Step(s.ADD_COLUMN, table, column=f"{ref}_id", nullable=nullable, default=default)]
    if args.flag("polymorphic") == "true":
        steps.append(Step(s.ADD_COLUMN, table, column=f"{ref}_type", nullable=nullable))
    return steps


def _remove_reference(args: _Args, rest: str) -> list[Step]:
    table, ref = args.name(0), args.name(1)
    steps = [Step(s.DROP_COLUMN, table, column=f"{ref}_id")]
    if args.flag("polymorphic") == "true":
        steps.append(Step(s.DROP_COLUMN, table, column=f"{ref}_type"))
    return steps


def _remove_columns(args: _Args, rest: str) -> list[Step]:
    return [Step(s.DROP_COLUMN, args.name(0), column=c) for c in args.positional[1:]]


def _remove_column(args: _Args, rest: str) -> list[Step]:
    return [Step(s.DROP_COLUMN, args.name(0), column=args.name(1))]


def _change_column(args: _Args, rest: str) -> list[Step]:
    table, column = args.name(0), args.name(1)
    new_type = args.name(2)
    steps = [
        Step(
            s.ALTER_TYPE,
            table,
            column=column,
            widening=_rails_widens(new_type, args),
            note=_type_text(args),
        )
    ]
    if args.flag("null") == "false":
        steps.append(Step(s.SET_NOT_NULL, table, column=column))
    return steps


def _rails_widens(new_type: str, args: _Args) -> bool:
    if "limit" in args.keywords or "precision" in args.keywords:
        return False  # a size the file does not compare with the old one
    return widens(new_type)


def _change_column_null(args: _Args, rest: str) -> list[Step]:
    value = args.positional[2] if len(args.positional) > 2 else ""
    kind = s.SET_NOT_NULL if value == "false" else s.DROP_NOT_NULL
    return [Step(kind, args.name(0), column=args.name(1))]


def _change_column_default(args: _Args, rest: str) -> list[Step]:
    to = args.flag("to") if "to" in args.keywords else (args.positional[2:] or [""])[0]
    kind = s.DROP_DEFAULT if to == "nil" else s.SET_DEFAULT
    return [Step(kind, args.name(0), column=args.name(1))]


def _timestamps(add: bool) -> Callable[[_Args, str], list[Step]]:
    def read(args: _Args, rest: str) -> list[Step]:
        table = args.name(0)
        if not add:
            return [Step(s.DROP_COLUMN, table, column=c) for c in ("created_at", "updated_at")]
        nullable, default = _required(args)
        nullable = nullable and "null" in args.keywords  # Rails makes them NOT NULL by default
        return [
            Step(s.ADD_COLUMN, table, column=c, nullable=nullable, default=default)
            for c in ("created_at", "updated_at")
        ]

    return read


def _index(args: _Args, rest: str) -> list[Step]:
    columns = tuple(args.positional[1:])
    unique = args.flag("unique") == "true"
    return [Step(s.CREATE_INDEX, args.name(0), unique=unique, columns=columns)]


def _constraint(kind: str) -> Callable[[_Args, str], list[Step]]:
    def read(args: _Args, rest: str) -> list[Step]:
        table = args.name(0)
        if kind == "foreign":
            column = args.keywords.get("column", "")
            columns = tuple(_names(column)) if column else (_singular(args.name(1)) + "_id",)
            return [Step(s.ADD_CONSTRAINT, table, constraint=kind, columns=columns)]
        if kind == "unique" and "using_index" in args.keywords:
            return [Step(s.VALIDATE_CONSTRAINT, table)]
        if kind == "check":
            expression = args.name(1)
            words = {w.lower() for w in re.findall(r"[A-Za-z_]\w{0,63}", expression)}
            words -= {"and", "or", "not", "null", "is", "in", "true", "false"}
            columns = tuple(words) if len(words) == 1 else ()
            return [
                Step(
                    s.ADD_CONSTRAINT,
                    table,
                    name=args.flag("name") or None,
                    constraint=kind,
                    columns=columns,
                )
            ]
        return [Step(s.ADD_CONSTRAINT, table, constraint=kind, columns=tuple(args.positional[1:]))]

    return read


def _singular(table: str) -> str:
    """Rails' default foreign key column stem: `authors` -> `author`, `categories` -> `category`."""
    if table.endswith("ies"):
        return table[:-3] + "y"
    return table[:-1] if table.endswith("s") and not table.endswith("ss") else table


def _step(
    kind: str, *, column: bool = False, renamed: bool = False
) -> Callable[[_Args, str], list[Step]]:
    def read(args: _Args, rest: str) -> list[Step]:
        if renamed and column:
            return [Step(kind, args.name(0), column=args.name(1), name=args.name(2))]
        if renamed:
            return [Step(kind, args.name(0), name=args.name(1))]
        if column:
            return [Step(kind, args.name(0), column=args.name(1))]
        return [Step(kind, args.name(0))]

    return read


def _create_table(args: _Args, rest: str) -> list[Step]:
    table = args.name(0)
    steps = []
    if args.flag("force") not in ("", "false"):
        steps.append(Step(s.DROP_TABLE, table))  # force: drops the table that is there
    steps.append(Step(s.CREATE_TABLE, table))
    return steps


def _column_dropper(args: _Args, rest: str) -> list[Step]:
    """Discourse's ColumnDropper.execute_drop(:table, %i[columns]) (and TableDropper's)."""
    return [Step(s.DROP_COLUMN, args.name(0), column=c) for c in args.positional[1:]]


def _rename_column_concurrently(args: _Args, rest: str) -> list[Step]:
    """GitLab's helper: a new column kept in sync with the old one; the old one stays."""
    return [Step(s.ADD_COLUMN, args.name(0), column=args.name(2))]


def _cleanup_rename(args: _Args, rest: str) -> list[Step]:
    return [Step(s.DROP_COLUMN, args.name(0), column=args.name(1))]


_CALLS: dict[str, Callable[[_Args, str], list[Step]]] = {
    "create_table": _create_table,
    "create_join_table": _step(s.CREATE_TABLE),
    "drop_table": _step(s.DROP_TABLE),
    "drop_join_table": _step(s.DROP_TABLE),
    "rename_table": _step(s.RENAME_TABLE, renamed=True),
    "add_column": _add_column,
    "add_column_with_default": lambda args, rest: [
        Step(s.ADD_COLUMN, args.name(0), column=args.name(1), default=True)
    ],
    "add_reference": _add_reference,
    "add_belongs_to": _add_reference,
    "remove_column": _remove_column,
    "remove_columns": _remove_columns,
    "remove_reference": _remove_reference,
    "remove_belongs_to": _remove_reference,
    "rename_column": _step(s.RENAME_COLUMN, column=True, renamed=True),
    "change_column": _change_column,
    "change_column_null": _change_column_null,
    "change_column_default": _change_column_default,
    "add_timestamps": _timestamps(add=True),
    "remove_timestamps": _timestamps(add=False),
    "add_index": _index,
    "add_concurrent_index": _index,
    "remove_index": _step(s.DROP_INDEX),
    "remove_concurrent_index": _step(s.DROP_INDEX),
    "remove_concurrent_index_by_name": _step(s.DROP_INDEX),
    "rename_index": _step(s.RENAME_INDEX),
    "add_foreign_key": _constraint("foreign"),
    "add_concurrent_foreign_key": _constraint("foreign"),
    "remove_foreign_key": _step(s.DROP_CONSTRAINT),
    "remove_foreign_key_if_exists": _step(s.DROP_CONSTRAINT),
    "add_check_constraint": _constraint("check"),
    "remove_check_constraint": _step(s.DROP_CONSTRAINT),
    "add_unique_constraint": _constraint("unique"),
    "add_primary_key": _constraint("primary"),
    "alter_primary_key": _constraint("primary"),
    "remove_unique_constraint": _step(s.DROP_CONSTRAINT),
    "add_exclusion_constraint": _constraint("exclude"),
    "remove_exclusion_constraint": _step(s.DROP_CONSTRAINT),
    "validate_check_constraint": _step(s.VALIDATE_CONSTRAINT),
    "validate_foreign_key": _step(s.VALIDATE_CONSTRAINT),
    "validate_constraint": _step(s.VALIDATE_CONSTRAINT),
    "add_not_null_constraint": _step(s.SET_NOT_NULL, column=True),
    "remove_not_null_constraint": _step(s.DROP_NOT_NULL, column=True),
    "add_text_limit": _constraint("check"),
    "remove_text_limit": _step(s.DROP_CONSTRAINT),
    "create_enum": _step(s.CREATE_TYPE),
    "drop_enum": _step(s.DROP_TYPE),
    "add_enum_value": _step(s.ADD_ENUM_VALUE),
    "rename_enum_value": _step(s.RENAME_ENUM_VALUE),
    "rename_enum": lambda args, rest: [Step(s.DROP_TYPE, args.name(0), note="rename type")],
    "create_view": _step(s.CREATE_VIEW),
    "update_view": _step(s.CREATE_VIEW),
    "drop_view": _step(s.DROP_VIEW),
    "create_schema": _step(s.CREATE_OTHER),
    "drop_schema": _step(s.DROP_SCHEMA),
    "rename_schema": _step(s.RENAME_SCHEMA),
    "execute_drop": _column_dropper,
    "rename_column_concurrently": _rename_column_concurrently,
    "cleanup_concurrent_column_rename": _cleanup_rename,
    "change_column_type_concurrently": lambda args, rest: [
        Step(s.ADD_COLUMN, args.name(0), column=f"{args.name(1)}_for_type_change")
    ],
    "cleanup_concurrent_column_type_change": _cleanup_rename,
}


def _table_add(kind_type: str) -> Callable[[str, _Args], list[Step]]:
    def read(table: str, args: _Args) -> list[Step]:
        nullable, default = _required(args)
        return [
            Step(s.ADD_COLUMN, table, column=c, nullable=nullable, default=default)
            for c in args.positional
        ]

    return read


def _table_column(table: str, args: _Args) -> list[Step]:
    nullable, default = _required(args)
    return [Step(s.ADD_COLUMN, table, column=args.name(0), nullable=nullable, default=default)]


def _table_references(table: str, args: _Args) -> list[Step]:
    nullable, default = _required(args)
    return [
        Step(s.ADD_COLUMN, table, column=f"{ref}_id", nullable=nullable, default=default)
        for ref in args.positional
    ]


def _table_change(table: str, args: _Args) -> list[Step]:
    return _change_column(_Args([table, *args.positional], args.keywords), "")


_TABLE_CALLS: dict[str, Callable[[str, _Args], list[Step]]] = {
    "column": _table_column,
    "references": _table_references,
    "belongs_to": _table_references,
    "remove": lambda table, args: [Step(s.DROP_COLUMN, table, column=c) for c in args.positional],
    "remove_references": lambda table, args: [
        Step(s.DROP_COLUMN, table, column=f"{r}_id") for r in args.positional
    ],
    "remove_belongs_to": lambda table, args: [
        Step(s.DROP_COLUMN, table, column=f"{r}_id") for r in args.positional
    ],
    "rename": lambda table, args: [
        Step(s.RENAME_COLUMN, table, column=args.name(0), name=args.name(1))
    ],
    "change": _table_change,
    "change_null": lambda table, args: _change_column_null(
        _Args([table, *args.positional], {}), ""
    ),
    "change_default": lambda table, args: [Step(s.SET_DEFAULT, table, column=args.name(0))],
    "index": lambda table, args: [
        Step(
            s.CREATE_INDEX,
            table,
            unique=args.flag("unique") == "true",
            columns=tuple(args.positional),
        )
    ],
    "remove_index": lambda table, args: [Step(s.DROP_INDEX, table)],
    "timestamps": lambda table, args: _timestamps(add=True)(_Args([table], args.keywords), ""),
    "remove_timestamps": lambda table, args: _timestamps(add=False)(_Args([table], {}), ""),
    "check_constraint": lambda table, args: [Step(s.ADD_CONSTRAINT, table, constraint="check")],
    "remove_check_constraint": lambda table, args: [Step(s.DROP_CONSTRAINT, table)],
    **{
        kind: _table_add(kind)
        for kind in (
            "string",
            "text",
            "integer",
            "bigint",
            "float",
            "decimal",
            "numeric",
            "datetime",
            "timestamp",
            "timestamptz",
            "time",
            "date",
            "binary",
            "boolean",
            "json",
            "jsonb",
            "uuid",
            "inet",
            "cidr",
            "citext",
            "hstore",
            "enum",
            "virtual",
            "primary_key",
        )
    },
}
