"""Parses git's diff output: the one-pass `git log` of a sync's trunk commits (files, line
counts and flag evidence), `diff-tree --raw --numstat -z` records, and turns two blobs into a
unified patch.

Why one pass: what a cold read of a range costs is git diffing every file of every commit
(xdiff), not starting processes. `--numstat` runs that diff once, and a separate `-G` search
for the added lines that evaluate a flag ran it a second time; `git log --raw -p -U0` runs it
once and prints the hunks, whose "+" and "-" lines are counted and the flag lines read. The
counts equal numstat's because the diff is made the same way: the plumbing's options (no
indent heuristic, Myers) and its three lines of context (xdiff's result depends on the context
asked for: without context a blank line can show as removed and added again). Parsing costs a
few byte scans per commit in Python, a few ms per MB of patch.
"""

from __future__ import annotations

import difflib
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

from bot.adapters.sources.git.client import GitRunner
from bot.adapters.sources.git.evidence import git_filter
from bot.adapters.sources.git.objects import UnreadableObjectError, to_text
from bot.adapters.sources.shared import PatchReading, touches

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
    """Files per commit from `diff-tree --stdin -z -r --raw --numstat`: the plumbing's figures,
    which the one-pass `log_files` must equal (its tests compare the two).

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
        _entry(raw, added, deleted, binary)
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


# --- the one-pass `git log` --------------------------------------------------------------------

# Content lines of a patch always start with "+", "-", " " or "\\", so a line starting "@@ "
# or "diff --git " is always a header, whatever the files hold.
_BINARY = re.compile(rb"^Binary files ", re.MULTILINE)

Evidence = Callable[[str], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class LoggedFiles:
    """What the one-pass log says of a sync's trunk commits."""

    files: dict[str, list[DiffEntry]]  # commit -> its files against its first parent
    evidence: dict[tuple[str, str], tuple[str, ...]]  # (commit, path) -> flag lines added


def patch_log_args(nonce: str) -> tuple[str, ...]:
    """The `git log` that `log_files` runs (commits on stdin): each commit's marker with
    `nonce`, its raw records and its patch against its first parent, made the same way
    whatever the user's config says."""
    return (
        "log",
        "--stdin",
        "--no-walk=unsorted",
        "--root",
        "--diff-merges=first-parent",
        "-z",
        "-r",
        "--raw",
        "--no-abbrev",
        "-p",
        "--unified=3",
        "--inter-hunk-context=0",
        "--diff-algorithm=myers",
        "--no-indent-heuristic",
        "--find-renames",
        "--no-relative",
        "-O/dev/null",
        "--ignore-submodules=none",
        "--submodule=short",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        f"--format=%x00commit {nonce} %H",
    )


def log_files(git: GitRunner, shas: Sequence[str], *, reading: PatchReading) -> LoggedFiles:
    """The files of these commits against their first parents, with line counts equal to
    `diff-tree --numstat`'s and the flag lines `reading` keeps, from one `git log` process.

    Every diff setting a user's config could change is given on the command line (context,
    algorithm, heuristics, order, prefixes, submodules), so the output is the same whatever
    that config says. Costs git diffing each file once; the output is read as it arrives and
    parsed a few whole commits at a time (`commit_blocks`), so memory holds about the largest
    commit's patch, not the range's (12 commits of 11 MB each: 82 MB peak, was 262 MB).
    """
    if not shas:
        return LoggedFiles(files={}, evidence={})
    nonce = secrets.token_hex(8)
    output = git.stream(*patch_log_args(nonce), stdin="".join(f"{sha}\n" for sha in shas).encode())
    patterns = reading.flag_patterns
    literal = git_filter(patterns) if patterns else None
    files: dict[str, list[DiffEntry]] = {}
    evidence: dict[tuple[str, str], tuple[str, ...]] = {}
    prefilter = re.compile(literal.encode()) if literal is not None else None
    for block in commit_blocks(output, nonce=nonce):
        found = parse_patch_log(
            block,
            nonce=nonce,
            prefilter=prefilter,
            evidence=reading.evidence if patterns else None,
        )
        files.update(found.files)
        evidence.update(found.evidence)
    return LoggedFiles(files=files, evidence=evidence)


def commit_blocks(chunks: Iterable[bytes], *, nonce: str) -> Iterator[bytes]:
    """The output of `log_files`'s `git log`, read as it arrives, cut before each commit's
    marker: whole commits, so only one commit's patch is held at a time (with the chunk
    being read), however long the range."""
    head = b"\x00commit " + nonce.encode() + b" "
    held: list[bytes] = []  # the commit being read, in the chunks it came in
    for chunk in chunks:
        # A marker may straddle two chunks: look from just before this chunk's start.
        tail = held[-1][-(len(head) - 1) :] if held else b""
        window = tail + chunk
        cut = window.rfind(head)
        if cut <= 0 and not (cut == 0 and held):
            held.append(chunk)
            continue
        pending = b"".join(held) + chunk
        cut += len(pending) - len(window)
        if cut > 0:
            yield pending[:cut]
        held = [pending[cut:]]
    if held:
        yield b"".join(held)


