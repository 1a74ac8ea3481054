"""What the fake GitLab holds: projects, branches, commits and merge requests, as GitLab shows them.

Field names and types follow GitLab's REST API documentation (v4): merge requests carry
`id`, `iid`, `project_id`, `state`, `merged_at`, `merge_commit_sha`, `squash_commit_sha`, `sha`,
`labels` as strings, `author{username,name}`; commits carry `id`, `parent_ids`, `message`,
`committed_date` with the committer's offset; diffs carry `diff` hunks without file headers.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

COMMITTER_ZONE = timezone(timedelta(hours=2))  # GitLab shows commit dates in the committer's zone
_ids = itertools.count(1000)


def gitlab_time(value: datetime | None) -> str | None:
    """GitLab's timestamp for records: UTC with milliseconds and `Z`."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def commit_time(value: datetime) -> str:
    """GitLab's timestamp for commits: milliseconds and the committer's offset."""
    return value.astimezone(COMMITTER_ZONE).isoformat(timespec="milliseconds")


def added_diff(content: str) -> str:
    """The hunk GitLab shows for a new file with this content."""
    lines = content.splitlines()
    return f"@@ -0,0 +1,{len(lines)} @@\n" + "".join(f"+{line}\n" for line in lines)


@dataclass
class FakeDiff:
    """One file of a diff; `diff` is the hunk text (`@@ ... @@` lines and their body)."""

    new_path: str
    diff: str
    old_path: str | None = None
    new_file: bool = False
    deleted_file: bool = False

    def json(self) -> dict[str, Any]:
        old = self.old_path or self.new_path
        return {
            "diff": self.diff,
            "new_path": self.new_path,
            "old_path": old,
            "a_mode": "0" if self.new_file else "100644",
            "b_mode": "0" if self.deleted_file else "100644",
            "new_file": self.new_file,
            "renamed_file": old != self.new_path,
            "deleted_file": self.deleted_file,
            "generated_file": False,
        }


def new_files(files: Mapping[str, str]) -> list[FakeDiff]:
    """Diffs adding each file with its content."""
    return [FakeDiff(path, added_diff(text), new_file=True) for path, text in files.items()]


@dataclass
class FakeCommit:
    """A commit in the fake repository."""

    id: str
    message: str
    parents: list[str]
    committed_at: datetime
    author_name: str = "Alice Example"
    author_email: str = "alice@example.com"
    diffs: list[FakeDiff] = field(default_factory=list)

    def json(self, web: str) -> dict[str, Any]:
        title = self.message.split("\n", 1)[0]
        return {
            "id": self.id,
            "short_id": self.id[:8],
            "created_at": commit_time(self.committed_at),
            "parent_ids": list(self.parents),
            "title": title,
            "message": self.message,
            "author_name": self.author_name,
            "author_email": self.author_email,
            "authored_date": commit_time(self.committed_at),
            "committer_name": self.author_name,
            "committer_email": self.author_email,
            "committed_date": commit_time(self.committed_at),
            "trailers": {},
            "extended_trailers": {},
            "web_url": f"{web}/-/commit/{self.id}",
        }


