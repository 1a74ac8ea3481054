"""The github source's cursor: a compact JSON object the store keeps between two syncs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.adapters.sources.shared import dump_cursor, format_time, parse_time, read_cursor

VERSION = 1


@dataclass(frozen=True, slots=True)
class GitHubCursor:
    """Where the last sync of one repository stopped.

    `etag` validates the branch answer whose tip was `head`, so an unchanged trunk costs one
    conditional request. The next listing of pull requests reads back to `start`: the newest
    `updated_at` listed so far less LISTING_OVERLAP, never earlier than the first sync's `since`.
    `seen` holds the merged pull requests already handled that were merged at or after
    `start`, so the overlap does not gather them twice.
    """

    branch: str
    head: str
    etag: str | None
    start: datetime
    seen: frozenset[int]

    def encode(self) -> str:
        """The cursor as the store keeps it."""
        data = {
            "branch": self.branch,
            "head": self.head,
            "etag": self.etag,
            "start": format_time(self.start),
            "seen": sorted(self.seen),
        }
        return dump_cursor(VERSION, data)


def decode_cursor(text: str) -> GitHubCursor:
    """Read a stored cursor; ValueError when it is not one this version wrote."""
    data = read_cursor(text, version=VERSION, kind="github")
    branch, head, etag, seen = (
        data.get("branch"),
        data.get("head"),
        data.get("etag"),
        data.get("seen"),
    )
    if not isinstance(branch, str) or not isinstance(head, str) or not branch or not head:
        raise ValueError("its branch or head is missing")
    if etag is not None and not isinstance(etag, str):
        raise ValueError("its etag is not a string")
    if not isinstance(seen, list) or not all(type(n) is int for n in seen):
        raise ValueError("its seen list is not a list of numbers")
    return GitHubCursor(
        branch=branch,
        head=head,
        etag=etag,
        start=parse_time(data.get("start")),
        seen=frozenset(seen),
    )
