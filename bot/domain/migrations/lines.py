"""Which lines of a migration diff count, and the lexical scanning every reader shares."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

_FLYWAY_UNDO = re.compile(r"U\d[\w.]{0,64}__")
_PY_DEF = re.compile(r"\s{0,64}(?:async\s+)?def\s+(\w{1,64})")
_RB_DEF = re.compile(r"\s{0,64}def\s+(?:self\.)?(\w{1,64})")
_RB_DOWN_BLOCK = re.compile(r"\bdown\s*(?:do\b|\{)")
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


def counted_lines(patch: str, dialect: str) -> list[str]:
    """The added lines outside rollback-only code; `#` comments stripped outside SQL."""
    counted: list[str] = []
    skipping = False
    for line, added in _diff_lines(patch):
        skipping = _skips(line, dialect=dialect, skipping=skipping)
        if not added or skipping:
            continue
        if dialect == "ruby" and _RB_DOWN_BLOCK.search(line):
            continue
        if dialect != "sql":
            line = strip_comment(line, markers=("#",), quotes="'\"")
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