@dataclass
class FakeMergeRequest:
    """A merge request; `commits` are its own commits, oldest first."""

    id: int
    iid: int
    project_id: int
    title: str
    description: str
    state: str  # opened | closed | locked | merged
    target_branch: str
    source_branch: str
    labels: list[str]
    author: str
    created_at: datetime
    updated_at: datetime
    merged_at: datetime | None = None
    merge_commit_sha: str | None = None
    squash_commit_sha: str | None = None
    squash: bool = False
    commits: list[str] = field(default_factory=list)
    diffs: list[FakeDiff] = field(default_factory=list)

    def related(self, sha: str) -> bool:
        return sha in self.commits or sha in (self.merge_commit_sha, self.squash_commit_sha)

    def json(self, *, base: str, path: str) -> dict[str, Any]:
        web = f"{base}/{path}"
        user = {
            "id": 7,
            "username": self.author,
            "name": self.author.title(),
            "state": "active",
            "avatar_url": None,
            "web_url": f"{base}/{self.author}",
        }
        return {
            "id": self.id,
            "iid": self.iid,
            "project_id": self.project_id,
            "title": self.title,
            "description": self.description,
            "state": self.state,
            "created_at": gitlab_time(self.created_at),
            "updated_at": gitlab_time(self.updated_at),
            "merged_at": gitlab_time(self.merged_at),
            "closed_at": gitlab_time(self.updated_at) if self.state == "closed" else None,
            "target_branch": self.target_branch,
            "source_branch": self.source_branch,
            "source_project_id": self.project_id,
            "target_project_id": self.project_id,
            "labels": list(self.labels),
            "draft": False,
            "author": user,
            "merge_user": user if self.state == "merged" else None,
            "sha": self.commits[-1] if self.commits else None,
            "merge_commit_sha": self.merge_commit_sha,
            "squash_commit_sha": self.squash_commit_sha,
            "squash": self.squash,
            "squash_on_merge": self.squash,
            "merge_status": "can_be_merged",
            "detailed_merge_status": "mergeable" if self.state == "opened" else "not_open",
            "reference": f"!{self.iid}",
            "references": {
                "short": f"!{self.iid}",
                "relative": f"!{self.iid}",
                "full": f"{path}!{self.iid}",
            },
            "web_url": f"{web}/-/merge_requests/{self.iid}",
            "user_notes_count": 0,
            "upvotes": 0,
            "downvotes": 0,
        }


