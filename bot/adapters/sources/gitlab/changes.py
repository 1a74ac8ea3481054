"""GitLab's JSON turned into changes: merge requests, direct pushes and their files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.adapters.sources import shared
from bot.domain.model import Change, FileChange
from bot.domain.references import parse_trailers

EMPTY_TITLE = "(no title)"


def time_or_none(value: Any) -> datetime | None:
    """A GitLab timestamp as aware UTC, or None when absent or unreadable: GitLab leaves some
    times out (requests merged long ago have no `merged_at`), and a fallback then applies."""
    try:
        return shared.parse_time(value)
    except ValueError:
        return None


def merged_time(request: Mapping[str, Any]) -> datetime | None:
    """When a request was merged; its last update when GitLab kept no merge time (requests
    merged long ago may lack one), which is no earlier than the merge."""
    return time_or_none(request.get("merged_at")) or time_or_none(request.get("updated_at"))


def trunk_sha(request: Mapping[str, Any]) -> str | None:
    """The commit a merged request left on the trunk's first-parent line.

    A merge commit when the project makes them; else the squash commit; else (fast-forward)
    the request's head commit, rebased onto the trunk.
    """
    for key in ("merge_commit_sha", "squash_commit_sha", "sha"):
        value = request.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def owned_shas(request: Mapping[str, Any]) -> set[str]:
    """The commit ids GitLab names on a merge request (merge, squash and head commit)."""
    keys = ("merge_commit_sha", "squash_commit_sha", "sha")
    return {v for k in keys if isinstance(v := request.get(k), str) and v}


def is_fast_forward(request: Mapping[str, Any]) -> bool:
    """Whether the request's own commits landed on the trunk (no merge or squash commit)."""
    return not request.get("merge_commit_sha") and not request.get("squash_commit_sha")


def count_lines(diff: str) -> tuple[int, int]:
    """Added and deleted lines of a diff's hunks (file headers, if any, are not lines)."""
    added = deleted = 0
    in_hunk = False
    for line in diff.split("\n"):
        if line.startswith("@@"):
            in_hunk = True
        elif not in_hunk:
            continue
        elif line.startswith("+"):
            added += 1
        elif line.startswith("-"):
            deleted += 1
    return added, deleted


def touches(entry: Mapping[str, Any], patterns: Sequence[str]) -> bool:
    """Whether a diff entry's new path (or, for a rename, its old one) matches a glob."""
    return shared.touches(_path(entry, "new_path"), _path(entry, "old_path"), patterns)


def file_changes(
    diffs: Sequence[Mapping[str, Any]], *, reading: shared.PatchReading
) -> tuple[FileChange, ...]:
    """One FileChange per diff entry; the hunk text is kept for migration files only."""
    return tuple(_file(entry, reading) for entry in diffs)


def _file(entry: Mapping[str, Any], reading: shared.PatchReading) -> FileChange:
    diff = entry.get("diff") if isinstance(entry.get("diff"), str) else ""
    added, deleted = count_lines(diff or "")
    new_path, old_path = _path(entry, "new_path"), _path(entry, "old_path")
    return shared.file_change(
        path=new_path or old_path or "",
        old_path=old_path,
        added=added,
        deleted=deleted,
        patch=diff or None,  # GitLab sends "" for a diff too large to show
        reading=reading,
        status=_status(entry),
    )


def _status(entry: Mapping[str, Any]) -> str:
    if entry.get("new_file") is True:
        return "added"
    if entry.get("deleted_file") is True:
        return "deleted"
    return "renamed" if entry.get("renamed_file") is True else "modified"


def _path(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def request_change(
    request: Mapping[str, Any],
    *,
    source: str,
    project: str,
    files: tuple[FileChange, ...],
    commits: Sequence[Mapping[str, Any]],
) -> Change:
    """A merged request as a change; `commits` are its own commits, newest first."""
    sha = trunk_sha(request)
    own = [c for c in reversed(commits) if isinstance(c.get("id"), str)]
    body = request.get("description") or ""
    labels = request.get("labels") or []
    author = request.get("author") or {}
    merged_at = merged_time(request)
    if merged_at is None:
        raise ValueError(f"merge request !{request.get('iid')} has no merge or update time")
    return Change(
        id=f"gitlab:{project}!{request['iid']}",
        source=source,
        title=str(request.get("title") or EMPTY_TITLE),
        merged_at=merged_at,
        author=str(author.get("username") or ""),
        body=str(body),
        url=request.get("web_url"),
        sha=sha,
        number=int(request["iid"]),
        branch=request.get("source_branch"),
        labels=tuple(str(label) for label in labels),
        trailers=parse_trailers(str(body), has_subject=False),
        commits=tuple(dict.fromkeys([*([sha] if sha else []), *(c["id"] for c in own)])),
        messages=tuple(str(c.get("message") or "") for c in own),
        files=files,
    )


def push_change(
    commit: Mapping[str, Any], *, source: str, project: str, files: tuple[FileChange, ...]
) -> Change:
    """A commit pushed to the trunk without a merge request, as a change."""
    message = str(commit.get("message") or "")
    subject, rest = shared.split_message(message)
    committed = time_or_none(commit.get("committed_date")) or time_or_none(commit.get("created_at"))
    if committed is None:
        raise ValueError("a commit without a commit date")
    return Change(
        id=f"gitlab:{project}@{commit['id']}",
        source=source,
        title=subject or str(commit.get("title") or EMPTY_TITLE),
        merged_at=committed,
        author=str(commit.get("author_name") or ""),
        body=rest,
        url=commit.get("web_url"),
        sha=str(commit["id"]),
        trailers=parse_trailers(message),
        commits=(str(commit["id"]),),
        messages=(message,),
        files=files,
    )


def by_iid(requests: Sequence[Mapping[str, Any]]) -> dict[int, Mapping[str, Any]]:
    """Requests keyed by iid, the later of two answers for one iid winning."""
    return {int(r["iid"]): r for r in requests if isinstance(r.get("iid"), int)}
