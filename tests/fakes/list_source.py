"""A change source whose trunk is a Python list: sync tests without git or HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.model import Change, SourceBatch
from bot.errors import SourceError


class ListSource:
    """A source whose trunk is a list; the cursor is the id of the last change handed out."""

    def __init__(self, name: str, changes: Sequence[Change], *, broken: bool = False) -> None:
        self._name = name
        self.changes = list(changes)
        self.broken = broken
        self.starts: list[tuple[str | None, datetime]] = []  # (cursor, since) of each gather

    @property
    def name(self) -> str:
        return self._name

    def gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
        self.starts.append((cursor, since))
        if self.broken:
            raise SourceError(f"Git source '{self._name}': branch 'main' does not exist")
        ids = [c.id for c in self.changes]
        start = ids.index(cursor) + 1 if cursor in ids else 0
        fresh = tuple(c for c in self.changes[start:] if c.merged_at >= since)
        return SourceBatch(source=self._name, changes=fresh, cursor=ids[-1] if ids else cursor)