class FakeProject:
    """A project with a repository whose branches point at commits, and merge requests."""

    def __init__(
        self, *, id: int, path: str, default_branch: str, base: str, start: datetime
    ) -> None:
        self.id = id
        self.path = path
        self.default_branch = default_branch
        self.base = base
        self.web = f"{base}/{path}"
        self.commits: dict[str, FakeCommit] = {}
        self.branches: dict[str, str] = {}
        self.merge_requests: dict[int, FakeMergeRequest] = {}
        root = self._commit(
            "Initial commit", parents=[], at=start, diffs=new_files({"README.md": "hi"})
        )
        self.branches[default_branch] = root.id

    def json(self) -> dict[str, Any]:
        name = self.path.rsplit("/", 1)[-1]
        return {
            "id": self.id,
            "name": name,
            "path": name,
            "path_with_namespace": self.path,
            "name_with_namespace": " / ".join(self.path.split("/")),
            "default_branch": self.default_branch,
            "web_url": self.web,
            "visibility": "private",
            "empty_repo": False,
            "archived": False,
        }

    def branch_json(self, name: str) -> dict[str, Any]:
        return {
            "name": name,
            "merged": False,
            "protected": name == self.default_branch,
            "default": name == self.default_branch,
            "developers_can_push": False,
            "developers_can_merge": False,
            "can_push": True,
            "web_url": f"{self.web}/-/tree/{name}",
            "commit": self.commits[self.branches[name]].json(self.web),
        }

    # -- building history ------------------------------------------------------------------

    def _commit(
        self, message: str, *, parents: list[str], at: datetime, diffs: Iterable[FakeDiff] = ()
    ) -> FakeCommit:
        sha = hashlib.sha1(f"{len(self.commits)}:{self.path}:{message}".encode()).hexdigest()  # noqa: S324
        commit = FakeCommit(
            id=sha, message=message, parents=parents, committed_at=at, diffs=list(diffs)
        )
        self.commits[sha] = commit
        return commit

    def head(self, branch: str | None = None) -> str:
        return self.branches[branch or self.default_branch]

    def push(
        self,
        message: str,
        *,
        at: datetime,
        branch: str | None = None,
        files: Mapping[str, str] | None = None,
        diffs: Sequence[FakeDiff] = (),
        author: str = "Bob Builder",
    ) -> FakeCommit:
        """A commit pushed straight onto a branch."""
        branch = branch or self.default_branch
        parent = self.branches.setdefault(branch, self.head())
        commit = self._commit(
            message, parents=[parent], at=at, diffs=[*new_files(files or {}), *diffs]
        )
        commit.author_name = author
        self.branches[branch] = commit.id
        return commit

    def merge_request(
        self,
        title: str,
        *,
        at: datetime,
        state: str = "merged",
        method: str = "merge",
        target: str | None = None,
        source: str | None = None,
        description: str = "",
        labels: Sequence[str] = (),
        files: Mapping[str, str] | None = None,
        diffs: Sequence[FakeDiff] = (),
        messages: Sequence[str] = (),
        author: str = "alice",
        squash: bool = False,
    ) -> FakeMergeRequest:
        """A merge request; merged (or being merged, `locked`) leaves its commits on `target`.

        `method` is GitLab's merge method: `merge` (a merge commit), `ff` (fast-forward: the
        rebased commits themselves; with `squash`, one squash commit).
        """
        target = target or self.default_branch
        iid = len(self.merge_requests) + 1
        base = self.branches.setdefault(target, self.head())
        all_diffs = [*new_files(files or {}), *diffs]
        created = at - timedelta(hours=1)
        mr = FakeMergeRequest(
            id=next(_ids),
            iid=iid,
            project_id=self.id,
            title=title,
            description=description,
            state=state,
            target_branch=target,
            source_branch=source or f"feature-{iid}",
            labels=list(labels),
            author=author,
            created_at=created,
            updated_at=at,
            squash=squash,
            diffs=all_diffs,
        )
        parent = base
        for n, message in enumerate(messages or [title]):
            commit = self._commit(
                message, parents=[parent], at=created, diffs=all_diffs if n == 0 else []
            )
            mr.commits.append(commit.id)
            parent = commit.id
        self.merge_requests[iid] = mr
        if state in ("merged", "locked"):
            self._land(mr, method=method, at=at)
        if state == "merged":
            mr.merged_at = at
        return mr

    def _land(self, mr: FakeMergeRequest, *, method: str, at: datetime) -> None:
        """Put a merge request's work on its target branch, as GitLab's merge does."""
        target = mr.target_branch
        head = self.branches[target]
        tip = mr.commits[-1]
        if mr.squash:
            tip = self._commit(mr.title, parents=[head], at=at, diffs=mr.diffs).id
            if mr.state == "merged":
                mr.squash_commit_sha = tip
        if method == "ff":
            if not mr.squash:
                rebased: list[str] = []
                for old in mr.commits:
                    original = self.commits[old]
                    head = self._commit(
                        original.message, parents=[head], at=at, diffs=original.diffs
                    ).id
                    rebased.append(head)
                mr.commits = rebased  # GitLab refreshes the request's diff after the rebase
                tip = head
            self.branches[target] = tip
            return
        message = (
            f"Merge branch '{mr.source_branch}' into '{target}'\n\n{mr.title}\n\n"
            f"See merge request {self.path}!{mr.iid}"
        )
        merge = self._commit(message, parents=[head, tip], at=at, diffs=mr.diffs)
        if mr.state == "merged":
            mr.merge_commit_sha = merge.id
        self.branches[target] = merge.id

    def finish_merge(self, mr: FakeMergeRequest, *, at: datetime) -> None:
        """A `locked` request's merge finishes: it becomes merged, naming its trunk commit."""
        mr.state = "merged"
        mr.merged_at = at
        mr.updated_at = at
        head = self.branches[mr.target_branch]
        if len(self.commits[head].parents) > 1:
            mr.merge_commit_sha = head

    def touch(self, mr: FakeMergeRequest, *, at: datetime) -> None:
        """Someone comments or relabels: only `updated_at` moves."""
        mr.updated_at = at
