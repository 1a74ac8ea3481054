"""Steps of SQL migrations: statements split on `;`, read by their leading words.

Comments and the contents of string literals never count (a `DROP TABLE` in a comment or a
string is text): both are blanked out, keeping every position, before statements are looked
for; the literals are read back from the original text where a step needs them (a CHECK's
values). Statements are found anywhere in a chunk, so those inside PL/pgSQL blocks (`DO $$ ...
$$`) count as they run. PostgreSQL, MySQL and SQLite forms are read. Reading never raises and
stays linear: every pattern is bounded, and each position is scanned a fixed number of times.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.domain.migrations import steps as s
from bot.domain.migrations.lines import split_top_level
from bot.domain.migrations.steps import Step, widens

_IDENT = r'(?:"[^"\n]{1,128}"|`[^`\n]{1,128}`|\[[^\]\n]{1,128}\]|[\w$]{1,128})'
_QUAL = rf"{_IDENT}(?:\s{{0,8}}\.\s{{0,8}}{_IDENT}){{0,2}}"
_IDENT_TOKEN = re.compile(_IDENT)
_FLAGS = re.I | re.S
_STATEMENT_START = re.compile(
    r"\b(?:create|alter|drop|rename|insert|update|delete|truncate|comment)\b", re.I
)


def _sql(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("QUAL", _QUAL).replace("IDENT", _IDENT), _FLAGS)


def normalise_name(raw: str) -> str:
    """The last part of a possibly qualified, possibly quoted name, lower-cased."""
    tokens = _IDENT_TOKEN.findall(raw)
    return tokens[-1].strip('"`[]').strip().lower() if tokens else ""


# Placeholders of the tools that template SQL (Go templates, Jinja, shell, Flyway): a name.
_PLACEHOLDER = re.compile(r"\{\{[^{}\n]{0,200}\}\}|\$\{[^{}\n]{0,100}\}")


def read_sql(text: str) -> list[Step]:
    """The steps of the SQL text, in order."""
    text = _PLACEHOLDER.sub("placeholder", text)
    masked = mask(text)
    found: list[Step] = []
    position = 0
    for chunk in masked.split(";"):
        start = position
        position += len(chunk) + 1
        at = 0
        while (match := _STATEMENT_START.search(chunk, at)) is not None:
            steps, end = _statement(chunk, text[start : start + len(chunk)], match.start())
            found.extend(steps)
            at = max(end, match.end())
    return found


def mask(text: str) -> str:
    """`text` with comments and the contents of string literals blanked out (same length)."""
    out = list(text)
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        comment = char == "-" and text.startswith("--", index)
        if comment or (char == "#" and not text.startswith("#{", index)):
            end = text.find("\n", index)
            end = size if end < 0 else end
            out[index:end] = " " * (end - index)
            index = end
        elif char == "/" and text.startswith("/*", index):
            end = text.find("*/", index + 2)
            end = size if end < 0 else end + 2
            out[index:end] = " " * (end - index)
            index = end
        elif char == "'":
            end = _string_end(text, index)
            out[index + 1 : end - 1] = " " * max(end - index - 2, 0)
            index = end
        else:
            index += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """Index after the string literal opened at `start` ('' inside is a quote)."""
    index = start + 1
    while True:
        end = text.find("'", index)
        if end < 0:
            return len(text)
        if text.startswith("''", end):
            index = end + 2
            continue
        return end + 1


# --- statements ---------------------------------------------------------------------------

_CREATE_TABLE = _sql(
    r"create\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?(?P<temp>temp(?:orary)?\s+)?"
    r"(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?(?P<table>QUAL)\s*(?P<body>\(.*)?"
)
_CREATE_INDEX = _sql(
    r"create\s+(?P<unique>unique\s+)?(?:(?:non)?clustered\s+)?index\s+(?:concurrently\s+)?"
    r"(?:if\s+not\s+exists\s+)?(?:QUAL\s+)?on\s+(?:only\s+)?(?P<table>QUAL)"
    r"(?:\s+using\s+\w{1,32})?\s*(?P<cols>\([^;]*)?"
)
_DROP = _sql(
    r"drop\s+(?P<what>table|index|view|materialized\s+view|type|schema|database|domain|"
    r"sequence|function|procedure|trigger|extension|rule|policy)\s+(?:concurrently\s+)?"
    r"(?:if\s+exists\s+)?(?P<names>QUAL(?:\s*,\s*QUAL){0,50})(?:\s+on\s+(?P<on>QUAL))?"
)
_RENAME_TABLES = _sql(
    r"rename\s+table\s+(?P<pairs>QUAL\s+to\s+QUAL(?:\s*,\s*QUAL\s+to\s+QUAL){0,20})"
)
_ALTER = _sql(
    r"alter\s+(?P<what>table|index|view|materialized\s+view|type|schema|domain|sequence)\s+"
    r"(?:if\s+exists\s+)?(?:only\s+)?(?P<name>QUAL)(?P<body>\s.*)?\Z"
)
_CREATE_OTHER = _sql(
    r"create\s+(?:or\s+replace\s+)?(?:(?P<view>(?:materialized\s+)?view)|(?P<type>type)|"
    r"schema|sequence|function|procedure|trigger|extension|domain|rule|policy|aggregate)\s+"
    r"(?:if\s+not\s+exists\s+)?(?P<name>QUAL)?"
)
_INSERT_SELECT = _sql(
    r"insert\s+into\s+(?P<table>QUAL)\s*(?:\([^)]*\)\s*)?(?:select\b.*?\bfrom\s+(?P<source>QUAL))?"
)
_DATA = _sql(r"(?:update|delete|truncate|comment)\b")


def _statement(chunk: str, original: str, at: int) -> tuple[list[Step], int]:
    """The steps of the statement starting at `at` in the (masked) chunk, and where reading
    may continue."""
    for pattern, build in _READERS:
        match = pattern.match(chunk, at)
        if match is not None:
            return build(match, original), match.end()
    return [], at


def _create_table(match: re.Match[str], original: str) -> list[Step]:
    if match.group("temp"):
        return []
    table = normalise_name(match.group("table"))
    body = match.group("body") or ""
    inner = body[1 : _closing(body)] if body.startswith("(") else ""
    columns, required = _column_defs(inner)
    return [Step(s.CREATE_TABLE, table, columns=columns, required=required)]


def _create_index(match: re.Match[str], original: str) -> list[Step]:
    cols = match.group("cols") or ""
    columns = _names(cols[1 : _closing(cols)]) if cols.startswith("(") else ()
    return [
        Step(
            s.CREATE_INDEX,
            normalise_name(match.group("table")),
            unique=bool(match.group("unique")),
            columns=columns,
        )
    ]


_DROP_KINDS = {
    "table": s.DROP_TABLE,
    "index": s.DROP_INDEX,
    "view": s.DROP_VIEW,
    "materialized view": s.DROP_VIEW,
    "type": s.DROP_TYPE,
    "domain": s.DROP_TYPE,
    "schema": s.DROP_SCHEMA,
    "database": s.DROP_DATABASE,
}


def _drop(match: re.Match[str], original: str) -> list[Step]:
    what = " ".join(match.group("what").lower().split())
    kind = _DROP_KINDS.get(what, s.CREATE_OTHER)  # a function, trigger, sequence: nothing breaks
    names = [normalise_name(n) for n in split_top_level(match.group("names"))]
    if kind == s.DROP_INDEX:
        return [Step(kind, normalise_name(match.group("on") or ""), name=n) for n in names]
    return [Step(kind, name) for name in names]


def _rename_tables(match: re.Match[str], original: str) -> list[Step]:
    steps = []
    for pair in split_top_level(match.group("pairs")):
        parts = re.split(r"\s+to\s+", pair.strip(), maxsplit=1, flags=re.I)
        new = parts[1] if len(parts) > 1 else ""
        steps.append(Step(s.RENAME_TABLE, normalise_name(parts[0]), name=normalise_name(new)))
    return steps


def _create_other(match: re.Match[str], original: str) -> list[Step]:
    name = normalise_name(match.group("name") or "")
    if match.group("view"):
        return [Step(s.CREATE_VIEW, name)]
    if match.group("type"):
        return [Step(s.CREATE_TYPE, name)]
    return [Step(s.CREATE_OTHER, name)]


def _insert(match: re.Match[str], original: str) -> list[Step]:
    source = match.group("source")
    if source is None:
        return [Step(s.DATA, normalise_name(match.group("table")))]
    table = normalise_name(match.group("table"))
    return [Step(s.COPY_ROWS, table, name=normalise_name(source))]


def _data(match: re.Match[str], original: str) -> list[Step]:
    return [Step(s.DATA)]


def _alter(match: re.Match[str], original: str) -> list[Step]:
    what = " ".join(match.group("what").lower().split())
    name = normalise_name(match.group("name"))
    body = match.group("body") or ""
    offset = match.start("body") if match.group("body") else 0
    if what == "table":
        return _alter_table(name, body, original[offset : offset + len(body)])
    return _ALTER_OTHER.get(what, _alter_nothing)(name, body, original[offset : offset + len(body)])


def _alter_nothing(name: str, body: str, original: str) -> list[Step]:
    return []


_TYPE_BODY = _sql(
    r"\s*(?:(?P<add>add\s+value)|(?P<rename_value>rename\s+value)|(?P<rename>rename\s+to)|"
    r"(?P<add_attr>add\s+attribute)|(?P<drop_attr>drop\s+attribute))"
)
_RENAME_TO = _sql(r"\s*rename\s+to\s+(?P<new>QUAL)")


def _alter_type(name: str, body: str, original: str) -> list[Step]:
    match = _TYPE_BODY.match(body)
    if match is None:
        return []
    if match.group("add") or match.group("add_attr"):
        return [Step(s.ADD_ENUM_VALUE, name)]
    if match.group("rename"):
        return [Step(s.DROP_TYPE, name, note="rename type")]
    return [Step(s.RENAME_ENUM_VALUE if match.group("rename_value") else s.DROP_ENUM_VALUE, name)]


def _alter_named(kind: str) -> Callable[[str, str, str], list[Step]]:
    def read(name: str, body: str, original: str) -> list[Step]:
        renamed = _RENAME_TO.match(body)
        if renamed is None:
            return []
        return [Step(kind, name, name=normalise_name(renamed.group("new")))]

    return read


def _alter_domain(name: str, body: str, original: str) -> list[Step]:
    if re.match(r"\s*(?:add\s+constraint|add\s+check|set\s+not\s+null)\b", body, re.I):
        return [Step(s.ALTER_DOMAIN, name)]
    return []


_ALTER_OTHER: dict[str, Callable[[str, str, str], list[Step]]] = {
    "type": _alter_type,
    "index": _alter_named(s.RENAME_INDEX),
    "view": _alter_named(s.RENAME_VIEW),
    "materialized view": _alter_named(s.RENAME_VIEW),
    "schema": _alter_named(s.RENAME_SCHEMA),
    "domain": _alter_domain,
}


# --- ALTER TABLE --------------------------------------------------------------------------

_ADD = _sql(r"add\s+(?P<kw>column\s+)?(?:if\s+not\s+exists\s+)?(?P<col>IDENT)(?P<rest>.*)")
_ADD_CONSTRAINT = _sql(
    r"add\s+(?:constraint\s+(?P<name>IDENT)\s+)?(?P<kind>unique|primary\s+key|foreign\s+key|"
    r"check|exclude)(?P<rest>.*)"
)
_ADD_INDEX = _sql(
    r"add\s+(?P<unique>unique\s+)?(?:fulltext\s+|spatial\s+)?(?:index|key)\s*(?:IDENT\s*)?"
    r"(?P<cols>\(.*)?"
)
_DROP_CLAUSE = _sql(
    r"drop\s+(?:(?P<constraint>constraint|foreign\s+key|check)\s+(?:if\s+exists\s+)?"
    r"(?P<cname>IDENT)|(?P<pk>primary\s+key)|(?:index|key)\s+(?P<iname>IDENT)|"
    r"(?:column\s+)?(?:if\s+exists\s+)?(?P<col>IDENT))"
)
_RENAME_CLAUSE = _sql(
    r"rename\s+(?:(?P<to>to|as)\s+(?P<table>QUAL)|(?P<other>constraint|index|key)\s+.*|"
    r"(?:column\s+)?(?P<col>IDENT)\s+to\s+(?P<new>IDENT))"
)
_ALTER_COLUMN = _sql(
    r"alter\s+(?:column\s+)?(?P<col>IDENT)\s+(?:(?P<type>(?:set\s+data\s+)?type)\s+(?P<to>.*)|"
    r"(?P<set_nn>set\s+not\s+null)|(?P<drop_nn>drop\s+not\s+null)|(?P<set_def>set\s+default)|"
    r"(?P<drop_def>drop\s+default)|(?P<identity>add\s+generated))"
)
_EXPLICIT_NULL = re.compile(r"\bnull\b", re.IGNORECASE)  # asked after NOT NULL
_MODIFY = _sql(r"modify\s+(?:column\s+)?(?P<col>IDENT)\s+(?P<rest>.*)")
_CHANGE = _sql(r"change\s+(?:column\s+)?(?P<col>IDENT)\s+(?P<new>IDENT)\s*(?P<rest>.*)")
_VALIDATE = _sql(r"validate\s+constraint\s+(?P<name>IDENT)")
_DETACH = _sql(r"detach\s+partition\b")
_USING_INDEX = re.compile(r"\busing\s+index\b", re.I)
_NOT_NULL = re.compile(r"\bnot\s+null\b", re.I)
_PRIMARY = re.compile(r"\bprimary\s+key\b", re.I)
_HAS_DEFAULT = re.compile(
    r"\b(?:default|generated|identity|auto_increment|autoincrement)\b|\b(?:big|small)?serial\d?\b",
    re.I,
)
_UNIQUE = re.compile(r"\bunique\b", re.I)
_COLUMN_WORDS = frozenset(
    {
        "constraint",
        "primary",
        "foreign",
        "check",
        "unique",
        "exclude",
        "key",
        "index",
        "fulltext",
        "spatial",
        "partition",
        "period",
        "like",
    }
)
_TYPE_END = re.compile(
    r"\s+(?:using|collate|not|null|default|constraint|check|references|after|first|"
    r"comment|unique|primary)\b|\s*\Z",
    re.I,
)
_IN_LIST = re.compile(r"\bin\s*\((?P<values>[^()]{0,4000})\)", re.I)


def _alter_table(table: str, body: str, original: str) -> list[Step]:
    steps: list[Step] = []
    position = 0
    for clause in split_top_level(body):
        start = body.find(clause, position)
        position = start + len(clause)
        stripped = clause.lstrip()
        lead = len(clause) - len(stripped)
        raw = original[start + lead : start + len(clause)]
        steps.extend(_alter_clause(table, stripped.rstrip(), raw))
    return steps


def _alter_clause(table: str, clause: str, raw: str) -> list[Step]:
    for pattern, read in _CLAUSES:
        match = pattern.match(clause)
        if match is not None:
            return read(table, match, raw)
    return []


def _clause_add_constraint(table: str, match: re.Match[str], raw: str) -> list[Step]:
    kind = match.group("kind").split()[0].lower()
    rest = match.group("rest")
    name = normalise_name(match.group("name") or "") or None
    if _USING_INDEX.search(rest):
        return [Step(s.VALIDATE_CONSTRAINT, table, name=name)]  # the index already holds it
    columns = _leading_names(rest) if kind != "check" else _check_columns(rest)
    values = _check_values(raw) if kind == "check" else ()
    return [
        Step(s.ADD_CONSTRAINT, table, name=name, constraint=kind, columns=columns, values=values)
    ]


def _clause_add_index(table: str, match: re.Match[str], raw: str) -> list[Step]:
    cols = match.group("cols") or ""
    columns = _names(cols[1 : _closing(cols)]) if cols.startswith("(") else ()
    return [Step(s.CREATE_INDEX, table, unique=bool(match.group("unique")), columns=columns)]


def _clause_add(table: str, match: re.Match[str], raw: str) -> list[Step]:
    column = normalise_name(match.group("col"))
    if not match.group("kw") and column in _COLUMN_WORDS:
        return []
    rest = match.group("rest")
    nullable = not (_NOT_NULL.search(rest) or _PRIMARY.search(rest))
    return [
        Step(
            s.ADD_COLUMN,
            table,
            column=column,
            nullable=nullable,
            default=bool(_HAS_DEFAULT.search(rest)),
            unique=bool(_UNIQUE.search(rest)),
        )
    ]


def _clause_drop(table: str, match: re.Match[str], raw: str) -> list[Step]:
    if match.group("constraint"):
        word = match.group("constraint").split()[0].lower()
        kind = {"foreign": "foreign", "check": "check"}.get(word)
        return [
            Step(
                s.DROP_CONSTRAINT, table, name=normalise_name(match.group("cname")), constraint=kind
            )
        ]
    if match.group("pk"):
        return [Step(s.DROP_CONSTRAINT, table, constraint="primary")]
    if match.group("iname"):
        return [Step(s.DROP_INDEX, table, name=normalise_name(match.group("iname")))]
    column = normalise_name(match.group("col"))
    if column in ("default", "not"):
        return []
    return [Step(s.DROP_COLUMN, table, column=column)]


def _clause_rename(table: str, match: re.Match[str], raw: str) -> list[Step]:
    if match.group("to"):
        return [Step(s.RENAME_TABLE, table, name=normalise_name(match.group("table")))]
    if match.group("other"):
        return []
    return [
        Step(
            s.RENAME_COLUMN,
            table,
            column=normalise_name(match.group("col")),
            name=normalise_name(match.group("new")),
        )
    ]


def _clause_alter_column(table: str, match: re.Match[str], raw: str) -> list[Step]:
    column = normalise_name(match.group("col"))
    if match.group("type"):
        to = match.group("to")
        end = _TYPE_END.search(to)
        new_type = to[: end.start()] if end else to
        return [Step(s.ALTER_TYPE, table, column=column, widening=widens(new_type))]
    for group, kind in (
        ("set_nn", s.SET_NOT_NULL),
        ("drop_nn", s.DROP_NOT_NULL),
        ("set_def", s.SET_DEFAULT),
        ("drop_def", s.DROP_DEFAULT),
        ("identity", s.SET_DEFAULT),
    ):
        if match.group(group):
            return [Step(kind, table, column=column)]
    return []


def _clause_modify(table: str, match: re.Match[str], raw: str) -> list[Step]:
    column, rest = normalise_name(match.group("col")), match.group("rest")
    return _redefined(table, column, rest)


def _clause_change(table: str, match: re.Match[str], raw: str) -> list[Step]:
    old, new = normalise_name(match.group("col")), normalise_name(match.group("new"))
    steps = [] if old == new else [Step(s.RENAME_COLUMN, table, column=old, name=new)]
    return steps + _redefined(table, old if old == new else new, match.group("rest"))


def _redefined(table: str, column: str, definition: str) -> list[Step]:
    """MySQL's MODIFY/CHANGE restate a column's whole definition: a new type, and NOT NULL
    when it says so (nullability it leaves out becomes NULL). One that says NULL outright is
    read as what it is written for: letting the column hold nulls, its type restated."""
    end = _TYPE_END.search(definition)
    new_type = definition[: end.start()] if end else definition
    if _NOT_NULL.search(definition):
        return [
            Step(s.ALTER_TYPE, table, column=column, widening=widens(new_type)),
            Step(s.SET_NOT_NULL, table, column=column),
        ]
    if _EXPLICIT_NULL.search(definition):
        return [Step(s.DROP_NOT_NULL, table, column=column)]
    return [Step(s.ALTER_TYPE, table, column=column, widening=widens(new_type))]


def _clause_validate(table: str, match: re.Match[str], raw: str) -> list[Step]:
    return [Step(s.VALIDATE_CONSTRAINT, table, name=normalise_name(match.group("name")))]


def _clause_detach(table: str, match: re.Match[str], raw: str) -> list[Step]:
    return [Step(s.DETACH_PARTITION, table)]


_CLAUSES: tuple[tuple[re.Pattern[str], Callable[[str, re.Match[str], str], list[Step]]], ...] = (
    (_ADD_CONSTRAINT, _clause_add_constraint),
    (_ADD_INDEX, _clause_add_index),
    (_ADD, _clause_add),
    (_DROP_CLAUSE, _clause_drop),
    (_RENAME_CLAUSE, _clause_rename),
    (_ALTER_COLUMN, _clause_alter_column),
    (_MODIFY, _clause_modify),
    (_CHANGE, _clause_change),
    (_VALIDATE, _clause_validate),
    (_DETACH, _clause_detach),
)

_READERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], list[Step]]], ...] = (
    (_CREATE_TABLE, _create_table),
    (_CREATE_INDEX, _create_index),
    (_CREATE_OTHER, _create_other),
    (_DROP, _drop),
    (_RENAME_TABLES, _rename_tables),
    (_ALTER, _alter),
    (_INSERT_SELECT, _insert),
    (_DATA, _data),
)


# --- pieces ----------------------------------------------------------------------------------


def _closing(text: str) -> int:
    """Index of the parenthesis closing the one `text` starts with (or the end)."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def _names(text: str) -> tuple[str, ...]:
    """The plain column names in a parenthesised list (expressions give none)."""
    names = []
    for part in split_top_level(text):
        words = part.split()
        if words and re.fullmatch(_IDENT, words[0]) and "(" not in part:
            names.append(normalise_name(words[0]))
    return tuple(names)


