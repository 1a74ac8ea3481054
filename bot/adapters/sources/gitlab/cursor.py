"""The cursor of a gitlab source: a compact JSON object saying where the next poll starts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from bot.adapters.sources.shared import COMMIT_ID, LISTING_OVERLAP, dump_cursor, read_cursor

VERSION = 1


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a gitlab source stands after a poll.

    `head` is the trunk commit every direct push up to which was considered, and `etag` the
    branch answer's validator for that same head (kept only when the two agree). Every merge
    request merged at or after `floor` that this source has emitted is in `seen` (iid to
    merged time, whole seconds), so the overlap of two listings never emits one twice.
    """

    branch: str
    head: str | None
    etag: str | None
    floor: datetime
    seen: Mapping[int, int] = field(default_factory=dict)

    def dump(self) -> str:
        """The cursor as stored: compact JSON."""
        payload: dict[str, Any] = {
            "branch": self.branch,
            "head": self.head,
            "etag": self.etag,
            "floor": int(self.floor.timestamp()),
            "seen": {str(iid): merged for iid, merged in sorted(self.seen.items())},
        }
        return dump_cursor(VERSION, payload)

    @classmethod
    def load(cls, text: str) -> Cursor | None:
        """The cursor stored as `text`, or None when it is not one this version wrote."""
        try:
            return cls._from(read_cursor(text, version=VERSION, kind="gitlab"))
        except (ValueError, TypeError, OverflowError, OSError):
            return None

    @classmethod
    def _from(cls, payload: dict[str, Any]) -> Cursor | None:
        branch, head, etag = payload.get("branch"), payload.get("head"), payload.get("etag")
        seen = payload.get("seen")
        if not isinstance(branch, str) or not branch:
            return None
        if head is not None and not (isinstance(head, str) and COMMIT_ID.fullmatch(head)):
            return None
        if etag is not None and not isinstance(etag, str):
            return None
        if not isinstance(payload.get("floor"), int) or not isinstance(seen, dict):
            return None
        return cls(
            branch=branch,
            head=head,
            etag=etag,
            floor=datetime.fromtimestamp(payload["floor"], UTC),
            seen={int(iid): int(merged) for iid, merged in seen.items()},
        )

    def is_emitted(self, iid: int, merged_at: datetime) -> bool:
        """Whether a merge request was emitted before (or lies wholly before the floor)."""
        return merged_at < self.floor or iid in self.seen

    def at_head(self, *, head: str | None, etag: str | None) -> Cursor:
        """The same window with another trunk head (and its validator)."""
        return replace(self, head=head, etag=etag)

    def advanced(
        self,
        *,
        head: str | None,
        etag: str | None,
        listed_from: float | None,
        emitted: Mapping[int, datetime],
    ) -> Cursor:
        """The cursor after a poll whose listing began at `listed_from` (server Unix time).

        The floor moves to LISTING_OVERLAP before that, never back; without a trustworthy start
        (a listing that kept shifting) it stays put. `seen` keeps what the floor still admits.
        """
        floor = self.floor
        if listed_from is not None:
            start = datetime.fromtimestamp(int(listed_from), UTC)
            floor = max(floor, start - LISTING_OVERLAP)
        merged = {**self.seen, **{iid: int(at.timestamp()) for iid, at in emitted.items()}}
        cutoff = int(floor.timestamp())
        return Cursor(
            branch=self.branch,
            head=head,
            etag=etag,
            floor=floor,
            seen={iid: at for iid, at in merged.items() if at >= cutoff},
        )
