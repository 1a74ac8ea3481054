"""Puts a sprint's recorded changes on its Release Train ticket and keeps its summary current.

One run: find the ticket (TicketService); read its remote links once, which also proves the
ticket can be read; read the ledger's record of earlier writes to it; reconcile what an earlier
run left unfinished; plan (`bot.domain.planner.plan_attach`); then send the writes one at a time,
each claimed in the ledger before it is sent and completed after. Writes go out sequentially, so
the one ticket sees one write at a time (the tracker waits out 429s as Jira asks).

Reconciling before writing again, so no write whose answer was lost is repeated blindly:
- remote links: the one read of the ticket's links shows what happened (upserts by globalId);
- the summary comment: while the ledger knows no comment, the ticket's comments are read and the
  bot's marker line identifies its comment, which is adopted rather than added twice; an update
  whose outcome is unknown is simply sent again (it rewrites the whole comment);
- issue links: the ticket's linked issues are read once when an issue link is pending.
A write whose ledger claim another live sync holds (two syncs at once, or replicas) is not sent:
it is left to that sync, whose outcome the next sync reads back, and a notice says so.

Carried over: a sprint that closed without a ticket of its own (none remembered, none found;
none is created for a closed sprint, which Jira would not take issues into) leaves its
unattached changes for the current sprint's ticket, one ledger entry each
(`jira:<train>:carry:<change id>`). The current sprint's run adopts the waiting entries (the
entry then names its ticket), attaches those changes with its own, and its summary comment counts
them under "Carried over from <sprint>".

Failures: AuthError stops the writes at once and is re-raised. A ticket that answers 404 is
reported by name (TicketNotFoundError) and never replaced. An issue that a change names but Jira
does not know is recorded as refused and not tried again. Any other failure leaves its write
pending in the ledger and the run goes on; after `max_failures` failures, or at once when Jira
keeps throttling, the remaining writes wait for the next sync. A change is attached when every
write it needs (its remote link, its issue links) is done; the others stay queued.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.domain.model import RecordedChange, Sprint
from bot.domain.planner import (
    GLOBAL_ID_PREFIX,
    AddSummary,
    AttachPlan,
    LinkIssue,
    LinkObject,
    PlannedWrite,
    PutRemoteLink,
    describe,
    plan_attach,
    ticket_prefix,
)
from bot.errors import AuthError, BotError, RateLimitedError, TicketNotFoundError
from bot.ports.store import ChangeLog, Drafts, LedgerEntry, WriteLedger
from bot.ports.tracker import IssueTracker, RemoteLink, Ticket
from bot.services.tickets.find import SERVICE, Tally, TicketService
from bot.services.tickets.summary import SummaryComment, build_summary, document_hash


@dataclass(slots=True)
class AttachResult:
    """What one run did (or, in a dry run, would do) to the sprint's ticket."""

    ticket: Ticket | None
    dry_run: bool
    planned: list[str] = field(default_factory=list)
    writes: int = 0
    reads: int = 0
    attached: int = 0
    queued: int = 0
    notices: list[str] = field(default_factory=list)
    failure: BotError | None = None  # the first failure that left writes for the next sync


@dataclass(frozen=True, slots=True)
class _Book:
    """The ledger's record of earlier writes to one ticket."""

    summaries: Mapping[int, LedgerEntry]  # the summary comment's writes, by number
    settled_issues: frozenset[str]
    pending_issues: Mapping[str, LedgerEntry]
    pending_links: tuple[LedgerEntry, ...]


