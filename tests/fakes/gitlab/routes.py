"""The fake GitLab's endpoints: which path answers what, filtered and paged as GitLab does."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from tests.fakes.gitlab.state import FakeCommit, FakeProject

if TYPE_CHECKING:
    from tests.fakes.gitlab.server import FakeGitLab

TOTALS_LIMIT = 10_000  # above this GitLab leaves out x-total, x-total-pages and rel="last"


@dataclass
class Pages:
    """Where one page sits in its list; turned into GitLab's pagination headers."""

    page: int
    per_page: int
    count: int  # items in the whole list
    total: int | None  # what x-total says, when GitLab would send it

    @property
    def has_next(self) -> bool:
        return self.count > self.page * self.per_page

    def headers(self, link: Callable[[int], str]) -> dict[str, str]:
        headers = {
            "x-page": str(self.page),
            "x-per-page": str(self.per_page),
            "x-next-page": str(self.page + 1) if self.has_next else "",
            "x-prev-page": str(self.page - 1) if self.page > 1 else "",
        }
        links = [f'{link(1)}; rel="first"']
        if self.has_next:
            links.insert(0, f'{link(self.page + 1)}; rel="next"')
        if self.page > 1:
            links.insert(0, f'{link(self.page - 1)}; rel="prev"')
        if self.total is not None:
            last = max(1, -(-self.total // self.per_page))
            headers["x-total"] = str(self.total)
            headers["x-total-pages"] = str(last)
            links.append(f'{link(last)}; rel="last"')
        headers["Link"] = ", ".join(links)
        return headers


@dataclass
class Answer:
    """Status, JSON body and headers of one answer."""

    status: int
    data: Any
    headers: dict[str, str] = field(default_factory=dict)
    pages: Pages | None = None
    raw: bytes = b""

    def encode(self) -> bytes:
        if not self.raw and self.data is not None:
            self.raw = json.dumps(self.data, separators=(",", ":")).encode()
        return self.raw


def paged(items: Sequence[Any], query: dict[str, str], *, totals: bool = True) -> Answer:
    """One page of a list, by `page` and `per_page` (default 20, at most 100)."""
    per_page = min(100, max(1, _int(query.get("per_page"), 20)))
    page = max(1, _int(query.get("page"), 1))
    start = (page - 1) * per_page
    total = len(items) if totals and len(items) <= TOTALS_LIMIT else None
    info = Pages(page=page, per_page=per_page, count=len(items), total=total)
    return Answer(200, list(items[start : start + per_page]), pages=info)


def _int(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.isdigit() else default


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def not_found(what: str) -> Answer:
    return Answer(404, {"message": f"404 {what} Not Found"})


def route(fake: FakeGitLab, segments: list[str], query: dict[str, str]) -> Answer:
    """Answer `GET /api/v4/<segments>`; each segment is still percent-encoded."""
    if len(segments) < 2 or segments[0] != "projects":
        return Answer(404, {"error": "404 Not Found"})
    project = fake.project(unquote(segments[1]))
    if project is None:
        return not_found("Project")
    if project.id in fake.forbidden:
        return Answer(403, {"message": "403 Forbidden"})
    rest = [unquote(s) for s in segments[2:]]
    if not rest:
        return Answer(200, project.json())
    if rest[0] == "merge_requests":
        return _merge_requests(project, rest[1:], query)
    if rest[:2] == ["repository", "branches"] and len(rest) == 3:
        if rest[2] not in project.branches:
            return not_found("Branch")
        return Answer(200, project.branch_json(rest[2]))
    if rest[:2] == ["repository", "commits"]:
        return _commits(project, rest[2:], query)
    return Answer(404, {"error": "404 Not Found"})


# -- merge requests -----------------------------------------------------------------------


def _merge_requests(project: FakeProject, rest: list[str], query: dict[str, str]) -> Answer:
    if not rest:
        return paged(
            [mr.json(base=project.base, path=project.path) for mr in _listed(project, query)], query
        )
    mr = project.merge_requests.get(_int(rest[0], 0))
    if mr is None:
        return not_found("Merge Request")
    if len(rest) == 1:
        return Answer(200, mr.json(base=project.base, path=project.path))
    if rest[1:] == ["diffs"]:
        return paged([d.json() for d in mr.diffs], query)
    if rest[1:] == ["commits"]:
        commits = [project.commits[sha].json(project.web) for sha in reversed(mr.commits)]
        return paged(commits, query)
    return Answer(404, {"error": "404 Not Found"})


def _listed(project: FakeProject, query: dict[str, str]) -> list[Any]:
    state = query.get("state", "all")
    after, before = _time(query.get("updated_after")), _time(query.get("updated_before"))
    found = [
        mr
        for mr in project.merge_requests.values()
        if (state == "all" or mr.state == state)
        and query.get("target_branch", mr.target_branch) == mr.target_branch
        and (after is None or mr.updated_at >= after)
        and (before is None or mr.updated_at <= before)
    ]
    order = query.get("order_by", "created_at")
    found.sort(
        key=lambda mr: (mr.updated_at if order == "updated_at" else mr.created_at, mr.id),
        reverse=query.get("sort", "desc") == "desc",
    )
    return found


# -- commits ------------------------------------------------------------------------------


def _commits(project: FakeProject, rest: list[str], query: dict[str, str]) -> Answer:
    if not rest:
        return _commit_list(project, query)
    commit = _resolve(project, rest[0])
    if commit is None:
        return not_found("Commit")
    if len(rest) == 1:
        return Answer(200, project.commits[commit].json(project.web))
    if rest[1:] == ["diff"]:
        return paged([d.json() for d in project.commits[commit].diffs], query)
    if rest[1:] == ["merge_requests"]:
        related = [mr for mr in project.merge_requests.values() if mr.related(commit)]
        return paged([mr.json(base=project.base, path=project.path) for mr in related], query)
    return Answer(404, {"error": "404 Not Found"})


def _resolve(project: FakeProject, ref: str) -> str | None:
    if ref in project.branches:
        return project.branches[ref]
    matches = [sha for sha in project.commits if len(ref) >= 7 and sha.startswith(ref)]
    return matches[0] if len(matches) == 1 else None


def _commit_list(project: FakeProject, query: dict[str, str]) -> Answer:
    ref = query.get("ref_name") or project.default_branch
    excluded: set[str] = set()
    if ".." in ref:
        old_ref, ref = ref.split("..", 1)
        old = _resolve(project, old_ref)
        if old is None:
            return not_found("Reference")
        excluded = _ancestors(project, old)
    start = _resolve(project, ref)
    if start is None:
        return not_found("Reference")
    since, until = _time(query.get("since")), _time(query.get("until"))
    walked = _walk(project, start, first_parent=query.get("first_parent") == "true")
    listed = [
        c.json(project.web)
        for c in walked
        if c.id not in excluded
        and (since is None or c.committed_at >= since)
        and (until is None or c.committed_at <= until)
    ]
    return paged(listed, query, totals=False)  # the commits API never sends totals


def _ancestors(project: FakeProject, sha: str) -> set[str]:
    seen: set[str] = set()
    stack = [sha]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(project.commits[current].parents)
    return seen


def _walk(project: FakeProject, start: str, *, first_parent: bool) -> list[FakeCommit]:
    if first_parent:
        chain: list[FakeCommit] = []
        current: str | None = start
        while current is not None:
            commit = project.commits[current]
            chain.append(commit)
            current = commit.parents[0] if commit.parents else None
        return chain
    every = [project.commits[sha] for sha in _ancestors(project, start)]
    return sorted(every, key=lambda c: c.committed_at, reverse=True)
