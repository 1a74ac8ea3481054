"""Builds real git repositories with a deterministic history, for tests of anything git-backed.

    repo = GitRepo(tmp_path / "api")
    repo.commit("Initial import", files={"README.md": "hello\\n"})
    repo.branch("feature/refunds", author="Bob <bob@example.com>")
    repo.commit("Add refund reason", files={"api/refunds.py": "reason = 1\\n"})
    repo.merge_pr(418, "feature/refunds", title="Add refund reason field")
    repo.squash_pr(419, title="Fix rounding", files={"api/money.py": "round = 2\\n"})

Every commit gets the author and committer date `when`, or else the repository's clock moved
one minute on, so shas are the same on every run. The trunk is `main` unless told otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DEFAULT_AUTHOR = "Alice Example <alice@example.com>"
MERGER = "GitHub <noreply@github.com>"
STEP = timedelta(minutes=1)

# path -> new content (str is written as UTF-8), or None to delete the file
Files = Mapping[str, str | bytes | None]

# The builder must never trip the traps a test sets in a repository's config or hooks.
_BUILDER_CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.autocrlf=false",
    "commit.gpgsign=false",
    "tag.gpgsign=false",
    "safe.directory=*",
)


def git_executable() -> str:
    """The real git on PATH (tests that wrap git need its absolute path)."""
    found = shutil.which("git")
    if found is None:
        raise RuntimeError("git is not installed")
    return found


class GitError(RuntimeError):
    """A git command of the builder failed; carries git's own message."""


