"""The revisions role: a counter per train that moves with every write a view of the train reads.

Whatever is computed from a train's changes, decisions and ticket (status, notes, App Home)
stays true while the counter stands still, on every replica, since the counter lives in the
database and moves in the transaction of the write. Reading it is one primary-key lookup.
"""

from __future__ import annotations

from typing import Protocol


class Revisions(Protocol):
    """The store revision of each train."""

    def store_revision(self, *, train: str) -> int:
        """The train's revision: 0 before its first write, then one more for each recorded
        change batch, revert pair, attachment, draft version, posting, decision, sprint or
        ticket written."""
        ...
