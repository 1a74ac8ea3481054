"""The Release Train ticket's summary comment: its content, and keeping the one comment current.

The comment opens with the heading "Release Train — <sprint name>" and the fixed line
SUMMARY_MARKER, by which the bot finds its comment again when its own record of it is missing
(`is_summary_comment` looks for that line in the comment's plain text, which both Jira
deployments give back unescaped). Everything that comes from outside (titles, URLs, violation
messages, approvers) sits in Text or Link nodes, which trackers write as literal text. The
content depends only on the recorded changes and the draft state, never on the time it is built,
so `document_hash` changes exactly when the comment must be rewritten; it changes with the
counts, so every new change rewrites the comment once.

`SummaryComment` writes it. Its ledger entries (`summary:<n>` under the ticket's prefix) number
every write; the latest done one says which comment holds which content. A pending latest write
is reconciled before anything is sent: a lost add is looked for by the marker (found, it is
adopted with the content it carried; not found, it is sent again under the same key), and a
lost update is simply sent again, since it rewrites the whole comment. While the ledger knows no
comment, the comments are read once, so a comment made by an earlier store is adopted rather
than doubled. A comment someone deleted is noticed when its update answers 404 and is added anew.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC

from bot.domain.document import BulletList, Document, Heading, Inline, Link, Paragraph, Text
from bot.domain.model import DraftState, RecordedChange
from bot.domain.planner import AddSummary, SummaryState, UpdateSummary, summary_key, ticket_prefix
from bot.errors import TicketNotFoundError
from bot.ports.store import LedgerEntry, WriteLedger
from bot.ports.tracker import IssueTracker, Ticket, TrackerComment
from bot.services.tickets.find import SERVICE, Tally
from bot.services.views.report import count_classes

SUMMARY_MARKER = "This comment is kept up to date by release-train; edits to it are overwritten."
# A Jira comment holds at most 32,767 characters; a long list of violations is cut short.
VIOLATIONS_SHOWN = 50


def build_summary(
    *, sprint_name: str, changes: Sequence[RecordedChange], draft: DraftState
) -> Document:
    """The summary comment for a sprint's recorded changes and its release-notes draft."""
    counts = count_classes(changes)
    return Document(
        blocks=(
            Heading(f"Release Train — {sprint_name}", level=3),
            Paragraph((Text(SUMMARY_MARKER),)),
            Paragraph((Text("Changes: ", strong=True), Text(str(len(changes))))),
            BulletList(tuple((Text(f"{name}: {count}"),) for name, count in counts.items())),
            *_carried(sprint_name, changes),
            *_violations(changes),
            Paragraph((Text("Release notes: ", strong=True), Text(_draft_line(draft)))),
        )
    )


def document_hash(document: Document) -> str:
    """A stable hash of the document's content (its dataclass representation)."""
    return hashlib.sha256(repr(document).encode("utf-8")).hexdigest()


def is_summary_comment(text: str) -> bool:
    """Whether a comment's plain text is the bot's summary comment."""
    return SUMMARY_MARKER in text


def _carried(sprint_name: str, changes: Sequence[RecordedChange]) -> tuple[Paragraph, ...]:
    """One line per closed sprint whose changes this ticket took over."""
    counts = Counter(rc.sprint for rc in changes if rc.sprint != sprint_name)
    return tuple(
        Paragraph((Text(f"Carried over from {name}: ", strong=True), Text(str(count))))
        for name, count in sorted(counts.items())
    )


def _violations(changes: Sequence[RecordedChange]) -> tuple[Paragraph | BulletList, ...]:
    broken = [rc for rc in changes if rc.classification.counts_as_violation]
    waived = [rc for rc in changes if rc.classification.violation and rc.classification.waiver]
    blocks: tuple[Paragraph | BulletList, ...]
    if not broken:
        blocks = (Paragraph((Text("Policy violations: ", strong=True), Text("none"))),)
    else:
        items = tuple(_violation_item(rc) for rc in broken[:VIOLATIONS_SHOWN])
        if len(broken) > VIOLATIONS_SHOWN:
            more = len(broken) - VIOLATIONS_SHOWN
            items += ((Text(f"… and {more} more (release-train status lists them all)"),),)
        heading = Paragraph((Text("Policy violations: ", strong=True), Text(str(len(broken)))))
        blocks = (heading, BulletList(items))
    if waived:
        items = tuple(_waived_item(rc) for rc in waived[:VIOLATIONS_SHOWN])
        if len(waived) > VIOLATIONS_SHOWN:
            more = len(waived) - VIOLATIONS_SHOWN
            items += ((Text(f"… and {more} more (release-train status lists them all)"),),)
        heading = Paragraph((Text("Waived: ", strong=True), Text(str(len(waived)))))
        blocks += (heading, BulletList(items))
    return blocks


def _waived_item(rc: RecordedChange) -> tuple[Inline, ...]:
    waiver = rc.classification.waiver
    reason = waiver.reason if waiver is not None else ""
    return (*_violation_item(rc), Text(f" (waived: {reason})"))


