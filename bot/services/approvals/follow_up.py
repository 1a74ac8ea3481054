"""What an approval owes, done exactly once: the approved-notes comment and label in Jira, then
the draft message showing the decision.

Taking the decision records the follow-up as a pending ledger entry in the same transaction
(`owed_follow_up`), so a process that stops right after the click leaves a trace: every sync
finishes the follow-ups still pending (`complete_pending`). The follow-up, the comment and the
label are each claimed in the ledger before anything is sent, and only the holder sends: five
clicks, two approvers or two replicas write one comment. A comment whose answer was lost is
looked for by its marker line on the next attempt, never posted again. The approver is named as
text (display name and Slack id), never as a Jira mention; the notes sit in a literal code block
(ADF on Cloud, {noformat} on Data Center).

Costs: a sync with nothing owed reads one ledger prefix; each owed follow-up reads its draft and
ticket key, then at most a comment list, a comment, a label and one Slack update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.document import CodeBlock, Document, Heading, Paragraph, Text
from bot.errors import BotError
from bot.ports.store import Drafts, OwedWrite, Sprints, StoredDraft, WriteLedger
from bot.ports.tracker import IssueTracker, Ticket
from bot.services.approvals.drafts import plain_notes

SERVICE = "jira"
APPROVED_LABEL = "release-notes-approved"
FOLLOW_UP_SERVICE = "release-train"
FOLLOW_UP_OPERATION = "approval-follow-up"


@dataclass(frozen=True, slots=True)
class Approver:
    """Who clicked: the Slack user id and the name Slack shows for them."""

    user_id: str
    name: str


@dataclass(frozen=True, slots=True)
class FollowUp:
    """How one approved version's follow-up stands after an attempt."""

    draft: StoredDraft
    ticket: Ticket | None
    done: bool
    problem: str | None = None  # why Jira is still to be updated (None when done or not ours)
    elsewhere: bool = False  # another sender holds it: its outcome is its own

    def jira_note(self) -> str | None:
        """What the draft message says about Jira while it is still to be updated."""
        if self.done or self.elsewhere or self.problem is None:
            return None
        return self.problem


def follow_up_key(train: str, sprint: str, version: int) -> str:
    """The ledger key of what approving one version owes."""
    return f"approval:{train}:{sprint}:v{version}"


def owed_follow_up(train: str, sprint: str, version: int) -> OwedWrite:
    """The follow-up an approval makes owed, to record with the decision."""
    return OwedWrite(
        key=follow_up_key(train, sprint, version),
        service=FOLLOW_UP_SERVICE,
        operation=FOLLOW_UP_OPERATION,
        request={"sprint": sprint, "version": version},
    )


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

    def write(self, ticket: Ticket, draft: StoredDraft, body: Document) -> bool:
        """Add the comment and the label unless the ledger says they are done; False when
        another sender holds one of them (it finishes it). Raises what Jira raised."""
        prefix = f"{SERVICE}:{self._train}:{ticket.key}"
        comment_key = f"{prefix}:approved-notes:{draft.sprint}:v{draft.version}"
        if not self._comment(ticket, draft, body, key=comment_key):
            return False
        return self._label(ticket, key=f"{prefix}:label:{APPROVED_LABEL}")

    def _comment(self, ticket: Ticket, draft: StoredDraft, body: Document, *, key: str) -> bool:
        entry = self._ledger.ledger_claim(
            key=key,
            service=SERVICE,
            operation="approved-notes-comment",
            request={"sprint": draft.sprint, "version": draft.version},
        )
        if not entry.held:
            return entry.state != "pending"
        with self._released_on_error(key):
            if entry.attempts > 1:
                # An earlier attempt may have been written without its answer: look first.
                marker = approval_marker(draft)
                found = next(
                    (c for c in self._tracker.comments(key=ticket.key) if marker in c.text), None
                )
                if found is not None:
                    self._ledger.ledger_complete(key=key, result={"comment_id": found.id})
                    return True
            comment = self._tracker.add_comment(key=ticket.key, body=body)
        self._ledger.ledger_complete(key=key, result={"comment_id": comment.id})
        return True

    def _label(self, ticket: Ticket, *, key: str) -> bool:
        entry = self._ledger.ledger_claim(
            key=key, service=SERVICE, operation="add-label", request={"label": APPROVED_LABEL}
        )
        if not entry.held:
            return entry.state != "pending"
        with self._released_on_error(key):
            # Adding a label the ticket already has changes nothing, so no read comes first.
            self._tracker.add_label(key=ticket.key, label=APPROVED_LABEL)
        self._ledger.ledger_complete(key=key, result={"label": APPROVED_LABEL})
        return True

    @contextmanager
    def _released_on_error(self, key: str) -> Iterator[None]:
        """Let go of the held write when the block raises, so the next attempt may take it."""
        try:
            yield
        except BaseException:
            self._ledger.ledger_release(key=key)
            raise


