"""Parses git's object output (rev-list lines, cat-file batches, raw commits) and walks merges."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import UTC, datetime

_OBJECT_TYPES = frozenset({b"commit", b"tree", b"blob", b"tag"})


class UnreadableObjectError(ValueError):
    """A git object whose content does not have the expected shape."""


@dataclass(frozen=True, slots=True)
class RevLine:
    """One line of `rev-list --parents`: a commit and its parents, first parent first."""

    sha: str
    parents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RawCommit:
    """The parts of a commit object the git source uses."""

    sha: str
    parents: tuple[str, ...]
    author: str
    committed_at: datetime
    message: str


@dataclass(frozen=True, slots=True)
class BatchObject:
    """One object answered by `cat-file --batch` (content) or `--batch-check` (empty content)."""

    sha: str
    kind: str
    size: int
    content: bytes = b""


def to_text(raw: bytes, encoding: str = "utf-8") -> str:
    """Decode git's bytes without ever failing; NULs become U+FFFD so every store can hold it."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    return raw.decode(encoding, errors="replace").replace("\x00", "\ufffd")


def parse_rev_list(data: bytes) -> list[RevLine]:
    """Lines of `rev-list --parents` in the order printed."""
    out: list[RevLine] = []
    for line in data.decode("ascii", errors="replace").splitlines():
        fields = line.split()
        if fields:
            out.append(RevLine(sha=fields[0], parents=tuple(fields[1:])))
    return out


def parse_batch(data: bytes, *, with_content: bool) -> list[BatchObject | None]:
    """Answers of `cat-file --batch[-check]`, one per request line; None for a missing object.

    Content is taken by the size git announces, so nothing inside an object can be mistaken
    for the next header.
    """
    out: list[BatchObject | None] = []
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        if end < 0:
            raise UnreadableObjectError("cat-file output ends inside a header")
        fields = data[pos:end].split(b" ")
        pos = end + 1
        if len(fields) != 3 or fields[1] not in _OBJECT_TYPES or not fields[2].isdigit():
            out.append(None)  # "<request> missing" or "<request> ambiguous"
            continue
        size = int(fields[2])
        content = b""
        if with_content:
            content = data[pos : pos + size]
            if len(content) != size:
                raise UnreadableObjectError("cat-file output ends inside an object")
            pos += size + 1
        out.append(
            BatchObject(
                sha=fields[0].decode("ascii"), kind=fields[1].decode(), size=size, content=content
            )
        )
    return out


def parse_commit(sha: str, data: bytes) -> RawCommit:
    """Read a raw commit object: parents, author name, committer time (UTC) and message."""
    head, _, body = data.partition(b"\n\n")
    parents: list[str] = []
    author = committer = b""
    encoding = "utf-8"
    for line in head.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"parent":
            parents.append(value.decode("ascii", errors="replace"))
        elif key == b"author":
            author = value
        elif key == b"committer":
            committer = value
        elif key == b"encoding":
            encoding = value.decode("ascii", errors="replace").strip() or "utf-8"
    if not committer:
        raise UnreadableObjectError(f"commit {sha} has no committer")
    return RawCommit(
        sha=sha,
        parents=tuple(parents),
        author=_ident_name(author, encoding),
        committed_at=_ident_time(committer, sha),
        message=to_text(body, encoding),
    )


def _ident_name(ident: bytes, encoding: str) -> str:
    name, lt, _ = ident.partition(b"<")
    return to_text(name if lt else ident, encoding).strip()


def _ident_time(ident: bytes, sha: str) -> datetime:
    _, gt, rest = ident.rpartition(b">")
    fields = rest.split()
    if not gt or not fields or not fields[0].isdigit():
        raise UnreadableObjectError(f"commit {sha} has no readable committer date")
    try:
        return datetime.fromtimestamp(int(fields[0]), tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise UnreadableObjectError(f"commit {sha} has a committer date out of range") from exc


def brought_commits(oldest_first: list[RevLine], graph: list[RevLine]) -> dict[str, list[str]]:
    """For each trunk commit, the commits it made reachable besides itself, oldest first.

    `graph` holds every commit reachable from the tip but not from the window's boundary, in
    topological order (children first); walking the trunk oldest first, a merge brings what
    its other parents reach that no earlier trunk commit reached.
    """
    parents = {line.sha: line.parents for line in graph}
    rank = {line.sha: index for index, line in enumerate(graph)}
    seen: set[str] = set()
    brought: dict[str, list[str]] = {}
    for line in oldest_first:
        found: list[str] = []
        stack = list(line.parents[1:])
        while stack:
            sha = stack.pop()
            if sha in seen or sha not in parents:
                continue
            seen.add(sha)
            found.append(sha)
            stack.extend(parents[sha])
        seen.add(line.sha)
        found.sort(key=lambda sha: rank[sha], reverse=True)
        brought[line.sha] = found
    return brought
