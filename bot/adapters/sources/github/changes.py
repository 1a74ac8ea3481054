"""GitHub's pull requests and commits translated into the domain's changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.adapters.sources import shared
from bot.adapters.sources.github.listing import Pull
from bot.adapters.sources.github.trunk import TrunkCommit
from bot.domain.model import Change, FileChange
from bot.domain.references import parse_trailers


def touches(files: Sequence[Any], patterns: Sequence[str]) -> bool:
    """Whether any file (or, for a rename, its old name) matches the globs."""
    return any(shared.touches(*_names(entry), patterns) for entry in files)


def pull_change(
    pull: Pull,
    *,
    repo: str,
    source: str,
    commits: Sequence[TrunkCommit],
    files: Sequence[Any],
    reading: shared.PatchReading,
) -> Change:
    """One merged pull request; `commits` are the trunk commits it brought that were read.

    The trunk commit (`merge_commit_sha`: the merge, squash or last rebased commit) comes first
    in `commits`; `messages` are those of the trunk commits read (the policy reads their
    trailers itself); `trailers` are the body's.
    """
    raw = pull.raw
    ordered = sorted(commits, key=lambda c: c.sha != pull.merge_sha)
    shas = [c.sha for c in ordered]
    if pull.merge_sha and pull.merge_sha not in shas:
        shas.insert(0, pull.merge_sha)
    messages = tuple(c.message for c in ordered)
    body = str(raw.get("body") or "")
    return Change(
        id=f"github:{repo}#{pull.number}",
        source=source,
        title=str(raw.get("title") or ""),
        merged_at=pull.merged_at,
        author=_login(raw.get("user")),
        body=body,
        url=raw.get("html_url"),
        sha=pull.merge_sha,
        number=pull.number,
        branch=_head_ref(raw),
        labels=tuple(str(label["name"]) for label in raw.get("labels") or () if "name" in label),
        trailers=parse_trailers(body, has_subject=False),
        commits=tuple(shas),
        messages=messages,
        files=file_changes(files, reading=reading),
    )


def push_change(
    commit: TrunkCommit,
    *,
    repo: str,
    source: str,
    files: Sequence[Any],
    reading: shared.PatchReading,
) -> Change:
    """A commit pushed to the trunk without a pull request; it lands when it is committed."""
    title, body = shared.split_message(commit.message)
    return Change(
        id=f"github:{repo}@{commit.sha}",
        source=source,
        title=title or "(no commit message)",
        merged_at=commit.committed_at,
        author=commit.author,
        body=body,
        url=commit.url,
        sha=commit.sha,
        trailers=parse_trailers(commit.message),
        commits=(commit.sha,),
        messages=(commit.message,),
        files=file_changes(files, reading=reading),
    )


def file_changes(files: Sequence[Any], *, reading: shared.PatchReading) -> tuple[FileChange, ...]:
    """GitHub's diff entries as file changes; only migration files keep their patch.

    GitHub leaves `patch` out for binary and very large files, which then have none.
    """
    return tuple(_file(entry, reading) for entry in files)


def _file(entry: Any, reading: shared.PatchReading) -> FileChange:
    path, old_path = _names(entry)
    return shared.file_change(
        path=path,
        old_path=old_path,
        added=int(entry.get("additions") or 0),
        deleted=int(entry.get("deletions") or 0),
        patch=entry.get("patch"),
        reading=reading,
        status=_STATUSES.get(str(entry.get("status") or "")),
    )


# GitHub's file statuses as ours: a copy is a new file; "changed" is a mode change.
_STATUSES = {
    "added": "added",
    "copied": "added",
    "modified": "modified",
    "changed": "modified",
    "unchanged": "modified",
    "removed": "deleted",
    "renamed": "renamed",
}


def _names(entry: Any) -> tuple[str, str | None]:
    """A diff entry's file name and, for a rename, the name it had before."""
    previous = entry.get("previous_filename")
    return str(entry["filename"]), previous if isinstance(previous, str) else None


def _login(user: Any) -> str:
    return str(user.get("login") or "") if isinstance(user, dict) else ""


def _head_ref(raw: dict[str, Any]) -> str | None:
    head = raw.get("head")
    ref = head.get("ref") if isinstance(head, dict) else None
    return ref if isinstance(ref, str) else None