ShowDecision = Callable[[StoredDraft, Ticket | None, str | None], None]


class ApprovalFollowUps:
    """Finishes what approving a train's draft versions owes, each exactly once."""

    def __init__(
        self,
        *,
        train: str,
        tz: ZoneInfo,
        store: _FollowUpStore,
        writer: ApprovedNotesWriter | None,
        ticket_link: Callable[[str], str] | None,
        show: ShowDecision | None,
    ) -> None:
        self._train = train
        self._tz = tz
        self._store = store
        self._writer = writer  # None: the train keeps no Jira ticket
        self._ticket_link = ticket_link
        self._show = show  # None: no Slack to update from here

    @property
    def writes_jira(self) -> bool:
        """Whether an approval owes Jira anything (the train keeps a ticket)."""
        return self._writer is not None

    def ticket(self, sprint: str) -> Ticket | None:
        """The sprint's remembered Release Train ticket (one query; None without Jira)."""
        if self._ticket_link is None:
            return None
        key = self._store.ticket_key_named(train=self._train, sprint=sprint)
        return None if key is None else Ticket(key=key, url=self._ticket_link(key))

    def complete(self, draft: StoredDraft, *, approver: Approver | None = None) -> FollowUp:
        """Do what approving `draft` owes, unless another sender holds it or it is done."""
        key = follow_up_key(self._train, draft.sprint, draft.version)
        entry = self._store.ledger_claim(
            key=key,
            service=FOLLOW_UP_SERVICE,
            operation=FOLLOW_UP_OPERATION,
            request={"sprint": draft.sprint, "version": draft.version},
        )
        ticket = self.ticket(draft.sprint)
        if not entry.held:
            return FollowUp(draft, ticket, done=entry.state == "done", elsewhere=True)
        try:
            outcome = self._jira(draft, ticket, approver=approver)
            if self._show is not None and not outcome.elsewhere:
                self._show(draft, ticket, outcome.jira_note())
        except BaseException:
            self._store.ledger_release(key=key)
            raise
        if outcome.done:
            self._store.ledger_complete(key=key, result={"ticket": ticket.key if ticket else None})
        else:
            self._store.ledger_release(key=key)
        return outcome

    def complete_pending(self) -> list[FollowUp]:
        """Every follow-up of the train still owed (after a stop, a failure or a lost answer)."""
        done: list[FollowUp] = []
        for entry in self._store.ledger_entries(prefix=f"approval:{self._train}:"):
            if entry.state != "pending":
                continue
            draft = _draft_of(self._store, self._train, entry.request)
            if draft is None or draft.state != "approved":
                continue
            try:
                done.append(self.complete(draft))
            except BotError as exc:  # Slack could not show it: the next sync tries again
                done.append(FollowUp(draft, None, done=False, problem=str(exc)))
        return done

    def _jira(
        self, draft: StoredDraft, ticket: Ticket | None, *, approver: Approver | None
    ) -> FollowUp:
        if self._writer is None or draft.decided_at is None:
            return FollowUp(draft, ticket, done=True)
        if ticket is None:
            return FollowUp(
                draft,
                None,
                done=False,
                problem="no Release Train ticket is known for this sprint yet; the sync that "
                "finds or creates it adds the approved notes",
            )
        who = approver or Approver(user_id=draft.decided_by or "", name=draft.decision_note or "")
        body = build_approved_comment(
            draft,
            approver=who,
            at=draft.decided_at,
            tz=self._tz,
            notes=plain_notes(draft.content, draft.fmt),
        )
        try:
            written = self._writer.write(ticket, draft, body)
        except BotError as exc:
            return FollowUp(
                draft,
                ticket,
                done=False,
                problem=f"Jira is still to be updated ({exc}); the next sync adds the approved "
                f"notes to {ticket.key}",
            )
        return FollowUp(draft, ticket, done=written, elsewhere=not written)


class _FollowUpStore(Drafts, Sprints, WriteLedger, Protocol):
    """The store roles the follow-ups read and write."""


def _draft_of(store: Drafts, train: str, request: Mapping[str, object]) -> StoredDraft | None:
    sprint, version = request.get("sprint"), request.get("version")
    if not isinstance(sprint, str) or not isinstance(version, int):
        return None
    return store.get_draft(train=train, sprint=sprint, version=version)
