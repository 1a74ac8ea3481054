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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from bot.domain.model import MigrationOp, MigrationStage

CREATE_TABLE = "create table"
ADD_COLUMN = "add column"
CREATE_INDEX = "create index"
DROP_TABLE = "drop table"
DROP_COLUMN = "drop column"
RENAME_COLUMN = "rename column"
RENAME_TABLE = "rename table"
DROP_INDEX = "drop index"
ADD_NON_NULL_COLUMN = "add non-null column without default"
SET_NOT_NULL = "set column not null"

MAX_MIGRATION_CHARS = 1_000_000
_EXPAND_ACTIONS = frozenset({CREATE_TABLE, ADD_COLUMN, CREATE_INDEX})

_E = MigrationStage.EXPAND
_C = MigrationStage.CONTRACT


def _op(action: str, table: str, *, column: str | None = None) -> MigrationOp:
    stage = _E if action in _EXPAND_ACTIONS else _C
    return MigrationOp(stage=stage, table=table, column=column or None, action=action)


def describe_op(op: MigrationOp) -> str:
    """A short phrase for people: `drops column orders.legacy_id`."""
    target = f"{op.table}.{op.column}" if op.column else op.table
    phrases = {
        CREATE_TABLE: f"creates table {target}",
        ADD_COLUMN: f"adds column {target}",
        CREATE_INDEX: f"creates an index on {target}" if target else "creates an index",
        DROP_TABLE: f"drops table {target}",
        DROP_COLUMN: f"drops column {target}",
        RENAME_COLUMN: f"renames column {target}",
        RENAME_TABLE: f"renames table {target}",
        DROP_INDEX: f"drops an index on {target}" if target else "drops an index",
        ADD_NON_NULL_COLUMN: f"adds non-null column {target} without a default",
        SET_NOT_NULL: f"makes column {target} non-null",
    }
    return phrases.get(op.action, f"{op.action} {target}".strip())


def read_migration(path: str, patch: str) -> tuple[MigrationOp, ...]:
    """The schema operations the added lines of a migration file perform, in order, each once."""
    dialect = _dialect(path)
    if dialect is None or not patch:
        return ()
    lines = _counted_lines(patch[:MAX_MIGRATION_CHARS], dialect)
    if dialect == "python":
        ops = _read_python("\n".join(lines))
    elif dialect == "ruby":
        ops = _read_ruby(lines)
    else:
        ops = read_sql("\n".join(lines))
    return tuple(dict.fromkeys(ops))


# --- which lines count ------------------------------------------------------------------

_FLYWAY_UNDO = re.compile(r"U\d[\w.]{0,64}__")
_PY_DEF = re.compile(r"\s{0,64}(?:async\s+)?def\s+(\w{1,64})")
_RB_DEF = re.compile(r"\s{0,64}def\s+(?:self\.)?(\w{1,64})")
_RB_DOWN_BLOCK = re.compile(r"\bdown\s*(?:do\b|\{)")
_SQL_SECTION = re.compile(r"\s{0,64}--\s*(?:\+goose\s+|\+migrate\s+|migrate:)(up|down)\b", re.I)


def _dialect(path: str) -> str | None:
    name = PurePosixPath(path.lower()).name
    if name.endswith(".py"):
        return "python"
    if name.endswith(".rb"):
        return "ruby"
    if ".down." in name or _FLYWAY_UNDO.match(PurePosixPath(path).name):
        return None  # a rollback-only file (golang-migrate, Flyway undo)
    return "sql"


def _diff_lines(patch: str) -> Iterator[tuple[str, bool]]:
    """(text, added) for each line a reader may see: added and context lines of the hunks."""
    lines = patch.splitlines()
    if not (patch.startswith("@@") or "\n@@" in patch):
        yield from ((line, True) for line in lines)
        return
    in_hunk = False
    for line in lines:
        if line.startswith("@@"):
            in_hunk = True
        elif not in_hunk or line.startswith(("-", "\\")):
            continue
        elif line.startswith("+"):
            yield line[1:], True
        elif line.startswith(" ") or not line:
            yield line[1:], False
        else:
            in_hunk = False  # `diff --git` or another file's header


