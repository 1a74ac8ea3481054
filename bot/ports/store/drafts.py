"""The drafts role: versions of a sprint's release notes and the decisions taken on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.model import DraftState
from bot.ports.store.ledger import OwedWrite


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """One version of a sprint's release notes, with where it was posted and how it was decided."""

    train: str
    sprint: str
    version: int
    content: str
    content_hash: str
    state: str  # pending | approved | changes_requested | superseded
    created_by: str | None
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    fmt: str = "text"  # how `content` is written, as the caller named it ("text" if not named)
    edited: bool = False  # written by a person (created_by) rather than rendered
    posted_channel: str | None = None
    posted_ts: str | None = None
    decision_note: str | None = None  # what the decider said: a reason, or their name


class Drafts(Protocol):
    """Versions of a sprint's release notes and the decisions taken on them (the audit trail).

    Versions count from 1 per (train, sprint). Only the sprint's newest version, and only
    while it is `pending`, can be decided; older pending ones become `superseded` when the
    caller retires them (after posting the newer one).
    """

    def add_draft(
        self,
        *,
        train: str,
        sprint: str,
        content: str,
        created_by: str | None,
        created_at: datetime,
        fmt: str = "text",
        edited: bool = False,
    ) -> StoredDraft:
        """Store a new version, numbered after the newest; unchanged content stores nothing.

        When the newest version holds the same content (by hash), that version is returned as
        it is: its `posted_ts` tells whether it still has to be posted. Writers racing on one
        sprint each get a distinct number (or the same version, for the same content).
        """
        ...

    def get_draft(self, *, train: str, sprint: str, version: int) -> StoredDraft | None: ...

    def latest_draft(self, *, train: str, sprint: str) -> StoredDraft | None: ...

    def list_drafts(self, *, train: str, sprint: str) -> list[StoredDraft]:
        """Every version of the sprint's notes, oldest first."""
        ...

    def set_draft_posted(
        self, *, train: str, sprint: str, version: int, channel: str, ts: str
    ) -> None:
        """Remember where the version's message is (channel id and message ts)."""
        ...

    def supersede_drafts(self, *, train: str, sprint: str, below: int) -> list[StoredDraft]:
        """Turn the pending versions numbered below `below` into `superseded`.

        Returns the versions this call changed (as they are now), oldest first: when replicas
        race, each version is returned to exactly one of them, so one updates its message.
        """
        ...

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
        owed: OwedWrite | None = None,
    ) -> tuple[bool, StoredDraft]:
        """Compare-and-set a decision (`approved` or `changes_requested`) on a pending version.

        Succeeds only for the sprint's newest version while it is pending: returns (True, that
        version decided). Otherwise nothing changes and it returns (False, the sprint's newest
        version as it stands): decided by someone else (`decided_by`, `decided_at`), or newer
        than the version clicked. Five identical clicks at once make one transition. `note`
        (a reason, or the approver's name) is kept on the version and in the decisions trail.
        `owed`, when the decision is taken, is recorded in the write ledger as pending (held by
        this store) in the same transaction. LookupError when the sprint has no version at all.
        """
        ...

    def draft_state(self, *, train: str, sprint: str) -> DraftState:
        """The state of the sprint's newest version (for reports and the summary comment)."""
        ...
