"""Which lines of a migration diff count, and the lexical scanning every reader shares."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

_FLYWAY_UNDO = re.compile(r"U\d[\w.]{0,64}__")
_SQL_SECTION = re.compile(r"\s{0,64}--\s*(?:\+goose\s+|\+migrate\s+|migrate:)(up|down)\b", re.I)
_SPLIT_MARKS = re.compile(r"[()\[\]{}'\"`,]")
_PY_STRING = re.compile(
    r"'''(.{0,20000}?)'''|\"\"\"(.{0,20000}?)\"\"\"|'([^'\n]*)'|\"([^\"\n]*)\"", re.S
)


def dialect_of(path: str) -> str | None:
    """`python`, `ruby` or `sql` by the file name; None for a rollback-only file."""
    name = PurePosixPath(path.lower()).name
    if name.endswith(".py"):
        return "python"
    if name.endswith(".rb"):
        return "ruby"
    if ".down." in name or _FLYWAY_UNDO.match(PurePosixPath(path).name):
        return None  # a rollback-only file (golang-migrate, Flyway undo)
    return "sql"


_HUNK_CONTEXT = re.compile(r"@@[^@\n]{0,200}@@ ?(.*)")
# Lines that give a diff's added lines their place: a method or function starting.
_STRUCTURE = {
    "python": re.compile(r"\s{0,64}(?:async\s+)?def\s+\w"),
    "ruby": re.compile(r"\s{0,64}def\s+(?:self\.)?\w"),
}


def _diff_lines(patch: str) -> Iterator[tuple[str, bool]]:
    """(text, added) for each line a reader may see: the hunks' added and context lines, and
    the function a hunk header names (git writes the enclosing `def` there)."""
    lines = patch.splitlines()
    if not (patch.startswith("@@") or "\n@@" in patch):
        yield from ((line, True) for line in lines)
        return
    in_hunk = False
    for line in lines:
        if line.startswith("@@"):
            in_hunk = True
            header = _HUNK_CONTEXT.match(line)
            if header is not None and header.group(1):
                yield header.group(1), False
        elif not in_hunk or line.startswith(("-", "\\")):
            continue
        elif line.startswith("+"):
            yield line[1:], True
        elif line.startswith(" ") or not line:
            yield line[1:], False
        else:
            in_hunk = False  # `diff --git` or another file's header


def counted_lines(patch: str, dialect: str) -> list[str]:
    """The added lines; in SQL, those outside the Down sections of goose, sql-migrate and
    dbmate files. In Python and Ruby, whose readers tell rollback code by the file's
    structure, a diff's context lines that start a method are kept too, so an added line is
    read inside the method it belongs to (`def down`, `downgrade()`)."""
    counted: list[str] = []
    down = False
    structure = _STRUCTURE.get(dialect)
    for line, added in _diff_lines(patch):
        if dialect == "sql":
            section = _SQL_SECTION.match(line)
            down = section.group(1).lower() == "down" if section else down
        if (added and not down) or (not added and structure is not None and structure.match(line)):
            counted.append(line)
    return counted


def strip_comment(line: str, *, markers: tuple[str, ...], quotes: str) -> str:
    """The line up to its first comment marker outside quotes."""
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


def strip_block_comments(text: str) -> str:
    """The text with every `/* ... */` comment (an unclosed one runs to the end) removed."""
    parts: list[str] = []
    position = 0
    while (start := text.find("/*", position)) >= 0:
        parts.append(text[position:start])
        end = text.find("*/", start + 2)
        position = len(text) if end < 0 else end + 2
    parts.append(text[position:])
    return " ".join(parts)


def split_top_level(text: str) -> list[str]:
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


def string_literals(raw: str) -> list[str]:
    """The contents of the quoted strings (single, double or triple quoted) in source text."""
    return ["".join(groups) for groups in _PY_STRING.findall(raw)]
