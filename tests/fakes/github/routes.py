"""The fake GitHub's endpoints under one repository, and what a request and an answer are."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from tests.fakes.github.state import FakeCommit, FakePull, FakeRepo
from tests.fakes.github.views import Views


class AnswerError(Exception):
    """An answer other than 200, raised from deep inside a route."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class LoggedRequest:
    """One request as the fake saw it; the Authorization header is never kept."""

    method: str
    path: str
    query: dict[str, str]
    target: str
    headers: dict[str, str]
    authorized: bool
    started: float
    status: int = 0
    finished: float = 0.0


@dataclass
class Reply:
    """An answer to send, with the schema its body must satisfy."""

    status: int
    body: Any = None
    schema: str | dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Routes:
    """The endpoints under one repository."""

    def __init__(self, views: Views, repo: FakeRepo, entry: LoggedRequest, api: str) -> None:
        self.views, self.repo, self.entry, self.api = views, repo, entry, api
        self.query = entry.query

    def route(self, tail: list[str]) -> Reply:
        match tail:
            case ["branches", *name] if name:
                return self._branch("/".join(name))
            case ["pulls"]:
                return self._pulls()
            case ["pulls", number, "files"]:
                pull = self.repo.pulls.get(int(number)) if number.isdigit() else None
                if pull is None:
                    raise AnswerError(404, "Not Found")
                entries = [self.views.file(self.repo, f, pull.head_sha) for f in pull.files]
                return self._paged(entries, "diff-entry", f"pulls/{number}/files")
            case ["commits"]:
                return self._commits()
            case ["commits", ref]:
                commit = self._commit(ref)
                return Reply(200, self.views.commit(self.repo, commit, detail=True), "commit")
            case ["commits", sha, "pulls"]:
                found = [p for p in self.repo.pulls.values() if _brought(p, sha)]
                items = [self.views.pull(self.repo, p) for p in found]
                return self._paged(items, "pull-request-simple", f"commits/{sha}/pulls")
        raise AnswerError(404, "Not Found")

    def _branch(self, name: str) -> Reply:
        if name not in self.repo.branches:
            raise AnswerError(404, "Branch not found")
        return Reply(200, self.views.branch(self.repo, name), "branch-with-protection")

    def _pulls(self) -> Reply:
        state = self.query.get("state", "open")
        sort = self.query.get("sort", "created")
        descending = self.query.get("direction", "desc" if sort == "created" else "asc") == "desc"
        pulls = [
            p
            for p in self.repo.pulls.values()
            if (state == "all" or p.state == state) and self.query.get("base", p.base) == p.base
        ]
        key: Callable[[FakePull], datetime] = (
            (lambda p: p.updated_at) if sort == "updated" else (lambda p: p.created_at)
        )
        pulls.sort(key=lambda p: (key(p), p.number), reverse=descending)
        items = [self.views.pull(self.repo, p) for p in pulls]
        return self._paged(items, "pull-request-simple", "pulls")

    def _commits(self) -> Reply:
        start = self._commit(self.query.get("sha", self.repo.default_branch))
        since = self.query.get("since")
        bound = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
        items = [
            self.views.commit(self.repo, c, detail=False)
            for c in _history(self.repo, start.sha)
            if bound is None or c.at >= bound
        ]
        return self._paged(items, "commit", "commits")

    def _commit(self, ref: str) -> FakeCommit:
        sha = self.repo.branches.get(ref, ref)
        commit = self.repo.commits.get(sha)
        if commit is None:
            raise AnswerError(422, f"No commit found for SHA: {ref}")
        return commit

    def _paged(self, items: list[Any], schema: str, tail: str) -> Reply:
        """One page of a listing, with GitHub's `Link` header (through `/repositories/{id}`)."""
        per_page = min(100, max(1, int(self.query.get("per_page", "30"))))
        page = max(1, int(self.query.get("page", "1")))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = {"next": page + 1, "last": last} if page < last else {}
        if page > 1:
            links.update({"prev": page - 1, "first": 1})
        header = ", ".join(f'<{self._page_url(tail, n)}>; rel="{rel}"' for rel, n in links.items())
        body_schema = {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}}
        return Reply(200, chunk, body_schema, {"Link": header} if header else {})

    def _page_url(self, tail: str, page: int) -> str:
        query = {**self.query, "page": str(page)}
        return f"{self.api}/repositories/{self.repo.id}/{tail}?{urlencode(query)}"


def _brought(pull: FakePull, sha: str) -> bool:
    return sha in pull.trunk or sha in pull.branch_commits


def _history(repo: FakeRepo, head: str) -> Iterator[FakeCommit]:
    """Commits reachable from `head`, newest first, never a parent before its child."""
    queue = [(-repo.commits[head].at.timestamp(), 0, head)]
    pushed = {head}
    order = 1
    while queue:
        _, _, sha = heapq.heappop(queue)
        commit = repo.commits[sha]
        yield commit
        for parent in commit.parents:
            if parent not in pushed:
                pushed.add(parent)
                heapq.heappush(queue, (-repo.commits[parent].at.timestamp(), order, parent))
                order += 1
