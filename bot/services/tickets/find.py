"""The sprint's Release Train ticket: remembered, else found by the train's JQL, else created.

Lookup order, cheapest and safest first:

1. The key remembered for the sprint in the store (matched by Jira sprint id, so a renamed sprint
   keeps its ticket). It is not read here: the attach run's first read of the ticket proves it,
   and a ticket that answers 404 there is reported by name (TicketNotFoundError); a ticket the
   bot cannot read is never replaced by a second one.
2. A create recorded in the ledger (`jira:<train>:create-ticket:<sprint>:<n>`): done, its key is
   remembered; still pending (the bot stopped, or Jira's answer was lost), it is reconciled first.
3. A search with `ticket.jql`, `{sprint_id}` filled in bare (Jira sprint ids are numbers; any
   other value is quoted) and `{sprint_name}` as a quoted, escaped JQL string. Quotes the
   template puts around a placeholder are replaced by the bot's own. One match is remembered
   (a found ticket is as stable as a created one, and remembering it saves a search per sync);
   several are refused with a ServiceError naming them.
4. With `create = true`, unless the sprint is closed (its changes are carried over to the
   current sprint's ticket instead, see `bot.services.tickets.attach`): create the ticket
   (project, issue type, summary, labels), remember its key at once (Jira Cloud search is not
   read-after-write), then put it in the sprint when the sprint is active or future (a ledger
   entry of its own, retried while pending).

Reconciling a create whose outcome is unknown: search with the JQL, then by project, labels and
summary phrase. One match is the ticket; several are refused. None, while the attempt is younger
than `search_delay`, means the search may not show it yet: nothing is attached this sync and a
notice says so. None after that means the create did not happen and it is made again. Limits: a
phrase search also matches longer summaries that contain the phrase (then several tickets match
and the bot refuses rather than guess), and a ticket someone deletes, or moves out of the
project, within `search_delay` of a lost answer is created again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import quote

from bot.domain.model import Sprint
from bot.errors import AuthError, BotError, ConfigError, ServiceError, TicketNotFoundError
from bot.ports.clock import Clock
from bot.ports.store import LedgerEntry, Sprints, WriteLedger
from bot.ports.tracker import IssueTracker, Ticket

SERVICE = "jira"
_SEARCH_LIMIT = 10
_QUOTED = re.compile(r"""(["'])\{(sprint_id|sprint_name)\}\1""")
_NOT_WORD = re.compile(r"[^\w\s]+")
_OPEN_SPRINT = frozenset({"active", "future"})


@dataclass(frozen=True, slots=True)
class TicketRules:
    """A train's `[trains.ticket]` settings, as the services use them."""

    jql: str
    create: bool = False
    project: str | None = None
    issue_type: str = "Task"
    summary: str = "Release Train: {sprint_name}"
    labels: tuple[str, ...] = ("release-train",)
    link_referenced_issues: bool = True


@dataclass(slots=True)
class Tally:
    """What one run asked of the tracker, and what it has to tell people."""

    reads: int = 0
    writes: int = 0
    notices: list[str] = field(default_factory=list)


class TicketService:
    """Finds (or creates) one train's Release Train ticket for a sprint."""

    def __init__(
        self,
        *,
        train: str,
        rules: TicketRules,
        tracker: IssueTracker,
        store: _TicketStore,
        clock: Clock,
        browse_url: str,
        search_delay: timedelta = timedelta(minutes=10),
    ) -> None:
        self._train = train
        self._rules = rules
        self._tracker = tracker
        self._store = store
        self._clock = clock
        self._browse = browse_url.rstrip("/") + "/browse/"
        self._search_delay = search_delay

    def ticket_url(self, key: str) -> str:
        """The ticket's page for people."""
        return self._browse + quote(key, safe="")

    def ticket_for(
        self, sprint: Sprint, *, dry_run: bool = False, tally: Tally | None = None
    ) -> Ticket | None:
        """The sprint's ticket; None when there is none (and none may be created, or a dry run)."""
        tally = tally if tally is not None else Tally()
        key = self._store.get_ticket_key(train=self._train, sprint=sprint)
        if key is not None:
            ticket = Ticket(key=key, url=self.ticket_url(key))
            if not dry_run:
                self._retry_sprint_entry(ticket, sprint, tally)
            return ticket
        latest = self._latest_attempt(sprint)
        if latest is not None and latest.state == "done" and latest.result:
            return self._remember(sprint, str(latest.result["key"]), dry_run=dry_run)
        unsure = latest if latest is not None and latest.state == "pending" else None
        found = self._search(sprint, tally, unsure=unsure is not None)
        if len(found) > 1:
            raise ServiceError(
                f"{len(found)} Jira tickets match trains[{self._train}].ticket for sprint "
                f"'{sprint.name}' ({', '.join(t.key for t in found)}); the bot attaches to "
                "exactly one: narrow the JQL or close the extra tickets."
            )
        if not found:
            return self._create_or_wait(sprint, tally, latest=latest, dry_run=dry_run)
        ticket = self._remember(sprint, found[0].key, dry_run=dry_run)
        if unsure is not None and not dry_run:
            # The create whose answer was lost did happen; it may not be in the sprint yet.
            self._store.ledger_complete(key=unsure.key, result={"key": ticket.key})
            self._put_in_sprint(ticket, sprint, tally)
        return ticket

    def _latest_attempt(self, sprint: Sprint) -> LedgerEntry | None:
        """The most recent create of the sprint's ticket recorded in the ledger."""
        prefix = _create_prefix(self._train, sprint)
        attempts = [
            entry
            for entry in self._store.ledger_entries(prefix=prefix)
            if entry.key[len(prefix) :].isdigit()  # not a sprint whose name extends this one's
        ]
        return max(attempts, key=lambda entry: _attempt_number(entry.key), default=None)

    def _create_or_wait(
        self, sprint: Sprint, tally: Tally, *, latest: LedgerEntry | None, dry_run: bool
    ) -> Ticket | None:
        unsure = latest if latest is not None and latest.state == "pending" else None
        if sprint.state == "closed":
            # Jira takes no issue into a closed sprint: its changes are carried over instead.
            return None
        if not self._rules.create:
            tally.notices.append(
                f"no Jira ticket matches trains[{self._train}].ticket.jql for sprint "
                f"'{sprint.name}' and ticket.create is false: nothing was attached"
            )
            return None
        if unsure is not None and self._too_soon(unsure):
            tally.notices.append(
                f"the ticket for sprint '{sprint.name}' was being created when Jira's answer "
                "was lost and Jira's search does not show it yet; attaching waits for a later "
                "sync rather than risk a second ticket"
            )
            return None
        if dry_run:
            tally.notices.append(f"would create the Release Train ticket for '{sprint.name}'")
            return None
        if unsure is not None:
            self._store.ledger_fail(key=unsure.key, error="not found by search; created again")
        number = _attempt_number(latest.key) + 1 if latest is not None else 1
        return self._create(sprint, tally, number=number)

    def _create(self, sprint: Sprint, tally: Tally, *, number: int) -> Ticket | None:
        summary = self._summary(sprint)
        project = self._rules.project
        if project is None:  # the settings require it with create = true
            raise ConfigError(f"trains[{self._train}].ticket.project is required to create")
        key = f"{_create_prefix(self._train, sprint)}{number}"
        request: dict[str, Any] = {
            "project": project,
            "issue_type": self._rules.issue_type,
            "summary": summary,
            "labels": list(self._rules.labels),
            "sprint": sprint.id or sprint.name,
            "at": self._clock.now().isoformat(),
        }
        claimed = self._store.ledger_claim(
            key=key, service=SERVICE, operation="create-ticket", request=request
        )
        if claimed.state != "pending" or claimed.attempts != 1:
            # Another sync of the train claimed this create a moment ago: it makes the ticket.
            tally.notices.append(f"another sync is creating the ticket for '{sprint.name}'")
            return None
        try:
            created = self._tracker.create_ticket(
                project=project,
                issue_type=self._rules.issue_type,
                summary=summary,
                labels=self._rules.labels,
                description=None,
            )
        except (AuthError, TicketNotFoundError) as exc:
            self._store.ledger_fail(key=key, error=str(exc))
            raise
        tally.writes += 1
        ticket = Ticket(key=created.key, url=self.ticket_url(created.key), id=created.id)
        # Claimed before the create is completed, so a stop anywhere from here is finished later.
        sprint_entry = self._claim_sprint_entry(ticket, sprint)
        self._store.ledger_complete(key=key, result={"key": created.key})
        self._store.set_ticket_key(train=self._train, sprint=sprint, key=created.key)
        if sprint_entry is not None and sprint.id is not None:
            self._add_to_sprint(ticket, sprint.id, key=sprint_entry, tally=tally)
        return ticket

    def _put_in_sprint(self, ticket: Ticket, sprint: Sprint, tally: Tally) -> None:
        """Add a created ticket to its sprint."""
        key = self._claim_sprint_entry(ticket, sprint)
        if key is not None and sprint.id is not None:
            self._add_to_sprint(ticket, sprint.id, key=key, tally=tally)

    def _claim_sprint_entry(self, ticket: Ticket, sprint: Sprint) -> str | None:
        """Record that the ticket goes in its sprint; None when Jira would refuse (closed) or
        another sync is putting it there right now."""
        if sprint.id is None or sprint.state not in _OPEN_SPRINT:
            return None
        key = _sprint_entry_key(self._train, ticket.key, sprint.id)
        entry = self._store.ledger_claim(
            key=key, service=SERVICE, operation="add-to-sprint", request={"sprint": sprint.id}
        )
        return None if entry.state == "pending" and not entry.held else key

    def _retry_sprint_entry(self, ticket: Ticket, sprint: Sprint, tally: Tally) -> None:
        """Finish putting a created ticket in its sprint when an earlier sync could not."""
        if sprint.id is None:
            return
        key = _sprint_entry_key(self._train, ticket.key, sprint.id)
        entry = self._store.ledger_get(key=key)
        if entry is None or entry.state != "pending":
            return
        # Adding an issue to a sprint it is already in changes nothing, so no read first.
        claimed = self._store.ledger_claim(
            key=key, service=SERVICE, operation="add-to-sprint", request={}
        )
        if claimed.held:  # else another sync is putting it there right now
            self._add_to_sprint(ticket, sprint.id, key=key, tally=tally)

    def _add_to_sprint(self, ticket: Ticket, sprint_id: str, *, key: str, tally: Tally) -> None:
        try:
            self._tracker.add_to_sprint(sprint_id=sprint_id, keys=[ticket.key])
        except AuthError:
            self._store.ledger_fail(key=key, error="refused")
            raise
        except BotError as exc:
            # Left pending: the next sync tries again.
            tally.notices.append(f"{ticket.key} could not be put in sprint {sprint_id}: {exc}")
            return
        tally.writes += 1
        self._store.ledger_complete(key=key, result={"sprint": sprint_id})

    def _search(self, sprint: Sprint, tally: Tally, *, unsure: bool) -> list[Ticket]:
        jql = format_jql(self._rules.jql, sprint=sprint, train=self._train)
        tally.reads += 1
        found = self._tracker.search_tickets(jql=jql, limit=_SEARCH_LIMIT)
        if found or not unsure or self._rules.project is None:
            return found
        # A created ticket may not be in the sprint yet (its answer was lost before that).
        tally.reads += 1
        return self._tracker.search_tickets(jql=self._created_jql(sprint), limit=_SEARCH_LIMIT)

    def _created_jql(self, sprint: Sprint) -> str:
        phrase = " ".join(_NOT_WORD.sub(" ", self._summary(sprint)).split())
        clauses = [f"project = {jql_string(self._rules.project or '')}"]
        clauses += [f"labels = {jql_string(label)}" for label in self._rules.labels]
        clauses.append(f"summary ~ {jql_string(jql_string(phrase))}")
        return " AND ".join(clauses)

    def _summary(self, sprint: Sprint) -> str:
        return self._rules.summary.format(sprint_id=sprint.id or "", sprint_name=sprint.name)

    def _too_soon(self, entry: LedgerEntry) -> bool:
        at = entry.request.get("at")
        if not isinstance(at, str):
            return False
        return self._clock.now() - datetime.fromisoformat(at) < self._search_delay

    def _remember(self, sprint: Sprint, key: str, *, dry_run: bool) -> Ticket:
        if not dry_run:
            self._store.set_ticket_key(train=self._train, sprint=sprint, key=key)
        return Ticket(key=key, url=self.ticket_url(key))


def jql_string(value: str) -> str:
    """A JQL string literal holding `value` exactly (line breaks become spaces)."""
    flat = " ".join(value.splitlines())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_jql(template: str, *, sprint: Sprint, train: str) -> str:
    """The train's JQL for a sprint, its values quoted so no sprint name can change the query."""
    if "{sprint_id}" in template and not sprint.id:
        raise ConfigError(
            f"trains[{train}].ticket.jql uses {{sprint_id}}, but sprint '{sprint.name}' has no "
            "Jira id (its sprints come from a cadence); use {sprint_name}"
        )
    bare = _QUOTED.sub(lambda match: "{" + match.group(2) + "}", template)
    sprint_id = sprint.id or ""
    return bare.format(
        sprint_id=sprint_id if sprint_id.isdigit() else jql_string(sprint_id),
        sprint_name=jql_string(sprint.name),
    )


def _create_prefix(train: str, sprint: Sprint) -> str:
    return f"jira:{train}:create-ticket:{sprint.id or sprint.name}:"


def _sprint_entry_key(train: str, ticket: str, sprint_id: str) -> str:
    return f"jira:{train}:{ticket}:add-to-sprint:{sprint_id}"


def _attempt_number(key: str) -> int:
    return int(key.rsplit(":", 1)[1])


class _TicketStore(Sprints, WriteLedger, Protocol):
    """The store roles finding the ticket uses: the remembered tickets, and the ledger."""
