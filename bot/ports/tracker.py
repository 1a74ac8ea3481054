"""Jira, as the Release Train ticket's home: its tickets, links and comments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain.document import Document
from bot.domain.model import Sprint


@dataclass(frozen=True, slots=True)
class Ticket:
    """A Jira issue the bot reads or writes."""

    key: str
    url: str
    id: str | None = None


@dataclass(frozen=True, slots=True)
class RemoteLink:
    """A remote link on a ticket, identified by its globalId."""

    global_id: str
    url: str
    title: str
    summary: str | None = None
    icon_url: str | None = None
    resolved: bool | None = None


@dataclass(frozen=True, slots=True)
class TrackerComment:
    """A comment on a ticket; `text` is its plain text (enough to find the bot's markers)."""

    id: str
    text: str


class IssueTracker(Protocol):
    """Jira, as the Release Train ticket's home. Every write is a single request; callers
    record it in the ledger first and reconcile (read back) before retrying it."""

    def server_check(self) -> str:
        """Authenticate and describe the server in one line (for `check --online`)."""
        ...

    def board_sprints(self, *, board_id: int, states: Sequence[str]) -> list[Sprint]:
        """The board's sprints in the given states (active, closed, future)."""
        ...

    def search_tickets(self, *, jql: str, limit: int) -> list[Ticket]: ...

    def get_ticket(self, *, key: str) -> Ticket:
        """The ticket; TicketNotFoundError when it is missing or cannot be seen."""
        ...

    def create_ticket(
        self,
        *,
        project: str,
        issue_type: str,
        summary: str,
        labels: Sequence[str],
        description: Document | None,
    ) -> Ticket: ...

    def add_to_sprint(self, *, sprint_id: str, keys: Sequence[str]) -> None: ...

    def remote_links(self, *, key: str) -> dict[str, RemoteLink]:
        """Every remote link of the ticket that has a globalId, by globalId."""
        ...

    def put_remote_link(self, *, key: str, link: RemoteLink) -> None:
        """Create or replace (upsert by globalId) one remote link, sending the full object."""
        ...

    def linked_issue_keys(self, *, key: str) -> set[str]: ...

    def link_issues(self, *, key: str, other: str, link_type: str) -> None: ...

    def comments(self, *, key: str) -> list[TrackerComment]: ...

    def add_comment(self, *, key: str, body: Document) -> TrackerComment: ...

    def update_comment(self, *, key: str, comment_id: str, body: Document) -> None: ...

    def add_label(self, *, key: str, label: str) -> None: ...

    def close(self) -> None: ...
