"""Parses `diff-tree --raw --numstat -z` records and turns two blobs into a unified patch."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from bot.adapters.sources.git.objects import UnreadableObjectError, to_text
from bot.adapters.sources.shared import touches

PATCH_LIMIT = 256 * 1024  # characters of patch text kept per file
BLOB_LIMIT = 1024 * 1024  # bytes; larger migration files are listed without a patch
_ZERO_BLOB = frozenset({"0" * 40, "0" * 64})
_GITLINK_MODE = "160000"


@dataclass(frozen=True, slots=True)
class DiffEntry:
    """One file of one commit's diff against its first parent."""

    path: str
    old_path: str | None  # the source of a rename, else None
    old_blob: str | None
    new_blob: str | None
    added: int
    deleted: int
    binary: bool
    is_blob: bool  # False for submodule (gitlink) entries

    def touches(self, patterns: Sequence[str]) -> bool:
        """Whether the file (or, for a rename, its old name) matches any of the globs."""
        return touches(self.path, self.old_path, patterns)

    @property
    def status(self) -> str:
        """How the commit touched the file: added, deleted, renamed or modified."""
        if self.old_blob is None:
            return "added"
        if self.new_blob is None:
            return "deleted"
        return "renamed" if self.old_path is not None else "modified"


@dataclass(frozen=True, slots=True)
class _Raw:
    old_mode: str
    new_mode: str
    old_blob: str
    new_blob: str
    path: str
    old_path: str | None


def parse_diff_tree(data: bytes) -> dict[str, list[DiffEntry]]:
    """Files per commit from `diff-tree --stdin -z -r --raw --numstat`.

    Output is NUL-separated: a commit id, then one raw record per file, then one numstat
    record per file in the same order. Paths are consumed by position, never by content.
    """
    tokens = data.split(b"\x00")
    raws: dict[str, list[_Raw]] = {}
    counts: dict[str, list[tuple[int, int, bool]]] = {}
    current: str | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token:
            i += 1
        elif token.startswith(b":"):
            raw, i = _read_raw(tokens, i)
            raws.setdefault(_need(current), []).append(raw)
        elif b"\t" in token:
            added, deleted, path = token.split(b"\t", 2)
            binary = added == b"-" and deleted == b"-"
            counts.setdefault(_need(current), []).append((_count(added), _count(deleted), binary))
            i += 3 if not path else 1
        else:
            current = token.decode("ascii", errors="replace")
            i += 1
    return {sha: _pair(sha, raws[sha], counts.get(sha, [])) for sha in raws}


def _need(current: str | None) -> str:
    if current is None:
        raise UnreadableObjectError("diff-tree printed a file before any commit")
    return current


def _read_raw(tokens: list[bytes], i: int) -> tuple[_Raw, int]:
    fields = tokens[i][1:].split(b" ")
    if len(fields) != 5:
        raise UnreadableObjectError("diff-tree printed an unreadable raw record")
    old_mode, new_mode, old_blob, new_blob, status = (f.decode("ascii", "replace") for f in fields)
    if status[:1] in ("R", "C"):
        if i + 2 >= len(tokens):
            raise UnreadableObjectError("diff-tree output ends inside a rename")
        old_path, path = to_text(tokens[i + 1]), to_text(tokens[i + 2])
        return _Raw(old_mode, new_mode, old_blob, new_blob, path, old_path), i + 3
    if i + 1 >= len(tokens):
        raise UnreadableObjectError("diff-tree output ends inside a record")
    return _Raw(old_mode, new_mode, old_blob, new_blob, to_text(tokens[i + 1]), None), i + 2


def _count(field: bytes) -> int:
    # Binary files show "-": they count as no lines.
    return int(field) if field.isdigit() else 0


def _pair(sha: str, raws: list[_Raw], counts: list[tuple[int, int, bool]]) -> list[DiffEntry]:
    if len(counts) != len(raws):
        raise UnreadableObjectError(f"diff-tree gave mismatched records for commit {sha}")
    return [
        DiffEntry(
            path=raw.path,
            old_path=raw.old_path,
            old_blob=None if raw.old_blob in _ZERO_BLOB else raw.old_blob,
            new_blob=None if raw.new_blob in _ZERO_BLOB else raw.new_blob,
            added=added,
            deleted=deleted,
            binary=binary,
            is_blob=_GITLINK_MODE not in (raw.old_mode, raw.new_mode),
        )
        for raw, (added, deleted, binary) in zip(raws, counts, strict=True)
    ]


def unified_patch(old: bytes, new: bytes) -> str | None:
    """Hunks (no file headers, like a code host's `patch` field) turning `old` into `new`.

    None over PATCH_LIMIT characters: a cut patch would read as a smaller migration than it is,
    while no patch tells the policy the file could not be read.
    """
    diff = difflib.unified_diff(_lines(to_text(old)), _lines(to_text(new)), lineterm="", n=3)
    out: list[str] = []
    size = 0
    # difflib always opens with the two file headers ("---", "+++"); hunks follow.
    for line in islice(diff, 2, None):
        size += len(line) + 1
        if size > PATCH_LIMIT:
            return None
        out.append(line)
    return "\n".join(out) + ("\n" if out else "")


def _lines(text: str) -> list[str]:
    # Split on newlines only: str.splitlines also breaks on form feeds and other separators
    # that are ordinary characters inside a source file.
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return parts