class AttachService:
    """Attaches one train's sprints to their tickets through the IssueTracker port."""

    def __init__(
        self,
        *,
        train: str,
        tracker: IssueTracker,
        store: _AttachStore,
        tickets: TicketService,
        link_referenced_issues: bool,
        link_type: str = "Relates",
        max_failures: int = 3,
    ) -> None:
        self._train = train
        self._tracker = tracker
        self._store = store
        self._tickets = tickets
        self._link_issues = link_referenced_issues
        self._link_type = link_type
        self._max_failures = max_failures
        self._comment = SummaryComment(train=train, tracker=tracker, store=store)

    def run(
        self,
        *,
        sprint: Sprint,
        dry_run: bool,
        current: bool = False,
        pending: Sequence[RecordedChange] = (),
    ) -> AttachResult:
        """Attach the sprint's recorded changes and refresh the summary (dry run: plan only);
        the `current` sprint's ticket also takes the changes carried over from closed sprints.
        `pending` are a dry run's gathered changes, not recorded, planned as if they were."""
        tally = Tally()
        ticket = self._tickets.ticket_for(sprint, dry_run=dry_run, tally=tally)
        result = AttachResult(ticket=ticket, dry_run=dry_run)
        if ticket is not None:
            self._attach(
                ticket, sprint, tally=tally, result=result, current=current, pending=pending
            )
        elif sprint.state == "closed":
            self._carry(sprint, tally=tally, dry_run=dry_run)
        result.reads += tally.reads
        result.writes += tally.writes
        result.notices = [*tally.notices, *result.notices]
        return result

    def _attach(
        self,
        ticket: Ticket,
        sprint: Sprint,
        *,
        tally: Tally,
        result: AttachResult,
        current: bool,
        pending: Sequence[RecordedChange],
    ) -> None:
        changes = self._store.changes_for_sprint(
            train=self._train, sprint=sprint.name, details=False
        )
        if pending and result.dry_run:
            changes = _with_pending(changes, pending, sprint=sprint.name)
        if current:
            changes += self._carried(ticket, tally=tally, dry_run=result.dry_run)
        draft = self._store.draft_state(train=self._train, sprint=sprint.name)
        document = build_summary(sprint_name=sprint.name, changes=changes, draft=draft)
        on_ticket = self._read_links(ticket, sprint, tally)
        prefix = ticket_prefix(self._train, ticket.key)
        book = _read_book(self._store.ledger_entries(prefix=prefix), prefix=prefix)
        plan = plan_attach(
            ticket=ticket.key,
            prefix=prefix,
            changes=changes,
            links=on_ticket,
            linked=self._settled_issues(ticket, book, tally, dry_run=result.dry_run),
            summary=self._comment.state(ticket, book.summaries, tally, dry_run=result.dry_run),
            document=document,
            content_hash=document_hash(document),
            link_referenced_issues=self._link_issues,
        )
        result.planned = [describe(write, ticket=ticket.key) for write in plan.writes]
        if result.dry_run:
            return
        self._settle_links(book, on_ticket, plan)
        done = self._apply(ticket, plan, tally=tally, result=result)
        self._mark(changes, plan, done=done, result=result)

    def _carry(self, sprint: Sprint, *, tally: Tally, dry_run: bool) -> None:
        """Leave a closed sprint's unattached changes for the current sprint's ticket."""
        changes = self._store.changes_for_sprint(
            train=self._train, sprint=sprint.name, details=False
        )
        waiting = [rc for rc in changes if not rc.attached]
        if dry_run and waiting:
            tally.notices.append(
                f"would carry {len(waiting)} change(s) over from sprint '{sprint.name}', which "
                "closed without a Release Train ticket, to the current sprint's ticket"
            )
            return
        for rc in waiting:  # an entry already there (waiting or adopted) is left as it is
            self._claim(
                _carry_key(self._train, rc.change.id), "carry-over", {"sprint": sprint.name}
            )

    def _carried(self, ticket: Ticket, *, tally: Tally, dry_run: bool) -> list[RecordedChange]:
        """The changes carried over to this ticket; waiting ones are adopted now."""
        prefix = _carry_key(self._train, "")
        wanted: dict[str, set[str]] = {}
        adopted: dict[str, int] = {}
        for entry in self._store.ledger_entries(prefix=prefix):
            sprint = str(entry.request.get("sprint"))
            if entry.state == "pending":
                adopted[sprint] = adopted.get(sprint, 0) + 1
                if not dry_run:
                    self._store.ledger_complete(key=entry.key, result={"into": ticket.key})
            elif (entry.result or {}).get("into") != ticket.key:
                continue
            wanted.setdefault(sprint, set()).add(entry.key[len(prefix) :])
        verb = "would be carried" if dry_run else "carried"
        tally.notices.extend(
            f"{count} change(s) {verb} over from sprint '{sprint}', which closed without a "
            f"Release Train ticket, to {ticket.key}"
            for sprint, count in adopted.items()
        )
        return [
            rc
            for sprint, ids in wanted.items()
            for rc in self._store.changes_for_sprint(
                train=self._train, sprint=sprint, details=False
            )
            if rc.change.id in ids
        ]

    def _read_links(self, ticket: Ticket, sprint: Sprint, tally: Tally) -> dict[str, LinkObject]:
        tally.reads += 1
        which = f"the Release Train ticket of sprint '{sprint.name}' (train {self._train})"
        try:
            links = self._tracker.remote_links(key=ticket.key)
        except TicketNotFoundError:
            raise TicketNotFoundError(
                f"Jira ticket {ticket.key}, {which}, does not exist or the bot's Jira account "
                "cannot see it; the bot does not create another: restore it or give the account "
                "access."
            ) from None
        except AuthError as exc:
            # A 401 or 403: the message says which; the ticket is named, and never replaced.
            raise AuthError(f"{exc} ({ticket.key} is {which})") from None
        return {
            gid: LinkObject(global_id=gid, url=link.url, title=link.title, summary=link.summary)
            for gid, link in links.items()
            if gid.startswith(GLOBAL_ID_PREFIX)
        }

    def _settled_issues(
        self, ticket: Ticket, book: _Book, tally: Tally, *, dry_run: bool
    ) -> frozenset[str]:
        """Issue keys not to link again: done or refused, and pending ones Jira shows linked."""
        if not self._link_issues or not book.pending_issues:
            return book.settled_issues
        tally.reads += 1
        linked = self._tracker.linked_issue_keys(key=ticket.key)
        happened = {other for other in book.pending_issues if other in linked}
        if not dry_run:
            for other in sorted(happened):
                key = book.pending_issues[other].key
                self._store.ledger_complete(key=key, result={"observed": True})
        return book.settled_issues | happened

    def _settle_links(
        self, book: _Book, on_ticket: Mapping[str, LinkObject], plan: AttachPlan
    ) -> None:
        """Finish pending remote-link entries that the read shows, or that a newer one replaced."""
        planned = {write.key for write in plan.writes}
        for entry in book.pending_links:
            if entry.key in planned:
                continue  # sending it again finishes it
            request = entry.request
            sent = LinkObject(
                global_id=str(request.get("global_id")),
                url=str(request.get("url")),
                title=str(request.get("title")),
                summary=request.get("summary"),
            )
            if on_ticket.get(sent.global_id) == sent:
                self._store.ledger_complete(key=entry.key, result={"observed": True})
            else:
                self._store.ledger_fail(key=entry.key, error="superseded by a newer link")

    def _apply(
        self, ticket: Ticket, plan: AttachPlan, *, tally: Tally, result: AttachResult
    ) -> set[str]:
        """Send the writes in order; returns the keys of those done (or settled)."""
        done: set[str] = set()
        failures = 0
        for write in plan.writes:
            try:
                sent = self._apply_one(ticket, write, tally)
            except (AuthError, TicketNotFoundError):
                raise
            except BotError as exc:
                failures += 1
                result.failure = result.failure or exc
                result.notices.append(f"{describe(write, ticket=ticket.key)} failed: {exc}")
                if isinstance(exc, RateLimitedError) or failures >= self._max_failures:
                    result.notices.append("the remaining writes wait for the next sync")
                    break
                continue
            if sent:
                done.add(write.key)
            else:
                what = describe(write, ticket=ticket.key)
                result.notices.append(f"{what}: another sync is sending it; left to that sync")
        return done

    def _apply_one(self, ticket: Ticket, write: PlannedWrite, tally: Tally) -> bool:
        """Send one write; False when another sync holds its claim (it is left to that one)."""
        if isinstance(write, PutRemoteLink):
            return self._put_link(ticket, write, tally)
        if isinstance(write, LinkIssue):
            return self._link_issue(ticket, write, tally)
        if isinstance(write, AddSummary):
            return self._comment.add(ticket, write, tally)
        return self._comment.update(ticket, write, tally)

    def _put_link(self, ticket: Ticket, write: PutRemoteLink, tally: Tally) -> bool:
        link = write.link
        request = {
            "global_id": link.global_id,
            "url": link.url,
            "title": link.title,
            "summary": link.summary,
        }
        # Whatever the entry says, the link is not on the ticket as wanted: an upsert puts it,
        # unless another sync is putting it right now.
        if _sent_elsewhere(self._claim(write.key, "remote-link", request)):
            return False
        self._tracker.put_remote_link(
            key=ticket.key,
            link=RemoteLink(
                global_id=link.global_id, url=link.url, title=link.title, summary=link.summary
            ),
        )
        tally.writes += 1
        self._store.ledger_complete(key=write.key, result={"global_id": link.global_id})
        return True

    def _link_issue(self, ticket: Ticket, write: LinkIssue, tally: Tally) -> bool:
        entry = self._claim(write.key, "issue-link", {"other": write.other})
        if entry.state == "done":
            return True
        if _sent_elsewhere(entry):
            return False
        try:
            self._tracker.link_issues(key=ticket.key, other=write.other, link_type=self._link_type)
        except TicketNotFoundError as exc:
            # Most often text that only looks like an issue key ("UTF-8"): never tried again.
            self._store.ledger_fail(key=write.key, error=str(exc))
            tally.notices.append(
                f"{write.other}, named by {', '.join(write.change_ids)}, was not linked: {exc}"
            )
            return True
        tally.writes += 1
        self._store.ledger_complete(key=write.key, result={"other": write.other})
        return True

    def _claim(self, key: str, operation: str, request: Mapping[str, object]) -> LedgerEntry:
        return self._store.ledger_claim(
            key=key, service=SERVICE, operation=operation, request=request
        )

    def _mark(
        self,
        changes: Sequence[RecordedChange],
        plan: AttachPlan,
        *,
        done: set[str],
        result: AttachResult,
    ) -> None:
        """Record which changes are on the ticket; only changed flags are written."""
        for rc in changes:
            attached = all(key in done for key in plan.needs.get(rc.change.id, ()))
            if attached != rc.attached:
                self._store.mark_attached(
                    train=self._train, change_id=rc.change.id, attached=attached
                )
            result.attached += attached
            result.queued += not attached