def _leading_names(rest: str) -> tuple[str, ...]:
    stripped = rest.lstrip()
    if not stripped.startswith("("):
        return ()
    return _names(stripped[1 : _closing(stripped)])


def _check_columns(rest: str) -> tuple[str, ...]:
    words = {w.lower() for w in re.findall(r"[A-Za-z_]\w{0,63}", rest)}
    words -= {"check", "and", "or", "not", "null", "is", "in", "valid", "no", "inherit"}
    return tuple(sorted(words)) if len(words) == 1 else ()


def _check_values(raw: str) -> tuple[str, ...]:
    found = _IN_LIST.search(raw)
    if found is None:
        return ()
    return tuple(sorted(v.strip().strip("'\"") for v in found.group("values").split(",")))


def _column_defs(body: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(columns, columns NOT NULL without a default) of a CREATE TABLE body."""
    columns: list[str] = []
    required: list[str] = []
    for part in split_top_level(body):
        words = part.split()
        if not words or words[0].lower() in _COLUMN_WORDS:
            continue
        name = normalise_name(words[0])
        columns.append(name)
        rest = " ".join(words[1:])
        # A primary key is filled by the database (a serial, an identity) or named on insert.
        if _NOT_NULL.search(rest) and not _PRIMARY.search(rest) and not _HAS_DEFAULT.search(rest):
            required.append(name)
    return tuple(columns), tuple(required)
