"""A faithful fake Jira (Cloud or Data Center) served over real HTTP on 127.0.0.1, for tests.

Use the fixtures (they start the server, set NO_PROXY for loopback, and fail the test at teardown
if any request or response broke the copied OpenAPI description in `openapi/`):

    from tests.fakes.jira import FakeJira, fake_jira_cloud, fake_jira_datacenter  # noqa: F401

    def test_x(fake_jira_cloud: FakeJira) -> None:  # noqa: F811 (the imported fixture)
        client = JIRA(server=fake_jira_cloud.base_url,
                      basic_auth=(fake_jira_cloud.email, fake_jira_cloud.token),
                      max_retries=0, timeout=5)

or `with FakeJira(mode="datacenter", search_lag=1, email=..., token=...) as fake: ...` (then call
`fake.assert_faithful()` yourself). A test that breaks the description on purpose takes the
problems with `clear_violations()` and asserts on them.

Credentials: Cloud accepts `Authorization: Basic base64(email:token)`; Data Center accepts
`Authorization: Bearer <token>` (a personal access token). Anything else is 401, except an
anonymous GET of serverInfo. `base_url` is http://127.0.0.1:<port>.

Seeding:
    add_project(key, name=None) -> key
    add_board(project, *, name=None, board_id=None, board_type="scrum") -> board id
    add_sprint(board, name, state, start, end, *, goal="") -> sprint id
        (state: active, future or closed; start and end: aware datetimes or None)
    close_sprint(sprint_id, completed) -> closes an active sprint, as completing it on the board
        does (its end becomes the completion time); issues keep it in their sprint history
    add_issue(project, summary, *, issue_type="Task", labels=(), description=None, sprint=None,
              indexed=True) -> key  (description as written: ADF dict or wiki string;
              indexed=False makes Cloud search miss it for the next `search_lag` searches)
    hide_issue(key)  -> the caller can no longer see it: 404 everywhere, absent from searches
    deny_permission(key) -> GET mypermissions reports it missing and the writes it guards are
        403 (CREATE_ISSUES, EDIT_ISSUES, ADD_COMMENTS, EDIT_OWN_COMMENTS, LINK_ISSUES,
        SCHEDULE_ISSUES; BROWSE_PROJECTS is reported only)

Inspection (snapshots, safe to keep):
    issue(key) -> IssueSnapshot (summary, labels, description as written, sprint_ids, history)
    remote_links(key) -> list of the links as GET .../remotelink shows them (v3 shape)
    comments(key) -> list of CommentSnapshot (id, body as written, text, created, updated)
    issue_links() -> list of (type name, inward key, outward key) as POSTed to issueLink
    requests / writes / reads -> the request log (Request: method, path, query, body, auth
        scheme, status, arrival time `at` in time.monotonic() seconds; status None when the fake
        dropped the connection). A POSTed search is a read. Faulted and refused requests are
        logged too.

Latency: `FakeJira(latency=0.05)` (or setting `fake.latency`) holds every answer that long, as a
distant site would; requests in flight at once wait side by side. `slow(method, path_regex,
seconds)` holds the answers to matching requests (performed first) that much longer.
    violations -> the OpenAPI problems seen so far (assert_faithful() fails on any)

Faults (a queue; each matches one future request by method, "*" for any, and a regex searched in
the path, and is used up by it):
    fail_next(method, path_regex, kind="rate_limited", retry_after=1, reason=None, times=1)
    kinds: rate_limited (429, Retry-After, RateLimit-Reason: jira-per-issue-on-write by default),
    unavailable (503, Retry-After if given), unauthorized (401), forbidden (403),
    commit_then_drop (perform the request, then close the connection without answering),
    drop (close the connection without performing the request). retry_after=None omits the header.

What it knows: issue types Task, Story, Bug, Epic; link types Blocks, Cloners, Duplicate,
Relates; the Sprint field is customfield_10020; issue `history` names each change made through
the API ("edit", "comment:<id>", "remotelink:<id>", "issuelink", "sprint:<id>"), so a re-run that
writes nothing leaves it unchanged. JQL: project, labels, sprint, key/issuekey, id,
issuetype/type, status with = != ~ !~ in, not in, is [not] EMPTY, AND/OR/parentheses, the
functions openSprints(), closedSprints(), futureSprints(), and ORDER BY key/id/created/updated;
any other field is a 400 as in Jira. Only creation lags behind Cloud search, not edits.

Behaviour by mode: Cloud serves /rest/api/2 and /rest/api/3 (v3 bodies must be ADF, v2 bodies
strings); search is /search/jql only (nextPageToken paging, no total, only ids unless `fields`
asks for more, eventually consistent unless `reconcileIssues` names the issue); /search is 410.
Data Center serves /rest/api/2 only, with the offset-paged /search. Both serve the agile API.
"""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import pytest

