"""The store, by role: each service names the roles it uses; `Store` is all of them.

Each role is a typing.Protocol with the records it reads and writes; the SQL store implements
every one of them over one database.
"""

from __future__ import annotations

from typing import Protocol

from bot.ports.store.changes import ChangeLog, SourceRecord
from bot.ports.store.claims import JobClaim, JobClaims
from bot.ports.store.drafts import Drafts, StoredDraft
from bot.ports.store.ledger import LedgerEntry, OwedWrite, WriteLedger
from bot.ports.store.revisions import Revisions
from bot.ports.store.runs import SyncRun, SyncRuns
from bot.ports.store.sprints import Sprints

__all__ = [
    "ChangeLog",
    "Drafts",
    "JobClaim",
    "JobClaims",
    "LedgerEntry",
    "OwedWrite",
    "Revisions",
    "SourceRecord",
    "Sprints",
    "Store",
    "StoredDraft",
    "SyncRun",
    "SyncRuns",
    "WriteLedger",
]


class Store(ChangeLog, WriteLedger, Sprints, SyncRuns, Drafts, JobClaims, Revisions, Protocol):
    """The whole durable state: every role above, plus the schema's upkeep and closing."""

    def prepare(self, *, auto_upgrade: bool) -> None:
        """Create or upgrade the schema (auto_upgrade) or check it is current; refuse newer."""
        ...

    def upgrade(self) -> str:
        """Apply pending migrations; returns the revision now in place."""
        ...

    def schema_state(self) -> str:
        """`fresh`, `current`, `old` or `newer`; looks without creating or changing anything."""
        ...

    def close(self) -> None: ...
