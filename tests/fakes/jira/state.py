"""What the fake Jira holds: projects, boards, sprints, issues and everything hung on an issue."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakes.jira.adf import adf_text, text_adf

SPRINT_FIELD = "customfield_10020"
LINK_TYPES = (
    ("10000", "Blocks", "is blocked by", "blocks"),
    ("10001", "Cloners", "is cloned by", "clones"),
    ("10002", "Duplicate", "is duplicated by", "duplicates"),
    ("10003", "Relates", "relates to", "relates to"),
)
# The permissions the fake knows, with the writes each one guards (method, path pattern).
PERMISSIONS = {
    "BROWSE_PROJECTS": ("Browse Projects", ()),
    "CREATE_ISSUES": ("Create Issues", (("POST", r"^/rest/api/[23]/issue$"),)),
    "EDIT_ISSUES": ("Edit Issues", (("PUT", r"^/rest/api/[23]/issue/[^/]+$"),)),
    "ADD_COMMENTS": ("Add Comments", (("POST", r"/comment$"),)),
    "EDIT_OWN_COMMENTS": ("Edit Own Comments", (("PUT", r"/comment/[^/]+$"),)),
    "LINK_ISSUES": ("Link Issues", (("POST", r"/remotelink$"), ("POST", r"/issueLink$"))),
    "SCHEDULE_ISSUES": ("Schedule Issues", (("POST", r"^/rest/agile/1.0/sprint/[^/]+/issue$"),)),
}
ISSUE_TYPES = {"Task": "10001", "Story": "10002", "Bug": "10003", "Epic": "10004"}


class ApiError(Exception):
    """An error answer: status plus Jira's ErrorCollection parts."""

    def __init__(
        self,
        status: int,
        *messages: str,
        errors: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status}: {messages or errors}")
        self.status = status
        self.messages = list(messages)
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})


@dataclass(slots=True)
class RichText:
    """A body as it was written: ADF (a v3 write) or a string (a v2 write)."""

    value: Any

    def render(self, version: str) -> Any:
        if version == "3":
            return self.value if isinstance(self.value, dict) else text_adf(str(self.value))
        return self.value if isinstance(self.value, str) else adf_text(self.value).rstrip("\n")

    def text(self) -> str:
        return self.value if isinstance(self.value, str) else adf_text(self.value).rstrip("\n")


@dataclass(slots=True)
class Project:
    id: str
    key: str
    name: str
    next_number: int = 1


@dataclass(slots=True)
class Board:
    id: int
    name: str
    type: str
    project_key: str


@dataclass(slots=True)
class Sprint:
    id: int
    board_id: int
    name: str
    state: str
    start: datetime | None
    end: datetime | None
    goal: str = ""


@dataclass(slots=True)
class Comment:
    id: str
    body: RichText
    created: datetime
    updated: datetime


@dataclass(slots=True)
class RemoteLink:
    id: int
    global_id: str | None
    request: dict[str, Any]


@dataclass(slots=True)
class IssueLink:
    id: str
    type_id: str
    inward_key: str
    outward_key: str


@dataclass(slots=True)
class Issue:
    id: str
    key: str
    project_key: str
    issue_type: str
    summary: str
    description: RichText | None
    labels: list[str]
    created: datetime
    updated: datetime
    status: str = "To Do"
    sprint_ids: list[int] = field(default_factory=list)
    hidden: bool = False
    unindexed_searches: int = 0
    comments: list[Comment] = field(default_factory=list)
    remote_links: list[RemoteLink] = field(default_factory=list)
    history: list[str] = field(default_factory=list)


def now() -> datetime:
    return datetime.now(UTC)


class JiraState:
    """The objects and their id counters; callers hold the server's lock around every use."""

    def __init__(self) -> None:
        self.projects: dict[str, Project] = {}
        self.boards: dict[int, Board] = {}
        self.sprints: dict[int, Sprint] = {}
        self.issues: dict[str, Issue] = {}
        self.issue_links: list[IssueLink] = []
        self.denied: set[str] = set()
        self._ids = itertools.count(10000)

    def next_id(self) -> int:
        return next(self._ids)

    def find_issue(self, key_or_id: str, *, visible_only: bool = True) -> Issue:
        """The issue by key or id; 404 when missing or hidden from the caller, as Jira does."""
        issue = self.issues.get(key_or_id.upper()) or next(
            (i for i in self.issues.values() if i.id == key_or_id), None
        )
        if issue is None or (visible_only and issue.hidden):
            raise ApiError(404, "Issue does not exist or you do not have permission to see it.")
        return issue

    def issues_by_id(self, issue_id: str) -> Issue | None:
        """The visible issue with this id, if any."""
        found = next((i for i in self.issues.values() if i.id == issue_id), None)
        return None if found is None or found.hidden else found

    def add_project(self, key: str, name: str) -> Project:
        project = Project(id=str(self.next_id()), key=key, name=name)
        self.projects[key] = project
        return project

    def create_issue(
        self,
        *,
        project_key: str,
        issue_type: str,
        summary: str,
        description: RichText | None,
        labels: list[str],
    ) -> Issue:
        project = self.projects[project_key]
        moment = now()
        issue = Issue(
            id=str(self.next_id()),
            key=f"{project.key}-{project.next_number}",
            project_key=project.key,
            issue_type=issue_type,
            summary=summary,
            description=description,
            labels=list(dict.fromkeys(labels)),
            created=moment,
            updated=moment,
        )
        project.next_number += 1
        self.issues[issue.key] = issue
        return issue

    def link_type(self, *, name: str | None, type_id: str | None) -> tuple[str, str, str, str]:
        for entry in LINK_TYPES:
            if entry[0] == type_id or (name is not None and entry[1].lower() == name.lower()):
                return entry
        raise ApiError(404, f"No issue link type with name '{name or type_id}' found.")

    def sprint_of(self, sprint_id: int) -> Sprint:
        sprint = self.sprints.get(sprint_id)
        if sprint is None:
            raise ApiError(404, f"Sprint {sprint_id} does not exist or you cannot see it.")
        return sprint

    def move_to_sprint(self, issue: Issue, sprint: Sprint) -> None:
        # An issue sits in at most one open sprint; closed sprints stay in its history.
        kept = [s for s in issue.sprint_ids if self.sprints[s].state == "closed"]
        if sprint.id not in kept:
            kept.append(sprint.id)
        if kept != issue.sprint_ids:
            issue.sprint_ids = kept
            issue.updated = now()
            issue.history.append(f"sprint:{sprint.id}")