from tests.fakes.jira import routes_agile, routes_issues, routes_links, routes_search, views
from tests.fakes.jira.http import FAULT_KINDS, Fault, HttpFake, Request
from tests.fakes.jira.state import (
    LINK_TYPES,
    PERMISSIONS,
    ApiError,
    Board,
    JiraState,
    RichText,
    Sprint,
)


@dataclass(frozen=True, slots=True)
class IssueSnapshot:
    """An issue as the fake holds it."""

    id: str
    key: str
    summary: str
    issue_type: str
    labels: tuple[str, ...]
    description: Any
    sprint_ids: tuple[int, ...]
    hidden: bool
    history: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CommentSnapshot:
    """A comment: `body` as written (ADF dict or wiki string) and its plain text."""

    id: str
    body: Any
    text: str
    created: datetime
    updated: datetime


class FakeJira:
    """One fake Jira site; see the module docstring for the whole surface."""

    def __init__(
        self,
        *,
        mode: str = "cloud",
        search_lag: int = 1,
        email: str = "release-bot@example.com",
        token: str = "fake-jira-token",  # noqa: S107 - the fake's own test credential
        latency: float = 0.0,
    ) -> None:
        if mode not in ("cloud", "datacenter"):
            raise ValueError(f"mode must be cloud or datacenter, not {mode!r}")
        self.mode, self.email, self.token = mode, email, token
        self._search_lag = search_lag
        self._state = JiraState()
        self._http = HttpFake(authorize=self._authorize, gate=self._gate, latency=latency)
        site = views.Site(base_url=self._http.base_url, cloud=mode == "cloud", email=email)
        ctx = views.Context(state=self._state, site=site, search_lag=search_lag, cursors={})
        self._http.routes = [
            *routes_issues.site_routes(ctx),
            *routes_issues.issue_routes(ctx),
            *routes_links.comment_routes(ctx),
            *routes_links.remote_link_routes(ctx),
            *routes_links.issue_link_routes(ctx),
            *routes_search.routes(ctx),
            *routes_agile.routes(ctx),
        ]
        self._site = site

    # lifecycle -------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._http.base_url

    @property
    def latency(self) -> float:
        """Seconds added before every answer."""
        return self._http.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._http.latency = seconds

    def start(self) -> FakeJira:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def __enter__(self) -> FakeJira:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _authorize(self, header: str | None, path: str) -> bool:
        if header is None:
            return path.endswith("/serverInfo")
        if self.mode == "cloud":
            pair = f"{self.email}:{self.token}".encode()
            return header == "Basic " + base64.b64encode(pair).decode("ascii")
        return header == f"Bearer {self.token}"

    def _gate(self, method: str, path: str) -> ApiError | None:
        if self.mode == "datacenter" and path.startswith("/rest/api/3/"):
            return ApiError(404, "Null for uri: " + path)
        for key in self._state.denied:
            for guarded_method, pattern in PERMISSIONS[key][1]:
                if method == guarded_method and re.search(pattern, path):
                    name = PERMISSIONS[key][0]
                    return ApiError(403, f"You do not have the permission '{name}' needed here.")
        return None

    # seeding ---------------------------------------------------------------------------------

    def add_project(self, key: str, name: str | None = None) -> str:
        with self._http.lock:
            return self._state.add_project(key, name or f"Project {key}").key

    def add_board(
        self,
        project: str,
        *,
        name: str | None = None,
        board_id: int | None = None,
        board_type: str = "scrum",
    ) -> int:
        with self._http.lock:
            if project not in self._state.projects:
                self._state.add_project(project, f"Project {project}")
            board_id = board_id if board_id is not None else self._state.next_id()
            board = Board(board_id, name or f"{project} board", board_type, project)
            self._state.boards[board_id] = board
            return board_id

    def add_sprint(
        self,
        board: int,
        name: str,
        state: str,
        start: datetime | None,
        end: datetime | None,
        *,
        goal: str = "",
    ) -> int:
        if state not in routes_agile.SPRINT_STATES:
            raise ValueError(f"sprint state must be active, future or closed, not {state!r}")
        if any(moment is not None and moment.tzinfo is None for moment in (start, end)):
            raise ValueError("sprint start and end must be timezone-aware")
        start, end = (None if m is None else m.astimezone(UTC) for m in (start, end))
        with self._http.lock:
            if board not in self._state.boards:
                raise ValueError(f"no board {board}: add_board first")
            sprint_id = self._state.next_id()
            sprint = Sprint(sprint_id, board, name, state, start, end, goal)
            self._state.sprints[sprint_id] = sprint
            return sprint_id

    def close_sprint(self, sprint_id: int, completed: datetime) -> None:
        """Complete an active sprint on its board; it ends at `completed`."""
        if completed.tzinfo is None:
            raise ValueError("completed must be timezone-aware")
        with self._http.lock:
            sprint = self._state.sprint_of(sprint_id)
            if sprint.state != "active":
                raise ValueError(f"sprint {sprint_id} is {sprint.state}; only an active one closes")
            sprint.state, sprint.end = "closed", completed.astimezone(UTC)

    def add_issue(
        self,
        project: str,
        summary: str,
        *,
        issue_type: str = "Task",
        labels: Sequence[str] = (),
        description: Any = None,
        sprint: int | None = None,
        indexed: bool = True,
    ) -> str:
        with self._http.lock:
            if project not in self._state.projects:
                self._state.add_project(project, f"Project {project}")
            issue = self._state.create_issue(
                project_key=project,
                issue_type=issue_type,
                summary=summary,
                description=None if description is None else RichText(description),
                labels=list(labels),
            )
            if sprint is not None:
                self._state.move_to_sprint(issue, self._state.sprint_of(sprint))
            issue.unindexed_searches = 0 if indexed else self._search_lag
            issue.history.clear()
            return issue.key

    def deny_permission(self, key: str) -> None:
        """Take a permission (CREATE_ISSUES, ADD_COMMENTS, ...) from the bot's user."""
        if key not in PERMISSIONS:
            raise ValueError(f"permission must be one of {sorted(PERMISSIONS)}, not {key!r}")
        with self._http.lock:
            self._state.denied.add(key)

    def hide_issue(self, key: str) -> None:
        with self._http.lock:
            self._state.find_issue(key, visible_only=False).hidden = True

    # inspection ------------------------------------------------------------------------------

    def issue(self, key: str) -> IssueSnapshot:
        with self._http.lock:
            item = self._state.find_issue(key, visible_only=False)
            return IssueSnapshot(
                id=item.id,
                key=item.key,
                summary=item.summary,
                issue_type=item.issue_type,
                labels=tuple(item.labels),
                description=None
                if item.description is None
                else copy.deepcopy(item.description.value),
                sprint_ids=tuple(item.sprint_ids),
                hidden=item.hidden,
                history=tuple(item.history),
            )

    def remote_links(self, key: str) -> list[dict[str, Any]]:
        with self._http.lock:
            item = self._state.find_issue(key, visible_only=False)
            return copy.deepcopy(
                [
                    views.remote_link(r, issue=item, site=self._site, version="3")
                    for r in item.remote_links
                ]
            )

    def comments(self, key: str) -> list[CommentSnapshot]:
        with self._http.lock:
            item = self._state.find_issue(key, visible_only=False)
            return [
                CommentSnapshot(
                    c.id, copy.deepcopy(c.body.value), c.body.text(), c.created, c.updated
                )
                for c in item.comments
            ]

    def issue_links(self) -> list[tuple[str, str, str]]:
        names = {t[0]: t[1] for t in LINK_TYPES}
        with self._http.lock:
            return [
                (names[link.type_id], link.inward_key, link.outward_key)
                for link in self._state.issue_links
            ]

    @property
    def requests(self) -> list[Request]:
        with self._http.lock:
            return list(self._http.log)

    @property
    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.is_write]

    @property
    def reads(self) -> list[Request]:
        return [r for r in self.requests if not r.is_write]

    @property
    def violations(self) -> list[str]:
        with self._http.lock:
            return list(self._http.violations)

    def clear_violations(self) -> list[str]:
        """Take the problems seen so far (for tests that break the contract on purpose)."""
        with self._http.lock:
            taken, self._http.violations[:] = list(self._http.violations), []
            return taken

    def assert_faithful(self) -> None:
        problems = self.violations
        assert not problems, "the Jira exchange broke the OpenAPI description:\n" + "\n".join(
            problems
        )

    def slow(self, method: str, path_regex: str, seconds: float) -> None:
        """Answer every later request matching `method` ("*": any) and `path_regex` late."""
        with self._http.lock:
            self._http.slow.append((method.upper(), re.compile(path_regex), seconds))

    # faults ----------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path_regex: str,
        *,
        kind: str = "rate_limited",
        retry_after: int | None = 1,
        reason: str | None = None,
        times: int = 1,
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}, not {kind!r}")
        fault = Fault(method.upper(), re.compile(path_regex), kind, retry_after, reason)
        with self._http.lock:
            self._http.faults.extend([fault] * times)


def _serve(mode: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    # Loopback must never go through a proxy from the environment.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with FakeJira(mode=mode) as fake:
        yield fake
        fake.assert_faithful()


@pytest.fixture
def fake_jira_cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    """A running fake Jira Cloud; the test fails if any exchange broke the API description."""
    yield from _serve("cloud", monkeypatch)


@pytest.fixture
def fake_jira_datacenter(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    """A running fake Jira Data Center; the test fails if any exchange broke the description."""
    yield from _serve("datacenter", monkeypatch)
