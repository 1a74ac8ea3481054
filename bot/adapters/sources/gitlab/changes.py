"""GitLab's JSON turned into changes: merge requests, direct pushes and their files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.domain.model import Change, FileChange
from bot.domain.paths import matches_any
from bot.domain.references import parse_trailers

EMPTY_TITLE = "(no title)"


def parse_time(value: Any) -> datetime | None:
    """A GitLab timestamp (`2026-11-20T10:00:00.000Z`, or with an offset) as aware UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_time(value: datetime) -> str:
    """A time as GitLab's query parameters take it, to the whole second (rounded down)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merged_time(request: Mapping[str, Any]) -> datetime | None:
    """When a request was merged; its last update when GitLab kept no merge time (requests
    merged long ago may lack one), which is no earlier than the merge."""
    return parse_time(request.get("merged_at")) or parse_time(request.get("updated_at"))


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
    paths = {entry.get("new_path"), entry.get("old_path")}
    return any(isinstance(p, str) and matches_any(p, patterns) for p in paths)


def file_changes(
    diffs: Sequence[Mapping[str, Any]], *, migration_paths: Sequence[str]
) -> tuple[FileChange, ...]:
    """One FileChange per diff entry; the hunk text is kept for migration files only."""
    files: list[FileChange] = []
    for entry in diffs:
        diff = entry.get("diff") if isinstance(entry.get("diff"), str) else ""
        added, deleted = count_lines(diff or "")
        path = entry.get("new_path") or entry.get("old_path") or ""
        keep = bool(diff) and touches(entry, migration_paths)
        files.append(
            FileChange(path=str(path), added=added, deleted=deleted, patch=diff if keep else None)
        )
    return tuple(files)


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
    subject, _, rest = message.strip().replace("\r\n", "\n").partition("\n")
    committed = parse_time(commit.get("committed_date")) or parse_time(commit.get("created_at"))
    if committed is None:
        raise ValueError("a commit without a commit date")
    return Change(
        id=f"gitlab:{project}@{commit['id']}",
        source=source,
        title=subject.strip() or str(commit.get("title") or EMPTY_TITLE),
        merged_at=committed,
        author=str(commit.get("author_name") or ""),
        body=rest.strip(),
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