def _skips(line: str, *, dialect: str, skipping: bool) -> bool:
    """Whether lines from here on belong to rollback-only code."""
    if dialect == "sql":
        section = _SQL_SECTION.match(line)
        return section.group(1).lower() == "down" if section else skipping
    definition = (_PY_DEF if dialect == "python" else _RB_DEF).match(line)
    if definition is None:
        return skipping
    name = definition.group(1)
    if dialect == "python":
        return name.startswith("downgrade") or (skipping and not name.startswith("upgrade"))
    return name == "down" or (skipping and name not in ("up", "change"))


def _counted_lines(patch: str, dialect: str) -> list[str]:
    counted: list[str] = []
    skipping = False
    for line, added in _diff_lines(patch):
        skipping = _skips(line, dialect=dialect, skipping=skipping)
        if not added or skipping:
            continue
        if dialect == "ruby" and _RB_DOWN_BLOCK.search(line):
            continue
        if dialect != "sql":
            line = _strip_comment(line, markers=("#",), quotes="'\"")
        counted.append(line)
    return counted


def _strip_comment(line: str, *, markers: tuple[str, ...], quotes: str) -> str:
    if not any(marker in line for marker in markers):
        return line
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in quotes:
            quote = char
        elif line.startswith(markers, index):
            return line[:index]
    return line


def _strip_block_comments(text: str) -> str:
    parts: list[str] = []
    position = 0
    while (start := text.find("/*", position)) >= 0:
        parts.append(text[position:start])
        end = text.find("*/", start + 2)
        position = len(text) if end < 0 else end + 2
    parts.append(text[position:])
    return " ".join(parts)


# --- SQL ----------------------------------------------------------------------------------

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


def _name(raw: str) -> str:
    """The last part of a possibly qualified, possibly quoted name, lower-cased."""
    tokens = _IDENT_TOKEN.findall(raw)
    return tokens[-1].strip('"`[]').strip().lower() if tokens else ""


def read_sql(text: str) -> list[MigrationOp]:
    """Schema operations in SQL text: statements split on `;`, comments ignored."""
    lines = (_strip_comment(line, markers=("--", "#"), quotes="'") for line in text.splitlines())
    ops: list[MigrationOp] = []
    for chunk in _strip_block_comments("\n".join(lines)).split(";"):
        position = 0
        while (start := _STATEMENT_START.search(chunk, position)) is not None:
            read, end = _read_statement(chunk, start.start())
            ops.extend(read)
            position = end if end > start.start() else start.end()
    return ops


def _read_statement(chunk: str, at: int) -> tuple[list[MigrationOp], int]:
    """Ops of the statement starting at `at`, and where reading may continue."""
    if match := _ALTER_TABLE.match(chunk, at):
        return _alter_clauses(_name(match.group("table")), match.group("body") or ""), len(chunk)
    if match := _CREATE_TABLE.match(chunk, at):
        temporary = match.group("temp") is not None
        return ([] if temporary else [_op(CREATE_TABLE, _name(match.group("table")))]), match.end()
    if match := _CREATE_INDEX.match(chunk, at):
        return [_op(CREATE_INDEX, _name(match.group("table")))], match.end()
    if match := _DROP_TABLE.match(chunk, at):
        tables = _split_top_level(match.group("tables"))
        return [_op(DROP_TABLE, _name(table)) for table in tables], match.end()
    if match := _DROP_INDEX.match(chunk, at):
        return [_op(DROP_INDEX, _name(match.group("table") or ""))], match.end()
    if match := _RENAME_TABLE_STMT.match(chunk, at):
        return [_op(RENAME_TABLE, _name(match.group("table")))], match.end()
    return [], at


