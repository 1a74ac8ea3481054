"""The seams between the services and the world: each a typing.Protocol an adapter implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain.model import (
    DraftState,
    ExpandRecord,
    RecordedChange,
    SourceBatch,
    Sprint,
)


class Clock(Protocol):
    """Where the current time comes from (timezone-aware UTC)."""

    def now(self) -> datetime: ...


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


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One external write, keyed by its idempotency key."""

    key: str
    service: str
    operation: str
    state: str  # pending | done | failed
    request: Mapping[str, Any]
    result: Mapping[str, Any] | None
    attempts: int


@dataclass(frozen=True, slots=True)
class SyncRun:
    """One recorded sync."""

    id: int
    train: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # running | ok | failed
    counts: Mapping[str, int]
    error: str | None


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """One version of a sprint's release notes."""

    train: str
    sprint: str
    version: int
    content: str
    content_hash: str
    state: str  # pending | approved | changes_requested
    created_by: str | None
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class Store(Protocol):
    """Durable state: trains' changes, cursors, the write ledger, drafts and sync runs."""

    # schema
    def prepare(self, *, auto_upgrade: bool) -> None:
        """Create or upgrade the schema (auto_upgrade) or check it is current; refuse newer."""
        ...

    def upgrade(self) -> str:
        """Apply pending migrations; returns the revision now in place."""
        ...

    # sprints
    def save_sprint(self, *, train: str, sprint: Sprint) -> None: ...

    def get_sprint(self, *, train: str, name: str) -> Sprint | None: ...

    # cursors and changes
    def get_cursor(self, *, train: str, source: str) -> str | None: ...

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

    def changes_for_sprint(self, *, train: str, sprint: str) -> list[RecordedChange]:
        """Every recorded change of one sprint, oldest merge first."""
        ...

    def change_ids_for_commits(self, *, train: str, shas: Sequence[str]) -> dict[str, str]:
        """Map commit shas (full) to the id of the recorded change that brought them."""
        ...

    def get_change(self, *, train: str, change_id: str) -> RecordedChange | None: ...

    def set_revert_pair(self, *, train: str, revert_id: str, reverted_id: str) -> None: ...

    def expand_history(self, *, train: str) -> list[ExpandRecord]:
        """Every recorded expand-stage migration op of the train, oldest first."""
        ...

    def mark_attached(self, *, train: str, change_id: str, attached: bool) -> None: ...

    # sync runs
    def start_run(self, *, train: str, started_at: datetime) -> int: ...

    def finish_run(
        self,
        *,
        run_id: int,
        finished_at: datetime,
        status: str,
        counts: Mapping[str, int],
        error: str | None,
    ) -> None: ...

    def last_runs(self, *, train: str, limit: int) -> list[SyncRun]: ...

    # the ledger of external writes
    def ledger_claim(
        self, *, key: str, service: str, operation: str, request: Mapping[str, Any]
    ) -> LedgerEntry:
        """Record a write as pending (or return the existing entry for this key)."""
        ...

    def ledger_complete(self, *, key: str, result: Mapping[str, Any]) -> None: ...

    def ledger_fail(self, *, key: str, error: str) -> None: ...

    def ledger_get(self, *, key: str) -> LedgerEntry | None: ...

    def ledger_pending(self, *, service: str) -> list[LedgerEntry]: ...

    # drafts and decisions (the audit trail)
    def add_draft(
        self, *, train: str, sprint: str, content: str, created_by: str | None, created_at: datetime
    ) -> StoredDraft:
        """Store a new version (numbered from 1 per sprint) unless the content is unchanged."""
        ...

    def latest_draft(self, *, train: str, sprint: str) -> StoredDraft | None: ...

    def decide_draft(
        self,
        *,
        train: str,
        sprint: str,
        version: int,
        decision: str,
        user: str,
        at: datetime,
        note: str | None,
    ) -> tuple[bool, StoredDraft]:
        """Compare-and-set a pending version's decision; (False, current) if already decided."""
        ...

    def draft_state(self, *, train: str, sprint: str) -> DraftState: ...

    def close(self) -> None: ...


class Renderer(Protocol):
    """Turns release-notes data into text for one target format."""

    def render_notes(self, *, context: Mapping[str, Any], fmt: str) -> str: ...

    def check_templates(self) -> list[str]:
        """Render every template with sample data; returns the problems found."""
        ...


class SprintCalendar(Protocol):
    """Where a train's sprint windows come from (a fixed cadence, or a Jira board)."""

    def sprint_for(self, when: datetime) -> Sprint | None:
        """The sprint whose window holds `when`, or None when no sprint does."""
        ...

    def by_name(self, name: str) -> Sprint | None: ...