def _sent_elsewhere(entry: LedgerEntry) -> bool:
    """Whether another live sync holds this pending write: it must not be sent twice."""
    return entry.state == "pending" and not entry.held


def _carry_key(train: str, change_id: str) -> str:
    return f"jira:{train}:carry:{change_id}"


def _read_book(entries: Sequence[LedgerEntry], *, prefix: str) -> _Book:
    summaries: dict[int, LedgerEntry] = {}
    settled: set[str] = set()
    pending_issues: dict[str, LedgerEntry] = {}
    pending_links: list[LedgerEntry] = []
    for entry in entries:
        kind, _, rest = entry.key[len(prefix) :].partition(":")
        if kind == "summary" and rest.isdigit():
            summaries[int(rest)] = entry
        elif kind == "issue-link" and entry.state == "pending":
            pending_issues[rest] = entry
        elif kind == "issue-link":
            settled.add(rest)
        elif kind == "remote-link" and entry.state == "pending":
            pending_links.append(entry)
    return _Book(
        summaries=summaries,
        settled_issues=frozenset(settled),
        pending_issues=pending_issues,
        pending_links=tuple(pending_links),
    )


def _with_pending(
    recorded: list[RecordedChange], pending: Sequence[RecordedChange], *, sprint: str
) -> list[RecordedChange]:
    """The sprint's recorded changes and its pending ones not recorded yet, in merge order."""
    known = {rc.change.id for rc in recorded}
    extra = [rc for rc in pending if rc.sprint == sprint and rc.change.id not in known]
    return sorted([*recorded, *extra], key=lambda rc: (rc.change.merged_at, rc.change.id))


class _AttachStore(ChangeLog, Drafts, WriteLedger, Protocol):
    """The store roles attaching reads and writes: the changes, the draft state, the ledger."""