class GitRepo:
    """A real repository on disk with helpers to write history the way code hosts do."""

    def __init__(
        self,
        path: Path,
        *,
        trunk: str = "main",
        author: str = DEFAULT_AUTHOR,
        start: datetime = DEFAULT_START,
    ) -> None:
        self.path = path
        self.trunk = trunk
        self.author = author
        self.clock = start - STEP
        path.mkdir(parents=True, exist_ok=True)
        if not (path / ".git").exists():
            self.git("init", "-q", f"--initial-branch={trunk}")

    # -- plumbing -------------------------------------------------------------------------

    def git(
        self,
        *args: str,
        stdin: bytes | str | None = None,
        when: datetime | None = None,
        author: str | None = None,
    ) -> str:
        """Run git in the repository with fixed identities and dates; returns its stdout."""
        data = stdin.encode() if isinstance(stdin, str) else stdin
        cmd = [git_executable()]
        for setting in _BUILDER_CONFIG:
            cmd += ["-c", setting]
        proc = subprocess.run(
            [*cmd, *args],
            cwd=self.path,
            input=data if data is not None else b"",
            capture_output=True,
            env=self._environment(when or self.clock, author or self.author),
            check=False,
        )
        if proc.returncode != 0:
            raise GitError(f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace')}")
        return proc.stdout.decode("utf-8", errors="replace").strip()

    def _environment(self, when: datetime, author: str) -> dict[str, str]:
        name, email = split_ident(author)
        date = f"{int(when.timestamp())} +0000"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(
            GIT_CONFIG_NOSYSTEM="1",
            GIT_CONFIG_GLOBAL=os.devnull,
            GIT_AUTHOR_NAME=name,
            GIT_AUTHOR_EMAIL=email,
            GIT_AUTHOR_DATE=date,
            GIT_COMMITTER_NAME=name,
            GIT_COMMITTER_EMAIL=email,
            GIT_COMMITTER_DATE=date,
            GIT_LITERAL_PATHSPECS="1",  # file names are names, never pathspec magic
            LC_ALL="C",
        )
        return env

    def tick(self, when: datetime | None = None) -> datetime:
        """Move the clock to `when`, or one step on; returns the new time."""
        self.clock = when if when is not None else self.clock + STEP
        return self.clock

    def rev(self, rev: str = "HEAD") -> str:
        """The full sha a revision names."""
        return self.git("rev-parse", "--verify", f"{rev}^{{commit}}")

    def config(self, key: str, value: str) -> None:
        """Set a key in the repository's own .git/config."""
        self.git("config", key, value)

    # -- history ----------------------------------------------------------------------------

    def write(self, files: Files) -> None:
        """Change files in the working tree (not yet committed)."""
        for name, content in files.items():
            target = self.path / name
            if content is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                target.write_text(content, encoding="utf-8")
            else:
                target.write_bytes(content)

    def commit(
        self,
        message: str,
        *,
        files: Files | None = None,
        when: datetime | None = None,
        author: str | None = None,
    ) -> str:
        """Commit `files` (or nothing: empty commits are allowed) on the current branch.

        The message is kept verbatim (lines starting with `#` stay); returns the new sha.
        """
        when = self.tick(when)
        if files:
            self.write(files)
            self.git("add", "--all", "--", *files)
        text = message if not message or message.endswith("\n") else message + "\n"
        self.git(
            "commit",
            "-q",
            "--no-verify",
            "--allow-empty",
            "--allow-empty-message",
            "--cleanup=verbatim",
            "-F",
            "-",
            stdin=text,
            when=when,
            author=author,
        )
        return self.rev()

    def commit_literal(
        self, message: bytes, *, when: datetime | None = None, author: str | None = None
    ) -> str:
        """A commit on the current branch whose message is exactly `message`, NULs included.

        `git commit` refuses such messages; the object is written directly, keeping the tree.
        """
        when = self.tick(when)
        name, email = split_ident(author or self.author)
        ident = f"{name} <{email}> {int(when.timestamp())} +0000".encode()
        head = self.rev()
        tree = self.git("rev-parse", f"{head}^{{tree}}")
        body = (
            b"tree "
            + tree.encode()
            + b"\nparent "
            + head.encode()
            + b"\nauthor "
            + ident
            + b"\ncommitter "
            + ident
            + b"\n\n"
            + message
        )
        sha = self.git("hash-object", "-t", "commit", "--literally", "-w", "--stdin", stdin=body)
        self.git("update-ref", "HEAD", sha)
        return sha

    def branch(self, name: str, *, start: str | None = None) -> None:
        """Create branch `name` at `start` (default: the trunk's tip) and switch to it."""
        self.git("checkout", "-q", "-b", name, start or self.trunk)

    def switch(self, name: str) -> None:
        """Switch the working tree to an existing branch."""
        self.git("checkout", "-q", name)

    def merge(
        self,
        branch: str,
        *,
        message: str | None = None,
        into: str | None = None,
        when: datetime | None = None,
        author: str | None = None,
    ) -> str:
        """A `--no-ff` merge of `branch` into `into` (default: the trunk); returns its sha."""
        when = self.tick(when)
        self.switch(into or self.trunk)
        text = message or f"Merge branch '{branch}'"
        self.git(
            "merge",
            "-q",
            "--no-ff",
            "--no-edit",
            "--no-verify",
            "-m",
            text,
            branch,
            when=when,
            author=author,
        )
        return self.rev()

    def merge_pr(
        self,
        number: int,
        branch: str,
        *,
        title: str,
        body: str = "",
        style: str = "github",
        owner: str = "octo",
        project: str = "acme/app",
        when: datetime | None = None,
        author: str = MERGER,
    ) -> str:
        """Merge `branch` into the trunk the way a code host merges pull request `number`.

        `style="github"`: `Merge pull request #N from owner/branch`, then the title and body.
        `style="gitlab"`: `Merge branch 'b' into 'main'`, the title, body, `See merge request`.
        """
        if style == "github":
            head = f"Merge pull request #{number} from {owner}/{branch}"
            message = "\n\n".join(p for p in (head, title, body) if p)
        elif style == "gitlab":
            head = f"Merge branch '{branch}' into '{self.trunk}'"
            tail = f"See merge request {project}!{number}"
            message = "\n\n".join(p for p in (head, title, body, tail) if p)
        else:
            raise ValueError(f"unknown merge style {style!r}")
        return self.merge(branch, message=message, when=when, author=author)

    def squash_pr(
        self,
        number: int,
        *,
        title: str,
        files: Files | None = None,
        body: str = "",
        when: datetime | None = None,
        author: str | None = None,
    ) -> str:
        """A squash merge on the trunk: one commit titled `title (#number)`."""
        self.switch(self.trunk)
        message = f"{title} (#{number})" + (f"\n\n{body}" if body else "")
        return self.commit(message, files=files, when=when, author=author)

    def merged_pr(
        self,
        number: int,
        *,
        title: str,
        files: Files,
        branch: str | None = None,
        author: str | None = None,
        style: str = "github",
        body: str = "",
    ) -> str:
        """Branch off the trunk, commit `files` there as `title`, merge it back as PR `number`."""
        name = branch or f"pr-{number}"
        self.branch(name)
        self.commit(title, files=files, author=author)
        return self.merge_pr(number, name, title=title, body=body, style=style)

    def revert(self, sha: str, *, when: datetime | None = None, author: str | None = None) -> str:
        """`git revert` of `sha` on the current branch (a merge is reverted against its
        first parent); the message says `This reverts commit <sha>.`."""
        when = self.tick(when)
        mainline = (
            ["-m", "1"] if len(self.git("rev-list", "--parents", "-n1", sha).split()) > 2 else []
        )
        self.git("revert", "--no-edit", *mainline, sha, when=when, author=author)
        return self.rev()

    def reset_trunk(self, to: str) -> None:
        """Move the trunk to `to` as a force-push would, dropping what came after."""
        self.switch(self.trunk)
        self.git("reset", "-q", "--hard", to)

    def bulk_history(
        self, count: int, *, migration_every: int = 10, files_per_change: int = 2
    ) -> list[str]:
        """Append `count` trunk changes in one `git fast-import`: a cycle of PR merges (two
        branch commits each), squash merges and direct pushes. Returns the trunk shas added,
        oldest first."""
        stream = _BulkStream(self, tip=self._tip_or_none())
        for index in range(count):
            stream.change(
                index,
                migration=migration_every > 0 and index % migration_every == 0,
                files=files_per_change,
            )
        self.git("fast-import", "--quiet", stdin=stream.data())
        if self.git("rev-parse", "--abbrev-ref", "HEAD") == self.trunk:
            self.git("reset", "-q", "--hard")
        shas = self.git("rev-list", "--first-parent", f"--max-count={count}", self.trunk)
        return list(reversed(shas.split()))

    def _tip_or_none(self) -> str | None:
        try:
            return self.rev(self.trunk)
        except GitError:
            return None


class _BulkStream:
    """The fast-import commands of a bulk history."""

    def __init__(self, repo: GitRepo, *, tip: str | None) -> None:
        self._repo = repo
        self._out: list[bytes] = []
        self._mark = 0
        self._trunk = tip  # ":<mark>" or a sha

    def data(self) -> bytes:
        return b"".join(self._out)

    def change(self, index: int, *, migration: bool, files: int) -> None:
        changed = {
            f"src/module{(index * files + k) % 97}.py": f"value = {index}\n" for k in range(files)
        }
        if migration:
            changed[f"db/migrations/{index:05d}_step.sql"] = (
                f"ALTER TABLE t ADD COLUMN c{index} int;\n"
            )
        trunk_ref = f"refs/heads/{self._repo.trunk}"
        kind = index % 3
        if kind == 0:
            branch = f"refs/heads/pr-{index}"
            notes: dict[str, str | bytes | None] = {f"notes/{index}.txt": "a\n"}
            first = self._commit(branch, f"Work on {index}\n", notes, self._trunk, None)
            tip = self._commit(branch, f"Finish {index}\n", changed, first, None)
            # fast-import does not merge trees: the merge commit states the merged files.
            message = f"Merge pull request #{index} from octo/pr-{index}\n\nChange {index}\n"
            self._trunk = self._commit(trunk_ref, message, {**notes, **changed}, self._trunk, tip)
        elif kind == 1:
            message = f"Squashed change {index} (#{index})\n"
            self._trunk = self._commit(trunk_ref, message, changed, self._trunk, None)
        else:
            message = f"Direct push {index}\n"
            self._trunk = self._commit(trunk_ref, message, changed, self._trunk, None)

    def _commit(
        self, ref: str, message: str, files: Files, parent: str | None, merge: str | None
    ) -> str:
        self._mark += 1
        when = int(self._repo.tick().timestamp())
        name, email = split_ident(self._repo.author)
        text = message.encode()
        lines = [
            f"commit {ref}\nmark :{self._mark}\n".encode(),
            f"author {name} <{email}> {when} +0000\n".encode(),
            f"committer {name} <{email}> {when} +0000\n".encode(),
            f"data {len(text)}\n".encode() + text + b"\n",
        ]
        if parent is not None:
            lines.append(f"from {parent}\n".encode())
        if merge is not None:
            lines.append(f"merge {merge}\n".encode())
        for path, content in files.items():
            raw = content.encode() if isinstance(content, str) else (content or b"")
            lines.append(f"M 100644 inline {path}\ndata {len(raw)}\n".encode() + raw + b"\n")
        self._out.append(b"".join(lines) + b"\n")
        return f":{self._mark}"


def split_ident(ident: str) -> tuple[str, str]:
    """`Name <email>` -> (name, email); a bare name gets an example.com address."""
    name, _, rest = ident.partition("<")
    if not rest:
        return ident.strip(), f"{ident.strip().lower().replace(' ', '.')}@example.com"
    return name.strip(), rest.rstrip(">").strip()


def trunk_shas(repo: GitRepo, *, count: int | None = None) -> Sequence[str]:
    """The trunk's first-parent shas, oldest first."""
    limit = [f"--max-count={count}"] if count is not None else []
    return list(reversed(repo.git("rev-list", "--first-parent", *limit, repo.trunk).split()))