def parse_patch_log(
    data: bytes,
    *,
    nonce: str,
    prefilter: re.Pattern[bytes] | None,
    evidence: Evidence | None,
) -> LoggedFiles:
    """Files per commit from `git log -z --raw -p --format=%x00commit <nonce> %H` (`log_files`).

    Each commit prints its marker, then (when it changed anything) its raw records, NUL
    separated, an empty record, and the patch text: one `diff --git` section per raw record,
    two for a type change (git shows it as a deletion and a creation). Counts are the "+" and
    "-" lines of the hunks; a section saying "Binary files ... differ" is binary. `evidence` reads
    the hunks of each file whose patch `prefilter` matches (every file's when it is None).
    """
    marker = re.compile(
        rb"\x00commit " + re.escape(nonce.encode()) + rb" ([0-9a-f]{40}|[0-9a-f]{64})\x00"
    )
    found = list(marker.finditer(data))
    files: dict[str, list[DiffEntry]] = {}
    flagged: dict[tuple[str, str], tuple[str, ...]] = {}
    for index, match in enumerate(found):
        sha = match[1].decode("ascii")
        end = found[index + 1].start() if index + 1 < len(found) else len(data)
        entries = _read_commit(data, match.end(), end, sha, prefilter, evidence, flagged)
        if entries:
            files[sha] = entries
    return LoggedFiles(files=files, evidence=flagged)


def _read_commit(
    data: bytes,
    pos: int,
    end: int,
    sha: str,
    prefilter: re.Pattern[bytes] | None,
    evidence: Evidence | None,
    flagged: dict[tuple[str, str], tuple[str, ...]],
) -> list[DiffEntry]:
    raws, pos = _read_raws(data, pos, end)
    if not raws:
        return []
    starts = _sections(data, pos, end)
    wanted = sum(2 if _type_changed(raw) else 1 for raw in raws)
    if len(starts) != wanted:
        raise UnreadableObjectError(
            f"git log printed {len(starts)} file patches for the {wanted} expected in commit {sha}"
        )
    bounds = [*starts, end]
    entries: list[DiffEntry] = []
    for raw in raws:
        parts = 2 if _type_changed(raw) else 1
        entry, hunks = _read_file(data, raw, bounds[: parts + 1])
        del bounds[:parts]
        entries.append(entry)
        if evidence is not None and hunks and not entry.binary:
            lines = _evidence(data, hunks, prefilter, evidence)
            if lines:
                flagged[(sha, entry.path)] = lines
    return entries


def _read_raws(data: bytes, pos: int, end: int) -> tuple[list[_Raw], int]:
    """A commit's raw records, and where its patch text starts (after an empty record)."""
    if data.startswith(b"\n", pos):
        pos += 1
    raws: list[_Raw] = []
    while pos < end and data[pos] == ord(":"):
        raw, pos = _read_raw_at(data, pos, end)
        raws.append(raw)
    if data.startswith(b"\x00", pos):
        pos += 1
    return raws, pos


def _read_file(
    data: bytes, raw: _Raw, bounds: list[int]
) -> tuple[DiffEntry, list[tuple[int, int]]]:
    """One file from its patch sections (`bounds`: where each starts, then where the last
    ends): its entry, and where its hunks lie."""
    added = deleted = 0
    binary = False
    hunks: list[tuple[int, int]] = []
    for first, last in pairwise(bounds):
        cut = data.find(b"\n@@ ", first, last)
        binary = binary or _BINARY.search(data, first, last if cut < 0 else cut + 1) is not None
        if cut >= 0:
            # From the first hunk header on, every "+" or "-" after a newline is a line.
            added += data.count(b"\n+", cut, last)
            deleted += data.count(b"\n-", cut, last)
            hunks.append((cut + 1, last))
    if binary:
        added = deleted = 0
    return _entry(raw, added, deleted, binary), hunks


def _evidence(
    data: bytes,
    hunks: list[tuple[int, int]],
    prefilter: re.Pattern[bytes] | None,
    evidence: Evidence,
) -> tuple[str, ...]:
    """The flag lines a file's hunks add; the (literal) prefilter spares decoding the rest."""
    if prefilter is not None and not any(prefilter.search(data, a, b) for a, b in hunks):
        return ()
    return evidence(b"".join(data[a:b] for a, b in hunks).decode("utf-8", errors="replace"))


def _sections(data: bytes, pos: int, end: int) -> list[int]:
    """Where each `diff --git` section of a commit's patch text starts."""
    starts: list[int] = []
    if data.startswith(b"diff --git ", pos):
        starts.append(pos)
    at = data.find(b"\ndiff --git ", pos, end)
    while at >= 0:
        starts.append(at + 1)
        at = data.find(b"\ndiff --git ", at + 1, end)
    return starts


def _type_changed(raw: _Raw) -> bool:
    # Shown by git as two patches: the old file deleted, the new one created.
    kept = "000000" not in (raw.old_mode, raw.new_mode)
    return kept and raw.old_mode[:2] != raw.new_mode[:2]


def _read_raw_at(data: bytes, pos: int, end: int) -> tuple[_Raw, int]:
    """One NUL-separated raw record (`:modes ids status`, then one path or two) at `pos`."""
    header, pos = _token(data, pos, end)
    paths = 2 if header.rsplit(b" ", 1)[-1][:1] in (b"R", b"C") else 1
    tokens = [header]
    for _ in range(paths):
        token, pos = _token(data, pos, end)
        tokens.append(token)
    raw, _ = _read_raw(tokens, 0)
    return raw, pos


def _token(data: bytes, pos: int, end: int) -> tuple[bytes, int]:
    stop = data.find(b"\x00", pos, end)
    if stop < 0:
        raise UnreadableObjectError("git log output ends inside a raw record")
    return data[pos:stop], stop + 1


def _entry(raw: _Raw, added: int, deleted: int, binary: bool) -> DiffEntry:
    return DiffEntry(
        path=raw.path,
        old_path=raw.old_path,
        old_blob=None if raw.old_blob in _ZERO_BLOB else raw.old_blob,
        new_blob=None if raw.new_blob in _ZERO_BLOB else raw.new_blob,
        added=added,
        deleted=deleted,
        binary=binary,
        is_blob=_GITLINK_MODE not in (raw.old_mode, raw.new_mode),
    )
