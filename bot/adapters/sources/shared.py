"""What the git, GitHub and GitLab sources share: times, commit ids, path matching, file changes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.domain.model import Change, FileChange, SourceBatch
from bot.domain.paths import matches_any

COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # a full SHA-1 or SHA-256 commit id


def aware(moment: datetime) -> datetime:
    """`moment` itself, or read as UTC when it carries no zone (a configured `since` may not)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_time(value: object) -> datetime:
    """An API timestamp with a zone (`2026-11-20T10:00:00Z`, `...00.000+02:00`) as aware UTC.

    ValueError when it is not a string, not ISO 8601, or has no zone to place it by.
    """
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a timestamp")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed.astimezone(UTC)


def format_time(value: datetime) -> str:
    """A time as both code hosts' query parameters take it: UTC, whole seconds (rounded down)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def split_message(message: str) -> tuple[str, str]:
    """A commit message's first line and the rest, both stripped, line ends read as `\\n`."""
    first, _, rest = message.strip().replace("\r\n", "\n").partition("\n")
    return first.strip(), rest.strip()


def touches(path: str | None, old_path: str | None, patterns: Sequence[str]) -> bool:
    """Whether a file, or the name it was renamed from, matches any of the globs."""
    return any(name is not None and matches_any(name, patterns) for name in (path, old_path))


def file_change(
    *,
    path: str,
    old_path: str | None,
    added: int,
    deleted: int,
    patch: str | None,
    migration_paths: Sequence[str],
) -> FileChange:
    """One changed file; only a migration file keeps its patch (nothing else reads one)."""
    keep = patch is not None and touches(path, old_path, migration_paths)
    return FileChange(path=path, added=added, deleted=deleted, patch=patch if keep else None)


def merge_order(
    *, source: str, changes: Sequence[Change], cursor: str | None, notices: Sequence[str]
) -> SourceBatch:
    """A code host's batch: its changes by merge time (ties by id), as the trunk received them."""
    ordered = sorted(changes, key=lambda change: (change.merged_at, change.id))
    return SourceBatch(source=source, changes=tuple(ordered), cursor=cursor, notices=tuple(notices))