def _alter_clauses(table: str, body: str) -> list[MigrationOp]:
    ops: list[MigrationOp] = []
    for clause in _split_top_level(body):
        op = _alter_clause(table, clause.strip())
        if op is not None:
            ops.append(op)
    return ops


def _alter_clause(table: str, clause: str) -> MigrationOp | None:
    if match := _ADD_CLAUSE.match(clause):
        word = _name(match.group("col"))
        if not match.group("kw") and word in _NOT_COLUMN_WORDS:
            return _op(CREATE_INDEX, table) if word in _INDEX_WORDS else None
        rest = match.group("rest")
        non_null = _NOT_NULL.search(rest) is not None and _HAS_DEFAULT.search(rest) is None
        return _op(ADD_NON_NULL_COLUMN if non_null else ADD_COLUMN, table, column=word)
    if match := _DROP_CLAUSE.match(clause):
        word = _name(match.group("col"))
        if not match.group("kw") and word in _NOT_COLUMN_WORDS:
            return _op(DROP_INDEX, table) if word in _INDEX_WORDS else None
        return _op(DROP_COLUMN, table, column=word)
    if _RENAME_TO_CLAUSE.match(clause):
        return _op(RENAME_TABLE, table)
    if match := _RENAME_CLAUSE.match(clause):
        word = _name(match.group("col"))
        renames_other = not match.group("kw") and word in _NOT_COLUMN_WORDS
        return None if renames_other else _op(RENAME_COLUMN, table, column=word)
    if match := _CHANGE_CLAUSE.match(clause):
        old, new = _name(match.group("col")), _name(match.group("new"))
        return _op(RENAME_COLUMN, table, column=old) if old != new else None
    if match := _SET_NOT_NULL_CLAUSE.match(clause):
        return _op(SET_NOT_NULL, table, column=_name(match.group("col")))
    return None


_SPLIT_MARKS = re.compile(r"[()\[\]{}'\"`,]")


