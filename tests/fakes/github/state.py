"""The fake GitHub's state: repositories, branches, commits and pull requests, built by tests."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

_COUNTER = itertools.count(1)


def make_sha(*parts: object) -> str:
    """A fresh 40-digit commit id."""
    text = "\0".join(str(p) for p in (*parts, next(_COUNTER)))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class FakeFile:
    """A file a commit or pull request touched (`status` as GitHub spells it)."""

    path: str
    added: int = 1
    deleted: int = 0
    patch: str | None = None
    status: str = "modified"
    previous: str | None = None


@dataclass
class FakeCommit:
    """One commit object; `author` is a GitHub login (None: an email with no account)."""

    sha: str
    parents: list[str]
    message: str
    author: str | None
    at: datetime
    files: list[FakeFile] = field(default_factory=list)


@dataclass
class FakePull:
    """One pull request. `trunk` lists the commits its merge put on the base branch."""

    number: int
    title: str
    body: str | None
    author: str
    head_ref: str
    base: str
    labels: list[str]
    files: list[FakeFile]
    state: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    merged_at: datetime | None = None
    merge_commit_sha: str | None = None
    head_sha: str = ""
    branch_commits: list[str] = field(default_factory=list)
    trunk: list[str] = field(default_factory=list)


class FakeRepo:
    """A repository the fake serves; tests push, merge and close through it."""

    def __init__(self, *, full_name: str, repo_id: int, default_branch: str) -> None:
        self.full_name = full_name
        self.owner, self.name = full_name.split("/", 1)
        self.id = repo_id
        self.default_branch = default_branch
        self.commits: dict[str, FakeCommit] = {}
        self.pulls: dict[int, FakePull] = {}
        self.created_at = datetime(2020, 1, 1, tzinfo=UTC)
        root = self._commit(
            [], "Initial commit", "octocat", self.created_at, [FakeFile("README.md")]
        )
        self.branches: dict[str, str] = {default_branch: root.sha}
        self._numbers = itertools.count(1)

    def head(self, branch: str | None = None) -> str:
        """The tip of a branch (default: the default branch)."""
        return self.branches[branch or self.default_branch]

    def push(
        self,
        message: str,
        *,
        at: datetime,
        files: Sequence[FakeFile] = (FakeFile("src/app.py"),),
        author: str | None = "octocat",
        branch: str | None = None,
    ) -> str:
        """A commit pushed straight onto a branch; returns its sha."""
        name = branch or self.default_branch
        commit = self._commit([self.branches[name]], message, author, at, list(files))
        self.branches[name] = commit.sha
        return commit.sha

    def merge_pull(
        self,
        title: str,
        *,
        merged_at: datetime,
        body: str | None = "",
        author: str = "alice",
        files: Sequence[FakeFile] = (FakeFile("src/app.py"),),
        labels: Sequence[str] = (),
        head_ref: str | None = None,
        base: str | None = None,
        method: str = "squash",
        commits: int = 1,
    ) -> FakePull:
        """A pull request merged into `base` by `method` (squash, merge or rebase)."""
        pull = self._pull(title, body, author, files, labels, head_ref, base, merged_at)
        self._branch_commits(pull, commits)
        pull.trunk = self._land(pull, method=method, commits=commits, at=merged_at)
        self.branches[pull.base] = pull.trunk[-1]
        pull.state, pull.merged_at, pull.closed_at = "closed", merged_at, merged_at
        pull.merge_commit_sha = pull.trunk[-1]
        return pull

    def _land(self, pull: FakePull, *, method: str, commits: int, at: datetime) -> list[str]:
        """The commits a merge puts on the base branch, oldest first."""
        tip, files = self.branches[pull.base], pull.files
        if method == "squash":
            message = f"{pull.title} (#{pull.number})\n\n{pull.body or ''}".rstrip()
            return [self._commit([tip], message, pull.author, at, files).sha]
        if method == "merge":
            message = (
                f"Merge pull request #{pull.number} from {self.owner}/{pull.head_ref}"
                f"\n\n{pull.title}"
            )
            return [self._commit([tip, pull.head_sha], message, "merger", at, files).sha]
        landed: list[str] = []
        for index in range(commits):
            last = index == commits - 1
            step = self._commit(
                [tip], f"{pull.title} part {index + 1}", pull.author, at, files if last else []
            )
            tip = step.sha
            landed.append(step.sha)
        return landed

    def close_pull(self, title: str, *, closed_at: datetime, base: str | None = None) -> FakePull:
        """A pull request closed without merging."""
        pull = self._pull(title, "", "mallory", [FakeFile("src/x.py")], (), None, base, closed_at)
        self._branch_commits(pull, 1)
        pull.state, pull.closed_at = "closed", closed_at
        return pull

    def touch_pull(self, number: int, *, at: datetime) -> None:
        """Someone commented: the pull request's `updated_at` moves to `at`."""
        self.pulls[number].updated_at = at

    def branch_names(self) -> list[str]:
        """Every branch, default first."""
        return sorted(self.branches, key=lambda b: (b != self.default_branch, b))

    def _pull(
        self,
        title: str,
        body: str | None,
        author: str,
        files: Sequence[FakeFile],
        labels: Sequence[str],
        head_ref: str | None,
        base: str | None,
        at: datetime,
    ) -> FakePull:
        number = next(self._numbers)
        return self.pulls.setdefault(
            number,
            FakePull(
                number=number,
                title=title,
                body=body,
                author=author,
                head_ref=head_ref or f"feature/{number}",
                base=base or self.default_branch,
                labels=list(labels),
                files=list(files),
                state="open",
                created_at=at - timedelta(hours=1),
                updated_at=at,
            ),
        )

    def _branch_commits(self, pull: FakePull, count: int) -> list[str]:
        """The pull request's own commits, on its head branch off the base's tip."""
        parent = self.branches.setdefault(pull.base, self.head())
        start = pull.created_at
        for index in range(max(1, count)):
            commit = self._commit(
                [parent], f"work on {pull.head_ref} {index + 1}", pull.author, start, pull.files
            )
            parent = commit.sha
            pull.branch_commits.append(commit.sha)
        pull.head_sha = parent
        self.branches[pull.head_ref] = parent
        return pull.branch_commits

    def _commit(
        self,
        parents: list[str],
        message: str,
        author: str | None,
        at: datetime,
        files: list[FakeFile],
    ) -> FakeCommit:
        commit = FakeCommit(make_sha(self.full_name, message), parents, message, author, at, files)
        self.commits[commit.sha] = commit
        return commit
