"""The change log role: gathered changes, their classification, and each source's cursor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain.model import ExpandRecord, RecordedChange


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What one sync brought from one source: its changes, and the cursor that covers them
    (None: the stored cursor stays where it is)."""

    source: str
    cursor: str | None
    changes: Sequence[RecordedChange]


class ChangeLog(Protocol):
    """The changes gathered from each source, with the cursor each source is read from."""

    def get_cursor(self, *, train: str, source: str) -> str | None: ...

    def get_cursors(self, *, train: str) -> dict[str, str]:
        """Every stored cursor of the train by source, in one query (a source never synced
        has none)."""
        ...

    def record_batch(
        self,
        *,
        train: str,
        source: str,
        cursor: str | None,
        changes: Sequence[RecordedChange],
        run_id: int | None,
    ) -> list[str]:
        """Insert the changes not yet recorded and move the cursor, in one transaction.

        Returns the ids that were newly inserted (a change already recorded is left as is).
        """
        ...

    def record_sources(
        self, *, train: str, batches: Sequence[SourceRecord], run_id: int | None
    ) -> list[str]:
        """`record_batch` for several sources in one transaction: every source's changes are
        inserted and its cursor moved together, so a cursor never covers a change that is not
        recorded. Returns the ids newly inserted, in the order given.
        """
        ...

    def changes_for_sprint(
        self, *, train: str, sprint: str, details: bool = True
    ) -> list[RecordedChange]:
        """Every recorded change of one sprint, oldest merge first.

        With `details=False` (a lean read, for notes and reports) the changes' `files`,
        `messages`, `commits` and `trailers` are empty and their `body` is "": those are not
        even read. Everything else, the classification included, is as recorded.
        """
        ...

    def latest_sprint(self, *, train: str) -> str | None:
        """The sprint of the train's most recently merged recorded change (None: none yet)."""
        ...

    def class_counts(self, *, train: str, sprint: str) -> dict[str, int]:
        """The sprint's changes counted by release class, every class present (one query)."""
        ...

    def change_ids_for_commits(self, *, train: str, shas: Sequence[str]) -> dict[str, str]:
        """Map commit shas (full) to the id of the recorded change that brought them."""
        ...

    def get_change(self, *, train: str, change_id: str) -> RecordedChange | None:
        """One recorded change with its details (what `explain` shows)."""
        ...

    def find_change_ids(
        self,
        *,
        train: str,
        exact: str,
        sha_prefix: str | None = None,
        number: int | None = None,
        limit: int = 10,
    ) -> list[str]:
        """Ids of the recorded changes whose id or URL is `exact`, whose trunk commit or any of
        whose commits starts with `sha_prefix` (lowercase hex), or whose PR/MR number is
        `number`; oldest merge first, at most `limit` (a scan: for one-off lookups)."""
        ...

    def set_revert_pair(self, *, train: str, revert_id: str, reverted_id: str) -> None: ...

    def expand_history(self, *, train: str) -> list[ExpandRecord]:
        """Every recorded expand-stage migration op of the train, oldest first."""
        ...

    def mark_attached(self, *, train: str, change_id: str, attached: bool) -> None: ...
