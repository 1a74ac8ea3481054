"""An in-memory IssueTracker: stateful, it records every request and fails on demand.

Faults are queued per method: the first queued fault for a method is raised by its next call,
either before anything happens or, with `commit=True`, after the write took effect (the answer
was lost, as when Jira commits a write and the connection drops). Search is eventually
consistent like Jira Cloud's: an issue created through `create_ticket` is missing from the next
`search_lag` searches. Search understands the small JQL the bot writes: clauses joined by AND,
`field = value` for project, labels and sprint, and `summary ~ "\"phrase\""`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.domain.document import BulletList, CodeBlock, Document, Heading, Paragraph
from bot.domain.model import Sprint
from bot.errors import ServiceError, TicketNotFoundError
from bot.ports.tracker import RemoteLink, Ticket, TrackerComment

WRITES = frozenset(
    {
        "create_ticket",
        "add_to_sprint",
        "put_remote_link",
        "link_issues",
        "add_comment",
        "update_comment",
        "add_label",
    }
)
_CLAUSE = re.compile(r'\s*(\w+)\s*(=|~)\s*("(?:[^"\\]|\\.)*"|[^\s"]+)\s*(?:AND\s+|$)')


class AnswerLostError(ServiceError):
    """The write reached the tracker but its answer never came back."""


@dataclass(frozen=True, slots=True)
class Fault:
    method: str
    error: BaseException  # a BotError, or KeyboardInterrupt to stop the caller as a crash would
    commit: bool


@dataclass(slots=True)
class FakeIssue:
    key: str
    id: str
    project: str
    summary: str = ""
    labels: list[str] = field(default_factory=list)
    sprints: set[str] = field(default_factory=set)
    hidden: bool = False
    unsearchable: int = 0  # how many more searches leave it out
    remote_links: dict[str, RemoteLink] = field(default_factory=dict)
    comments: list[TrackerComment] = field(default_factory=list)
    bodies: dict[str, Document] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)


class MemoryTracker:
    """Jira as a few dictionaries; see the module docstring."""

    def __init__(self, *, base_url: str = "https://jira.example", search_lag: int = 1) -> None:
        self.base_url = base_url
        self.search_lag = search_lag
        self.issues: dict[str, FakeIssue] = {}
        self.boards: dict[int, list[Sprint]] = {}
        self.requests: list[tuple[str, dict[str, object]]] = []
        self.faults: list[Fault] = []
        self._ids = 10000
        self._comment_ids = 0

    # test controls

    def add_issue(self, key: str, **fields: Any) -> FakeIssue:
        """An issue that already exists (searchable at once)."""
        self._ids += 1
        issue = FakeIssue(key=key, id=str(self._ids), project=key.split("-")[0], **fields)
        self.issues[key] = issue
        return issue

    def fail(self, method: str, error: BaseException, *, commit: bool = False) -> None:
        """Make the next call of `method` raise `error` (after taking effect, with commit)."""
        self.faults.append(Fault(method=method, error=error, commit=commit))

    def calls(self, method: str) -> list[dict[str, object]]:
        return [args for name, args in self.requests if name == method]

    @property
    def writes(self) -> int:
        return sum(1 for name, _ in self.requests if name in WRITES)

    @property
    def reads(self) -> int:
        return sum(1 for name, _ in self.requests if name not in WRITES)

    # the IssueTracker protocol

    def server_check(self) -> str:
        self._request("server_check")
        return "Jira (in memory)"

    def board_sprints(self, *, board_id: int, states: Sequence[str]) -> list[Sprint]:
        fault = self._request("board_sprints", board_id=board_id, states=tuple(states))
        self._raise(fault)
        return [s for s in self.boards.get(board_id, []) if not states or s.state in states]

    def search_tickets(self, *, jql: str, limit: int) -> list[Ticket]:
        self._raise(self._request("search_tickets", jql=jql, limit=limit))
        clauses = _parse(jql)
        found: list[Ticket] = []
        for issue in self.issues.values():
            if issue.unsearchable > 0:
                issue.unsearchable -= 1
                continue
            if not issue.hidden and all(self._matches(issue, *c) for c in clauses):
                found.append(self._ticket(issue))
        return found[:limit]

    def get_ticket(self, *, key: str) -> Ticket:
        self._raise(self._request("get_ticket", key=key))
        return self._ticket(self._issue(key))

    def create_ticket(
        self,
        *,
        project: str,
        issue_type: str,
        summary: str,
        labels: Sequence[str],
        description: Document | None,
    ) -> Ticket:
        fault = self._request(
            "create_ticket", project=project, issue_type=issue_type, summary=summary
        )
        self._before(fault)
        key = f"{project}-{len(self.issues) + 1}"
        issue = self.add_issue(key, summary=summary, labels=list(labels))
        issue.unsearchable = self.search_lag
        self._raise(fault)
        return self._ticket(issue)

    def add_to_sprint(self, *, sprint_id: str, keys: Sequence[str]) -> None:
        fault = self._request("add_to_sprint", sprint_id=sprint_id, keys=tuple(keys))
        self._before(fault)
        sprint = next((s for b in self.boards.values() for s in b if s.id == sprint_id), None)
        if sprint is None or sprint.state not in ("active", "future"):
            raise ServiceError(f"sprint {sprint_id} does not accept issues")
        for key in keys:
            self._issue(key).sprints.add(sprint_id)
        self._raise(fault)

    def remote_links(self, *, key: str) -> dict[str, RemoteLink]:
        self._raise(self._request("remote_links", key=key))
        return dict(self._issue(key).remote_links)

    def put_remote_link(self, *, key: str, link: RemoteLink) -> None:
        fault = self._request("put_remote_link", key=key, global_id=link.global_id)
        self._before(fault)
        self._issue(key).remote_links[link.global_id] = link
        self._raise(fault)

    def linked_issue_keys(self, *, key: str) -> set[str]:
        self._raise(self._request("linked_issue_keys", key=key))
        return set(self._issue(key).links)

    def link_issues(self, *, key: str, other: str, link_type: str) -> None:
        fault = self._request("link_issues", key=key, other=other, link_type=link_type)
        self._before(fault)
        issue, target = self._issue(key), self._issue(other)
        issue.links.add(other)
        target.links.add(key)
        self._raise(fault)

    def comments(self, *, key: str) -> list[TrackerComment]:
        self._raise(self._request("comments", key=key))
        return list(self._issue(key).comments)

    def add_comment(self, *, key: str, body: Document) -> TrackerComment:
        fault = self._request("add_comment", key=key)
        self._before(fault)
        issue = self._issue(key)
        self._comment_ids += 1
        comment = TrackerComment(id=str(self._comment_ids), text=plain_text(body))
        issue.comments.append(comment)
        issue.bodies[comment.id] = body
        self._raise(fault)
        return comment

    def update_comment(self, *, key: str, comment_id: str, body: Document) -> None:
        fault = self._request("update_comment", key=key, comment_id=comment_id)
        self._before(fault)
        issue = self._issue(key)
        index = next((i for i, c in enumerate(issue.comments) if c.id == comment_id), None)
        if index is None:
            raise TicketNotFoundError(f"comment {comment_id} on ticket {key} does not exist")
        issue.comments[index] = TrackerComment(id=comment_id, text=plain_text(body))
        issue.bodies[comment_id] = body
        self._raise(fault)

    def add_label(self, *, key: str, label: str) -> None:
        fault = self._request("add_label", key=key, label=label)
        self._before(fault)
        self._issue(key).labels.append(label)
        self._raise(fault)

    def close(self) -> None:
        pass

    # helpers

    def _request(self, method: str, **args: object) -> Fault | None:
        self.requests.append((method, args))
        index = next((i for i, f in enumerate(self.faults) if f.method == method), None)
        return None if index is None else self.faults.pop(index)

    @staticmethod
    def _before(fault: Fault | None) -> None:
        if fault is not None and not fault.commit:
            raise fault.error

    @staticmethod
    def _raise(fault: Fault | None) -> None:
        if fault is not None:
            raise fault.error

    def _issue(self, key: str) -> FakeIssue:
        issue = self.issues.get(key)
        if issue is None or issue.hidden:
            raise TicketNotFoundError(f"Jira ticket {key} does not exist or cannot be seen.")
        return issue

    def _ticket(self, issue: FakeIssue) -> Ticket:
        return Ticket(key=issue.key, url=f"{self.base_url}/browse/{issue.key}", id=issue.id)

    def _matches(self, issue: FakeIssue, name: str, op: str, value: str) -> bool:
        if name == "project":
            return issue.project == value
        if name == "labels":
            return value in issue.labels
        if name == "sprint":
            named = {s.id for b in self.boards.values() for s in b if s.name == value}
            return value in issue.sprints or bool(named & issue.sprints)
        if name == "summary" and op == "~":
            return _words(_unquote(value)) in _words(issue.summary)
        raise ValueError(f"the fake does not understand the clause {name} {op} {value}")


def _parse(jql: str) -> list[tuple[str, str, str]]:
    clauses = []
    position = 0
    while position < len(jql):
        match = _CLAUSE.match(jql, position)
        if match is None:
            raise ValueError(f"the fake does not understand the JQL {jql!r}")
        clauses.append((match.group(1), match.group(2), _unquote(match.group(3))))
        position = match.end()
    return clauses


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def plain_text(document: Document) -> str:
    """The document's text, one line per block (what a tracker gives back as plain text)."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading | CodeBlock):
            lines.append(block.text)
        elif isinstance(block, Paragraph):
            lines.append("".join(item.text for item in block.content))
        elif isinstance(block, BulletList):
            lines.extend("".join(item.text for item in run) for run in block.items)
    return "\n".join(lines)