def _split_top_level(text: str) -> list[str]:
    """Split on commas outside parentheses, brackets and quotes."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for mark in _SPLIT_MARKS.finditer(text):
        char = mark.group()
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start : mark.start()])
            start = mark.end()
    parts.append(text[start:])
    return parts


# --- Alembic and Django -------------------------------------------------------------------

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
_PY_STRING = re.compile(
    r"'''(.{0,20000}?)'''|\"\"\"(.{0,20000}?)\"\"\"|'([^'\n]*)'|\"([^\"\n]*)\"", re.S
)
_KEYWORD_ARG = re.compile(r"\s*(\w{1,64})\s*=(?!=)")
_BATCH_ALIAS = re.compile(r"\s{0,8}as\s+(\w{1,64})")
_NULLABLE_FALSE = re.compile(r"\bnullable\s*=\s*False\b")
_SERVER_DEFAULT = re.compile(r"\bserver_default\s*=")
_DJANGO_NULL_TRUE = re.compile(r"\bnull\s*=\s*True\b")
_DJANGO_DEFAULT = re.compile(r"\b(?:db_)?default\s*=")
_CALL_LIMIT = 50_000


class _Args:
    """Positional and keyword arguments of one call, as raw source text."""

    def __init__(self, text: str) -> None:
        self.positional: list[str] = []
        self.keyword: dict[str, str] = {}
        for part in _split_top_level(text):
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
        return _name(_first_string(self.raw(index, keyword)))


def _strings(raw: str) -> list[str]:
    return ["".join(groups) for groups in _PY_STRING.findall(raw)]


def _first_string(raw: str) -> str:
    found = _strings(raw)
    return found[0] if found else ""


_BRACKET_OR_QUOTE = re.compile(r"[()\[\]{}'\"]")


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


def _read_python(text: str) -> list[MigrationOp]:
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
            ops.extend(read_sql("\n".join(_strings(sql))))
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
        return [_op(CREATE_TABLE, args.name(0, "table_name"))]
    if name == "add_column":
        definition = args.raw(shift, "column")
        non_null = _NULLABLE_FALSE.search(definition) and not _SERVER_DEFAULT.search(definition)
        return [_op(ADD_NON_NULL_COLUMN if non_null else ADD_COLUMN, table, column=column)]
    if name in ("create_index", "drop_index"):
        action = CREATE_INDEX if name == "create_index" else DROP_INDEX
        index_table = batch or args.name(1, "table_name")
        return [_op(action, index_table)]
    if name == "alter_column":
        return _alter_column(args, table=table, column=column)
    simple = {"drop_column": DROP_COLUMN, "drop_table": DROP_TABLE, "rename_table": RENAME_TABLE}
    if name not in simple:
        return []
    return [_op(simple[name], table, column=column if name == "drop_column" else None)]


def _alter_column(args: _Args, *, table: str, column: str) -> list[MigrationOp]:
    ops: list[MigrationOp] = []
    if "new_column_name" in args.keyword:
        ops.append(_op(RENAME_COLUMN, table, column=column))
    if args.keyword.get("nullable", "").strip() == "False":
        ops.append(_op(SET_NOT_NULL, table, column=column))
    return ops


def _django_add_field(args: _Args) -> list[MigrationOp]:
    field = args.raw(2, "field")
    preserve = args.keyword.get("preserve_default", "").strip() != "False"
    nullable = bool(_DJANGO_NULL_TRUE.search(field)) or "ManyToManyField" in field
    has_default = preserve and bool(_DJANGO_DEFAULT.search(field))
    action = ADD_COLUMN if nullable or has_default else ADD_NON_NULL_COLUMN
    return [_op(action, args.name(0, "model_name"), column=args.name(1, "name"))]


_DJANGO: dict[str, Callable[[_Args], list[MigrationOp]]] = {
    "CreateModel": lambda a: [_op(CREATE_TABLE, a.name(0, "name"))],
    "DeleteModel": lambda a: [_op(DROP_TABLE, a.name(0, "name"))],
    "RenameModel": lambda a: [_op(RENAME_TABLE, a.name(0, "old_name"))],
    "AddField": _django_add_field,
    "RemoveField": lambda a: [_op(DROP_COLUMN, a.name(0, "model_name"), column=a.name(1, "name"))],
    "RenameField": lambda a: [
        _op(RENAME_COLUMN, a.name(0, "model_name"), column=a.name(1, "old_name"))
    ],
    "AddIndex": lambda a: [_op(CREATE_INDEX, a.name(0, "model_name"))],
    "RemoveIndex": lambda a: [_op(DROP_INDEX, a.name(0, "model_name"))],
}


# --- Rails --------------------------------------------------------------------------------

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
    for part in _split_top_level(cleaned):
        match = _RB_NAME.match(part)
        if match is None:
            break
        names.append(_name("".join(match.groups(""))))
    return names


def _read_ruby(lines: list[str]) -> list[MigrationOp]:
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
            ops.extend(read_sql("\n".join(_strings(call.group("args")))))
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
        return [_op(action, table, column=columns[0] if has_column and columns else None)]
    if name == "remove_columns":
        return [_op(DROP_COLUMN, table, column=column) for column in columns]
    if not columns:
        return []
    is_reference = "reference" in name or "belongs_to" in name
    column = f"{columns[0]}_id" if is_reference else columns[0]
    if name.startswith("remove_"):
        return [_op(DROP_COLUMN, table, column=column)]
    if name == "change_column_null":
        return [_op(SET_NOT_NULL, table, column=column)] if re.search(r",\s*false\b", args) else []
    non_null = _RB_NULL_FALSE.search(args) and not _RB_DEFAULT.search(args)
    return [_op(ADD_NON_NULL_COLUMN if non_null else ADD_COLUMN, table, column=column)]