def _violation_item(rc: RecordedChange) -> tuple[Inline, ...]:
    name = f"[{rc.change.source}] {rc.change.title}"
    named: Inline = Link(name, rc.change.url) if rc.change.url else Text(name)
    return (named, Text(f" — {rc.classification.violation}"))


def _draft_line(draft: DraftState) -> str:
    version = f"version {draft.version}" if draft.version is not None else "the draft"
    if draft.state == "pending":
        return f"{version} awaits approval"
    if draft.state == "approved":
        who = f" by {draft.approved_by}" if draft.approved_by else ""
        at = draft.approved_at.astimezone(UTC) if draft.approved_at else None
        when = f" on {at:%Y-%m-%d %H:%M} UTC" if at else ""
        return f"{version} approved{who}{when}"
    if draft.state == "changes_requested":
        return f"changes requested to {version}"
    return "no draft yet"


class SummaryComment:
    """Keeps one summary comment per ticket, through the tracker and the ledger."""

    def __init__(self, *, train: str, tracker: IssueTracker, store: WriteLedger) -> None:
        self._train = train
        self._tracker = tracker
        self._store = store

    def state(
        self,
        ticket: Ticket,
        entries: Mapping[int, LedgerEntry],
        tally: Tally,
        *,
        dry_run: bool,
    ) -> SummaryState:
        """The comment's state from its numbered ledger entries, reconciled with the ticket."""
        state, pending = _recorded_state(entries)
        if pending is not None and pending.request.get("op") == "update":
            # Whether the lost update landed cannot be told from the text: send it again.
            return SummaryState(state.comment_id, None, state.next_number)
        if state.comment_id is not None:
            return state
        found = self._find(ticket, tally)
        if found is None:
            return state
        if pending is None:
            # A comment the ledger does not know (an earlier store's): adopt and rewrite it.
            return SummaryState(found.id, None, state.next_number)
        # The add whose answer was lost did happen, with the content it carried.
        sent = pending.request.get("hash")
        if not dry_run:
            self._store.ledger_complete(
                key=pending.key, result={"comment_id": found.id, "hash": sent}
            )
        return SummaryState(
            found.id, sent if isinstance(sent, str) else None, state.next_number + 1
        )

    def add(self, ticket: Ticket, write: AddSummary, tally: Tally) -> bool:
        """Add the comment, recorded under the write's key before and after; False when
        another sync holds (or just made) this write, which is then left to it."""
        if not self._claim(write.key, {"op": "add", "hash": write.content_hash}):
            return False
        comment = self._tracker.add_comment(key=ticket.key, body=write.body)
        tally.writes += 1
        self._store.ledger_complete(
            key=write.key, result={"comment_id": comment.id, "hash": write.content_hash}
        )
        return True

    def update(self, ticket: Ticket, write: UpdateSummary, tally: Tally) -> bool:
        """Rewrite the comment in place; add it anew when someone deleted it. False when
        another sync holds (or just made) this write, which is then left to it."""
        request = {"op": "update", "comment_id": write.comment_id, "hash": write.content_hash}
        if not self._claim(write.key, request):
            return False
        try:
            self._tracker.update_comment(
                key=ticket.key, comment_id=write.comment_id, body=write.body
            )
        except TicketNotFoundError:
            if self._exists(ticket, write.comment_id, tally):
                raise
            self._store.ledger_complete(key=write.key, result={"comment_id": None, "hash": None})
            number = int(write.key.rsplit(":", 1)[1]) + 1
            key = summary_key(ticket_prefix(self._train, ticket.key), number)
            return self.add(ticket, AddSummary(key, write.body, write.content_hash), tally)
        tally.writes += 1
        self._store.ledger_complete(
            key=write.key, result={"comment_id": write.comment_id, "hash": write.content_hash}
        )
        return True

    def _find(self, ticket: Ticket, tally: Tally) -> TrackerComment | None:
        tally.reads += 1
        comments = self._tracker.comments(key=ticket.key)
        return next((c for c in comments if is_summary_comment(c.text)), None)

    def _exists(self, ticket: Ticket, comment_id: str, tally: Tally) -> bool:
        tally.reads += 1
        return any(c.id == comment_id for c in self._tracker.comments(key=ticket.key))

    def _claim(self, key: str, request: Mapping[str, object]) -> bool:
        """Whether this sync holds the write: a comment is never sent by two syncs."""
        return self._store.ledger_claim(
            key=key, service=SERVICE, operation="summary-comment", request=request
        ).held


def _recorded_state(entries: Mapping[int, LedgerEntry]) -> tuple[SummaryState, LedgerEntry | None]:
    """The comment as the latest done write left it; a pending latest write is reused."""
    if not entries:
        return SummaryState(), None
    latest = max(entries)
    done = [entries[n] for n in sorted(entries) if entries[n].state == "done"]
    result = (done[-1].result or {}) if done else {}
    comment_id, content_hash = result.get("comment_id"), result.get("hash")
    pending = entries[latest] if entries[latest].state == "pending" else None
    state = SummaryState(
        comment_id=comment_id if isinstance(comment_id, str) else None,
        content_hash=content_hash if isinstance(content_hash, str) else None,
        next_number=latest if pending is not None else latest + 1,
    )
    return state, pending
