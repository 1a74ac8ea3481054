"""The repositories whose trunk merges are gathered."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.domain.model import SourceBatch


class ChangeSource(Protocol):
    """A repository whose trunk merges are gathered."""

    @property
    def name(self) -> str: ...

    def gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
        """Changes merged into the trunk after `cursor` (or, without one, since `since`).

        Returns them oldest first with the cursor to store once they are recorded. Raises
        SourceError (naming the source) when the repository or branch cannot be read.
        """
        ...
