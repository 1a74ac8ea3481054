"""The local git source: changes are the commits on a clone's trunk, read without writing."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from bot.adapters.sources.git.changes import change_author, merge_trailers, read_headline
from bot.adapters.sources.git.client import GitRunner
from bot.adapters.sources.git.diffs import (
    BLOB_LIMIT,
    DiffEntry,
    LoggedFiles,
    log_files,
    unified_patch,
)
from bot.adapters.sources.git.objects import (
    RawCommit,
    RevLine,
    UnreadableObjectError,
    brought_commits,
    parse_batch,
    parse_commit,
    parse_rev_list,
)
from bot.adapters.sources.git.shallow import cut_commits, missing_parent_note, shallow_notice
from bot.adapters.sources.shared import COMMIT_ID, PatchReading, Tally, aware
from bot.domain.model import Change, FileChange, SourceBatch
from bot.errors import SourceError
from bot.ports.progress import ReadProgress

RESCAN_LIMIT = 500  # trunk commits re-read at most after a force-push
LOG_PROCESSES = 4  # `git log` processes diffing one range side by side, at most
LOG_SPLIT = 100  # trunk commits each of them gets at least
_UNSAFE_BRANCH = re.compile(r"[\x00-\x20\x7f]|^-")


@dataclass(frozen=True, slots=True)
class _Window:
    """The trunk commits to read, newest first, and the commits their merges brought."""

    trunk: list[RevLine]
    graph: list[RevLine]
    notices: tuple[str, ...] = ()


class GitSource:
    """A local clone whose trunk's first-parent commits are the changes.

    Every first-parent commit of `branch` is one change: a merge (bringing the commits of
    `^first-parent other-parents`, listed oldest first after the trunk commit), a squash merge
    or a direct push. A merge's author is the author of the merged branch's tip, as that is
    who proposed it (the merge commit's author is whoever pressed the button). Files are
    counted against the first parent with rename detection on, so a moved file is one entry
    under its new name; migration files carry their patch, and other files the added lines
    that evaluate a feature flag (`flag_patterns`), as the code hosts' sources keep them.

    A gather runs a constant number of git processes, whatever the range: at most two
    `rev-list` (the trunk, and the graph its merges brought), one `git log` diffing every
    trunk commit against its first parent once (files, line counts and flag lines in one
    pass, see `diffs`), and two `cat-file` (the tip and cursor; the commit objects with the
    migration files' blobs, whose sizes one `--batch-check` reads first). Everything a
    repository could configure to execute is switched off; nothing is written to it.
    `progress` hears of each git process (a page) and of the changes once they are read.
    """

    def __init__(
        self,
        *,
        name: str,
        path: Path,
        branch: str,
        paths: Sequence[str] = (),
        web_url: str | None = None,
        migration_paths: Sequence[str],
        flag_patterns: Sequence[str] = (),
        git: str = "git",
        timeout: float = 60.0,
        progress: ReadProgress | None = None,
    ) -> None:
        if not branch or _UNSAFE_BRANCH.search(branch):
            raise SourceError(f"Git source '{name}' has an invalid branch name {branch!r}.")
        self._name = name
        self._path = Path(path).absolute()
        self._branch = branch
        self._paths = tuple(paths)
        self._web_url = web_url
        self._migration_paths = tuple(migration_paths)
        self._reading = PatchReading(self._migration_paths, tuple(flag_patterns))
        self._migration_files: dict[tuple[str, str | None], bool] = {}
        self._tally = Tally(source=name, progress=progress)
        self._git = GitRunner(
            git=git, repo=self._path, source=name, timeout=timeout, on_run=self._tally.page
        )

    @property
    def name(self) -> str:
        """The source's name, unique within its train."""
        return self._name

    def gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
        """Changes on the trunk after `cursor`, oldest first; without a cursor, the trunk
        commits committed at or after `since`, walking back from the tip to the first older one.

        A cursor that is no longer an ancestor of the trunk (a force-push) is reported in the
        batch's notices and the trunk rescanned from the later of `since` and the lost cursor's
        commit time (or `since` alone when that commit is gone), at most RESCAN_LIMIT commits.
        The returned cursor is the trunk's tip, even when `paths` matched none of the commits.
        """
        since = aware(since)
        if not self._path.is_dir():
            raise SourceError(
                f"Git source '{self._name}': {self._path} does not exist or is not a directory."
            )
        try:
            return self._gather(cursor=cursor, since=since)
        except UnreadableObjectError as exc:
            raise SourceError(f"Git source '{self._name}' cannot be read: {exc}.") from exc

    def _gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
        tip, old = self._resolve(cursor)
        if cursor is not None and tip.sha == cursor:
            return SourceBatch(source=self._name, changes=(), cursor=cursor)
        if cursor is not None and old is not None and self._is_ancestor(old.sha, tip.sha):
            window = self._after(tip.sha, old.sha)
        else:
            window = self._window(tip.sha, cursor=cursor, old=old, since=since)
        cut = cut_commits(self._git, self._path, window.trunk, first=cursor is None)
        changes = self._changes(window, cut)
        self._tally.changes(len(changes))
        notices = window.notices
        if cut is not None:
            notices += (shallow_notice(source=self._name, repo=self._path, cut=len(cut)),)
        return SourceBatch(
            source=self._name, changes=tuple(changes), cursor=tip.sha, notices=notices
        )

    def _resolve(self, cursor: str | None) -> tuple[RawCommit, RawCommit | None]:
        """The trunk's tip commit and, if it still exists, the cursor's commit (one process)."""
        requests = [f"refs/heads/{self._branch}^{{commit}}", f"{self._branch}^{{commit}}"]
        known_cursor = cursor is not None and COMMIT_ID.fullmatch(cursor) is not None
        if known_cursor:
            requests.append(f"{cursor}^{{commit}}")
        out = self._git.run(
            "cat-file", "--batch", stdin="".join(f"{r}\n" for r in requests).encode()
        )
        found = parse_batch(out.stdout, with_content=True)
        tip = found[0] or found[1]
        if tip is None:
            raise SourceError(
                f"Git source '{self._name}': branch '{self._branch}' does not exist "
                f"in {self._path}."
            )
        old = found[2] if known_cursor else None
        return (
            parse_commit(tip.sha, tip.content),
            parse_commit(old.sha, old.content) if old is not None else None,
        )

    def _is_ancestor(self, ancestor: str, descendant: str) -> bool:
        out = self._git.run("merge-base", "--is-ancestor", ancestor, descendant, ok_codes=(0, 1))
        return out.returncode == 0

    def _after(self, tip: str, cursor: str) -> _Window:
        """Everything the trunk gained since the cursor: one walk of `tip ^cursor`."""
        graph = self._rev_list("--topo-order", tip, f"^{cursor}")
        members = {line.sha: line for line in graph}
        trunk: list[RevLine] = []
        line = members.get(tip)
        while line is not None:
            trunk.append(line)
            line = members.get(line.parents[0]) if line.parents else None
        return _Window(trunk=trunk, graph=graph)

    def _window(
        self, tip: str, *, cursor: str | None, old: RawCommit | None, since: datetime
    ) -> _Window:
        """Trunk commits since a time (see `gather`), then the graph their merges need."""
        notices: tuple[str, ...] = ()
        limit: list[str] = []
        if cursor is not None:
            if old is not None:
                since = max(since, old.committed_at)
            limit = [f"--max-count={RESCAN_LIMIT}"]
        age = f"--max-age={max(0, math.ceil(since.timestamp()))}"
        trunk = self._rev_list("--first-parent", age, *limit, tip)
        if cursor is not None:
            notices = (self._rewritten_notice(cursor, len(trunk), since),)
        if not any(len(line.parents) > 1 for line in trunk):
            return _Window(trunk=trunk, graph=[], notices=notices)
        boundary = trunk[-1].parents[:1]
        graph = self._rev_list("--topo-order", tip, *(f"^{sha}" for sha in boundary))
        return _Window(trunk=trunk, graph=graph, notices=notices)

    def _rewritten_notice(self, cursor: str, count: int, since: datetime) -> str:
        return (
            f"The trunk of '{self._name}' was rewritten (force-push): cursor {cursor[:12]} is no "
            f"longer on {self._branch}; rescanned {count} trunk commit(s) committed since "
            f"{since.isoformat()} (at most {RESCAN_LIMIT}), and rewritten commits have new ids, "
            "so a change recorded before may appear again."
        )

    def _rev_list(self, *args: str) -> list[RevLine]:
        return parse_rev_list(self._git.run("rev-list", "--parents", *args, "--").stdout)

    def _changes(self, window: _Window, cut: frozenset[str] | None) -> list[Change]:
        if not window.trunk:
            return []
        cut = cut or frozenset()
        # A commit at the cut is never diffed against the empty tree: its files stay unknown.
        logged = self._files([line for line in window.trunk if line.sha not in cut])
        files = logged.files
        oldest_first = list(reversed(window.trunk))
        brought = brought_commits(oldest_first, window.graph)
        kept = [
            line
            for line in oldest_first
            if not self._paths or any(f.touches(self._paths) for f in files.get(line.sha, []))
        ]
        wanted = [sha for line in kept for sha in (line.sha, *brought[line.sha])]
        blobs = self._migration_blobs(kept, files)
        commits, contents = self._read(wanted, blobs)
        changes = [
            self._change(
                line, brought[line.sha], commits, files.get(line.sha, []), contents, logged
            )
            for line in kept
        ]
        return [
            replace(c, source_notes=(missing_parent_note(),)) if c.sha in cut else c
            for c in changes
        ]

    def _files(self, trunk: list[RevLine]) -> LoggedFiles:
        """Each trunk commit's files against its first parent (renames found), with their line
        counts and flag lines, from one `git log` diffing each file once (see `diffs`).

        A long range is dealt round-robin to a few such processes running side by side (one
        per core, at most LOG_PROCESSES, none with fewer than LOG_SPLIT commits): the diffing
        is git's CPU time, which one process spends on one core.
        """
        if not trunk:
            return LoggedFiles(files={}, evidence={})
        count = max(1, min(os.cpu_count() or 1, LOG_PROCESSES, len(trunk) // LOG_SPLIT))
        parts = [trunk[k::count] for k in range(count)]
        if count == 1:
            return self._log(parts[0])
        with ThreadPoolExecutor(max_workers=count, thread_name_prefix="git-log") as pool:
            found = list(pool.map(self._log, parts))
        return LoggedFiles(
            files={sha: f for part in found for sha, f in part.files.items()},
            evidence={key: lines for part in found for key, lines in part.evidence.items()},
        )

    def _log(self, trunk: list[RevLine]) -> LoggedFiles:
        return log_files(self._git, [line.sha for line in trunk], reading=self._reading)

    def _migration_blobs(self, kept: list[RevLine], files: dict[str, list[DiffEntry]]) -> list[str]:
        """Blob ids of the migration files' two sides, leaving out those too large to diff."""
        wanted: dict[str, None] = {}
        for line in kept:
            for entry in files.get(line.sha, []):
                if self._has_patch(entry):
                    for blob in (entry.old_blob, entry.new_blob):
                        if blob is not None:
                            wanted.setdefault(blob, None)
        if not wanted:
            return []
        stdin = "".join(f"{blob}\n" for blob in wanted).encode()
        sizes = parse_batch(
            self._git.run("cat-file", "--batch-check", stdin=stdin).stdout, with_content=False
        )
        return [obj.sha for obj in sizes if obj is not None and obj.size <= BLOB_LIMIT]

    def _has_patch(self, entry: DiffEntry) -> bool:
        if not entry.is_blob or entry.binary:
            return False
        # The same paths come back commit after commit: each is matched against the globs once.
        key = (entry.path, entry.old_path)
        found = self._migration_files.get(key)
        if found is None:
            found = self._migration_files[key] = entry.touches(self._migration_paths)
        return found

    def _read(
        self, shas: list[str], blobs: list[str]
    ) -> tuple[dict[str, RawCommit], dict[str, bytes]]:
        """The commit objects and blob contents asked for, from one cat-file process."""
        stdin = "".join(f"{sha}\n" for sha in (*shas, *blobs)).encode()
        found = parse_batch(
            self._git.run("cat-file", "--batch", stdin=stdin).stdout, with_content=True
        )
        if len(found) != len(shas) + len(blobs):
            raise UnreadableObjectError("git cat-file answered fewer objects than asked")
        commits: dict[str, RawCommit] = {}
        for sha, obj in zip(shas, found[: len(shas)], strict=True):
            if obj is None or obj.kind != "commit":
                raise UnreadableObjectError(f"commit {sha} is missing from the repository")
            commits[sha] = parse_commit(sha, obj.content)
        contents = {obj.sha: obj.content for obj in found[len(shas) :] if obj is not None}
        return commits, contents

    def _change(
        self,
        line: RevLine,
        brought: list[str],
        commits: dict[str, RawCommit],
        files: list[DiffEntry],
        contents: dict[str, bytes],
        logged: LoggedFiles,
    ) -> Change:
        trunk = commits[line.sha]
        headline = read_headline(trunk.message)
        messages = (trunk.message, *(commits[sha].message for sha in brought))
        return Change(
            id=f"git:{self._name}:{line.sha}",
            source=self._name,
            title=headline.title,
            merged_at=trunk.committed_at,
            author=change_author(line, brought, commits),
            body=headline.body,
            url=self._web_url.replace("{sha}", line.sha) if self._web_url else None,
            sha=line.sha,
            number=headline.number,
            branch=headline.branch,
            trailers=merge_trailers(messages),
            commits=(line.sha, *brought),
            messages=messages,
            files=tuple(
                self._file(entry, contents, logged.evidence.get((line.sha, entry.path), ()))
                for entry in files
            ),
        )

    def _file(
        self, entry: DiffEntry, contents: dict[str, bytes], evidence: tuple[str, ...]
    ) -> FileChange:
        """Not shared.file_change: whether a file gets a patch (`_has_patch`, through the shared
        path matching) is settled before its blobs are read, as only migration blobs are. As
        there, a file keeping its patch keeps no evidence (the policy reads the patch)."""
        patch = None
        if self._has_patch(entry):
            old = contents.get(entry.old_blob) if entry.old_blob else b""
            new = contents.get(entry.new_blob) if entry.new_blob else b""
            if old is not None and new is not None:
                patch = unified_patch(old, new)
        return FileChange(
            path=entry.path,
            added=entry.added,
            deleted=entry.deleted,
            patch=patch,
            status=entry.status,
            evidence=() if self._has_patch(entry) else evidence,
        )
