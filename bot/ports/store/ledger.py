"""The write ledger role: every external write claimed under its idempotency key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


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
    # From ledger_claim only: this caller holds the pending write and may send it now.
    held: bool = False


@dataclass(frozen=True, slots=True)
class OwedWrite:
    """A write that a state change makes owed, recorded as pending in the ledger together with
    that change (in one transaction), so it is finished later even if the process stops."""

    key: str
    service: str
    operation: str
    request: Mapping[str, Any]


class WriteLedger(Protocol):
    """The ledger of external writes: each claimed under its idempotency key before it is sent."""

    def ledger_claim(
        self, *, key: str, service: str, operation: str, request: Mapping[str, Any]
    ) -> LedgerEntry:
        """Claim a write before sending it: returns its entry, `held` when the caller may send it.

        A new key is recorded as pending and held. A pending entry is held again (another
        attempt counted) by the store that holds it, or when its holder is gone: lease expired,
        process ended, store closed. While another live process holds it, or another thread
        of the same store is sending it, `held` is False: the caller must not send it (that
        sender's outcome is read back later). A done or failed entry is returned as it is, not
        held. Of processes or threads racing, one holds it.
        """
        ...

    def ledger_complete(self, *, key: str, result: Mapping[str, Any]) -> None: ...

    def ledger_fail(self, *, key: str, error: str) -> None: ...

    def ledger_release(self, *, key: str) -> None:
        """Let go of a held pending write without an outcome (it failed in a way worth trying
        again): anyone may claim it at once, and that claim counts another attempt."""
        ...

    def ledger_get(self, *, key: str) -> LedgerEntry | None: ...

    def ledger_entries(self, *, prefix: str) -> list[LedgerEntry]:
        """Every entry whose key starts with `prefix` (exactly, case included), oldest first."""
        ...
