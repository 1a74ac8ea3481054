"""In-memory store roles for fast service tests: the drafts, the write ledger, the sprints' tickets
and the changes as attaching reads them, stateful and with the semantics the ports promise (a
decision is a compare-and-set, a pending ledger entry is held by one holder at a time).

One object plays every role a service names; `holder` makes two of them over the same `state`
behave like two processes sharing one database (a write held by one is not held by the other).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.domain.model import DraftState, RecordedChange, ReleaseClass, Sprint
from bot.ports.store import LedgerEntry, OwedWrite, StoredDraft


@dataclass
class MemoryState:
    """What the in-memory stores share, like the tables of one database."""

    drafts: dict[tuple[str, str, int], StoredDraft] = field(default_factory=dict)
    ledger: dict[str, LedgerEntry] = field(default_factory=dict)
    holders: dict[str, str | None] = field(default_factory=dict)  # key -> holder of a pending one
    tickets: dict[tuple[str, str], str] = field(default_factory=dict)  # (train, sprint) -> key
    sprints: dict[tuple[str, str], Sprint] = field(default_factory=dict)
    changes: dict[tuple[str, str], list[RecordedChange]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class MemoryStore:
    """The Drafts, WriteLedger and Sprints roles, and what attaching and approving read of the
    ChangeLog (the sprint's changes, their class counts, marking them attached), in memory."""

    def __init__(self, state: MemoryState | None = None, *, holder: str = "one") -> None:
        self.state = state or MemoryState()
        self.holder = holder

    def close(self) -> None:
        """Nothing to let go of: the state lives as long as the test keeps it."""

    # Drafts ------------------------------------------------------------------------------

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
        digest = hashlib.sha256(content.encode()).hexdigest()
        with self.state.lock:
            latest = self._latest(train, sprint)
            if latest is not None and latest.content_hash == digest:
                return latest
            draft = StoredDraft(
                train=train,
                sprint=sprint,
                version=1 if latest is None else latest.version + 1,
                content=content,
                content_hash=digest,
                state="pending",
                created_by=created_by,
                created_at=created_at,
                decided_by=None,
                decided_at=None,
                fmt=fmt,
                edited=edited,
            )
            self.state.drafts[(train, sprint, draft.version)] = draft
            return draft

    def get_draft(self, *, train: str, sprint: str, version: int) -> StoredDraft | None:
        return self.state.drafts.get((train, sprint, version))

    def latest_draft(self, *, train: str, sprint: str) -> StoredDraft | None:
        with self.state.lock:
            return self._latest(train, sprint)

    def list_drafts(self, *, train: str, sprint: str) -> list[StoredDraft]:
        return sorted(
            (d for (t, s, _), d in self.state.drafts.items() if (t, s) == (train, sprint)),
            key=lambda d: d.version,
        )

    def set_draft_posted(
        self, *, train: str, sprint: str, version: int, channel: str, ts: str
    ) -> None:
        with self.state.lock:
            key = (train, sprint, version)
            self.state.drafts[key] = replace(
                self.state.drafts[key], posted_channel=channel, posted_ts=ts
            )

    def supersede_drafts(self, *, train: str, sprint: str, below: int) -> list[StoredDraft]:
        changed = []
        with self.state.lock:
            for key, draft in sorted(self.state.drafts.items()):
                if (
                    key[:2] == (train, sprint)
                    and draft.version < below
                    and draft.state == "pending"
                ):
                    self.state.drafts[key] = replace(draft, state="superseded")
                    changed.append(self.state.drafts[key])
        return changed

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
        with self.state.lock:
            latest = self._latest(train, sprint)
            if latest is None:
                raise LookupError(f"there is no release-notes draft for {train} {sprint}")
            if latest.version != version or latest.state != "pending":
                return False, latest
            decided = replace(
                latest, state=decision, decided_by=user, decided_at=at, decision_note=note
            )
            self.state.drafts[(train, sprint, version)] = decided
            if owed is not None:
                self._insert(owed.key, owed.service, owed.operation, owed.request)
            return True, decided

    def draft_state(self, *, train: str, sprint: str) -> DraftState:
        latest = self.latest_draft(train=train, sprint=sprint)
        if latest is None:
            return DraftState()
        approved = latest.state == "approved"
        return DraftState(
            version=latest.version,
            state=latest.state,
            approved_by=latest.decided_by if approved else None,
            approved_at=latest.decided_at if approved else None,
        )

    def _latest(self, train: str, sprint: str) -> StoredDraft | None:
        mine = [d for (t, s, _), d in self.state.drafts.items() if (t, s) == (train, sprint)]
        return max(mine, key=lambda d: d.version, default=None)

    # WriteLedger ---------------------------------------------------------------------------

    def ledger_claim(
        self, *, key: str, service: str, operation: str, request: Mapping[str, Any]
    ) -> LedgerEntry:
        with self.state.lock:
            if self._insert(key, service, operation, request):
                return replace(self.state.ledger[key], held=True)
            entry = self.state.ledger[key]
            holder = self.state.holders.get(key)
            if entry.state != "pending" or holder not in (None, self.holder):
                return entry
            entry = replace(entry, attempts=entry.attempts + 1)
            self.state.ledger[key] = entry
            self.state.holders[key] = self.holder
            return replace(entry, held=True)

    def ledger_complete(self, *, key: str, result: Mapping[str, Any]) -> None:
        self._settle(key, state="done", result=dict(result))

    def ledger_fail(self, *, key: str, error: str) -> None:
        self._settle(key, state="failed", result=None)

    def ledger_release(self, *, key: str) -> None:
        with self.state.lock:
            if self.state.ledger[key].state == "pending":
                self.state.holders[key] = None

    def ledger_get(self, *, key: str) -> LedgerEntry | None:
        return self.state.ledger.get(key)

    def ledger_entries(self, *, prefix: str) -> list[LedgerEntry]:
        return [e for k, e in self.state.ledger.items() if k.startswith(prefix)]

    def _insert(self, key: str, service: str, operation: str, request: Mapping[str, Any]) -> bool:
        if key in self.state.ledger:
            return False
        self.state.ledger[key] = LedgerEntry(
            key=key,
            service=service,
            operation=operation,
            state="pending",
            request=dict(request),
            result=None,
            attempts=1,
        )
        self.state.holders[key] = self.holder
        return True

    def _settle(self, key: str, *, state: str, result: dict[str, Any] | None) -> None:
        with self.state.lock:
            self.state.ledger[key] = replace(self.state.ledger[key], state=state, result=result)
            self.state.holders[key] = None

    # Sprints and the changes' counts ---------------------------------------------------------

    def ticket_key_named(self, *, train: str, sprint: str) -> str | None:
        return self.state.tickets.get((train, sprint))

    def get_ticket_key(self, *, train: str, sprint: Sprint) -> str | None:
        return self.state.tickets.get((train, sprint.name))

    def set_ticket_key(self, *, train: str, sprint: Sprint, key: str) -> None:
        self.state.sprints.setdefault((train, sprint.name), sprint)
        self.state.tickets[(train, sprint.name)] = key

    def save_sprint(self, *, train: str, sprint: Sprint) -> None:
        self.state.sprints[(train, sprint.name)] = sprint

    def list_sprints(self, *, train: str) -> list[Sprint]:
        mine = [s for (t, _), s in self.state.sprints.items() if t == train]
        return sorted(mine, key=lambda s: (s.start, s.name))

    def record_batch(
        self,
        *,
        train: str,
        source: str,
        cursor: str | None,
        changes: Sequence[RecordedChange],
        run_id: int | None,
    ) -> list[str]:
        """Record the changes not yet recorded, each in its sprint; the ids newly recorded."""
        known = {
            rc.change.id
            for (t, _), found in self.state.changes.items()
            if t == train
            for rc in found
        }
        fresh = [rc for rc in changes if rc.change.id not in known]
        for rc in fresh:
            self.state.changes.setdefault((train, rc.sprint), []).append(rc)
        return [rc.change.id for rc in fresh]

    def class_counts(self, *, train: str, sprint: str) -> dict[str, int]:
        counted = {rc.value: 0 for rc in ReleaseClass}
        for change in self.state.changes.get((train, sprint), []):
            counted[change.classification.release_class.value] += 1
        return counted

    def latest_sprint(self, *, train: str) -> str | None:
        found = [rc for (t, _), rcs in self.state.changes.items() if t == train for rc in rcs]
        if not found:
            return None
        return max(found, key=lambda rc: (rc.change.merged_at, rc.change.id)).sprint

    def changes_for_sprint(
        self, *, train: str, sprint: str, details: bool = True
    ) -> list[RecordedChange]:
        found = self.state.changes.get((train, sprint), [])
        return sorted(found, key=lambda rc: (rc.change.merged_at, rc.change.id))

    def mark_attached(self, *, train: str, change_id: str, attached: bool) -> None:
        for (t, sprint), found in self.state.changes.items():
            if t == train:
                self.state.changes[(t, sprint)] = [
                    replace(rc, attached=attached) if rc.change.id == change_id else rc
                    for rc in found
                ]
