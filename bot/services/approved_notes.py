"""The Jira side of an approval: one comment holding the approved notes, and the label.

Both writes go through the write ledger under keys naming the ticket, sprint and version, so a
second click, a retry or another replica never writes them twice. A comment whose answer was
lost (the entry is still pending when it is claimed again) is looked for by its marker line
before it is sent again. The approver is named as text (display name and Slack id), never as a
Jira mention; the notes sit in a literal code block (ADF on Cloud, {noformat} on Data Center).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.document import CodeBlock, Document, Heading, Paragraph, Text
from bot.ports import IssueTracker, StoredDraft, Ticket, WriteLedger

SERVICE = "jira"
APPROVED_LABEL = "release-notes-approved"


@dataclass(frozen=True, slots=True)
class Approver:
    """Who clicked: the Slack user id and the name Slack shows for them."""

    user_id: str
    name: str


def approval_marker(draft: StoredDraft) -> str:
    """The line by which the bot finds its approved-notes comment again."""
    return (
        f"Release notes approved in Slack: train {draft.train}, {draft.sprint}, "
        f"version {draft.version} (release-train)"
    )


def build_approved_comment(
    draft: StoredDraft, *, approver: Approver, at: datetime, tz: ZoneInfo, notes: str
) -> Document:
    """The comment: heading, marker, who approved and when (as text), then the notes."""
    when = at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    return Document(
        blocks=(
            Heading(f"Release notes approved — {draft.sprint}", level=3),
            Paragraph((Text(approval_marker(draft)),)),
            Paragraph(
                (
                    Text("Approved by: ", strong=True),
                    Text(f"{approver.name} (Slack user {approver.user_id}) on {when} {tz.key}"),
                )
            ),
            CodeBlock(notes),
        )
    )


class ApprovedNotesWriter:
    """Writes an approved version's comment and label to the sprint's ticket, once each."""

    def __init__(self, *, train: str, tracker: IssueTracker, ledger: WriteLedger) -> None:
        self._train = train
        self._tracker = tracker
        self._ledger = ledger

    def write(self, ticket: Ticket, draft: StoredDraft, body: Document) -> None:
        """Add the comment and the label unless the ledger says they are done."""
        prefix = f"{SERVICE}:{self._train}:{ticket.key}"
        comment_key = f"{prefix}:approved-notes:{draft.sprint}:v{draft.version}"
        if not self._done(comment_key):
            self._comment(ticket, draft, body, key=comment_key)
        label_key = f"{prefix}:label:{APPROVED_LABEL}"
        if not self._done(label_key):
            self._ledger.ledger_claim(
                key=label_key,
                service=SERVICE,
                operation="add-label",
                request={"label": APPROVED_LABEL},
            )
            # Adding a label the ticket already has changes nothing, so no read comes first.
            self._tracker.add_label(key=ticket.key, label=APPROVED_LABEL)
            self._ledger.ledger_complete(key=label_key, result={"label": APPROVED_LABEL})

    def _comment(self, ticket: Ticket, draft: StoredDraft, body: Document, *, key: str) -> None:
        entry = self._ledger.ledger_claim(
            key=key,
            service=SERVICE,
            operation="approved-notes-comment",
            request={"sprint": draft.sprint, "version": draft.version},
        )
        if entry.attempts > 1:
            marker = approval_marker(draft)
            found = next(
                (c for c in self._tracker.comments(key=ticket.key) if marker in c.text), None
            )
            if found is not None:
                self._ledger.ledger_complete(key=key, result={"comment_id": found.id})
                return
        comment = self._tracker.add_comment(key=ticket.key, body=body)
        self._ledger.ledger_complete(key=key, result={"comment_id": comment.id})

    def _done(self, key: str) -> bool:
        entry = self._ledger.ledger_get(key=key)
        return entry is not None and entry.state == "done"
