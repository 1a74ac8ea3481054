"""A realistic trunk with conventional-commit titles, written in one `git fast-import`.

Each trunk change is one of three shapes, in turn: a GitHub pull-request merge (a branch with an
unconventional "start" commit and a conventional one, merged with `--no-ff` and the PR title in
the merge body), a squash merge titled `type(scope): subject (#N)`, or a direct push. Every
tenth change adds an expand migration, some touch UI paths, a few are breaking changes behind a
feature flag and some mention a Jira key, so the release policy has real work to do.

A changelog tool that keeps only conventional commits sees exactly one entry per trunk change:
the conventional branch commit of a merge (the merge subject itself is not conventional), the
squash commit, or the direct push.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

TRUNK = "main"
_TYPES = (
    ("feat", "api"),
    ("fix", "billing"),
    ("perf", "search"),
    ("feat", "ui"),
    ("refactor", "core"),
    ("fix", None),
    ("docs", None),
    ("chore", "deps"),
    ("feat", None),
    ("test", "api"),
)
_SUBJECTS = (
    "add refund reason to the order export",
    "round totals half-even in invoices",
    "cache the catalogue facets",
    "show the delivery window on checkout",
    "split the pricing module",
    "keep the session when the token rotates",
    "describe the webhook retries",
    "bump the HTTP client",
    "let admins pause a subscription",
    "cover the pagination edge cases",
)
_AUTHORS = tuple(
    (name, f"{name.lower()}@example.com")
    for name in ("Alice", "Bob", "Chidi", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ivo")
)


@dataclass(frozen=True, slots=True)
class History:
    """What was written: the trunk change count and the time span of the trunk commits."""

    changes: int
    first: datetime
    last: datetime


def conventional_title(index: int) -> str:
    """The conventional title of trunk change `index` (never a revert, never a merge subject)."""
    kind, scope = _TYPES[index % len(_TYPES)]
    breaking = "!" if index % 50 == 7 else ""
    head = f"{kind}({scope}){breaking}" if scope else f"{kind}{breaking}"
    jira = f" PAY-{index}" if index % 4 == 0 else ""
    return f"{head}: {_SUBJECTS[(index // 3) % len(_SUBJECTS)]} {index}{jira}"


def build_history(path: Path, *, changes: int, start: datetime) -> History:
    """Create a repository at `path` whose trunk holds `changes` changes from `start` on.

    Trunk commits are one minute apart (branch commits fall in between), so the whole history
    spans about `changes` minutes.
    """
    path.mkdir(parents=True, exist_ok=True)
    _git(path, "init", "-q", f"--initial-branch={TRUNK}")
    stream = _Stream(start)
    for index in range(changes):
        stream.change(index)
    _git(path, "fast-import", "--quiet", stdin=stream.data())
    _git(path, "reset", "-q", "--hard")
    return History(changes=changes, first=start, last=stream.last)


def _git(path: Path, *args: str, stdin: bytes = b"") -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", *args],
        cwd=path,
        input=stdin,
        env=env,
        capture_output=True,
        check=True,
    )


class _Stream:
    """The fast-import commands of the history, built change by change."""

    def __init__(self, start: datetime) -> None:
        self._out: list[bytes] = []
        self._mark = 0
        self._trunk: str | None = None
        self._start = start
        self.last = start

    def data(self) -> bytes:
        return b"".join(self._out)

    def change(self, index: int) -> None:
        when = self._start + timedelta(minutes=index)
        self.last = when
        author = _AUTHORS[index % len(_AUTHORS)]
        title = conventional_title(index)
        files = _files(index)
        body = f"\n\nFeature-Flag: flag-{index}\n" if "!" in title.split(":")[0] else "\n"
        if index % 3 == 1 and self._trunk is not None:
            self._merge(index, title=title, body=body, files=files, when=when, author=author)
        elif index % 3 == 2:
            self._trunk = self._commit(
                f"refs/heads/{TRUNK}",
                f"{title} (#{index}){body}",
                files,
                when=when,
                author=author,
                parents=(self._trunk,),
            )
        else:
            self._trunk = self._commit(
                f"refs/heads/{TRUNK}",
                f"{title}{body}",
                files,
                when=when,
                author=author,
                parents=(self._trunk,),
            )

    def _merge(
        self,
        index: int,
        *,
        title: str,
        body: str,
        files: dict[str, str],
        when: datetime,
        author: tuple[str, str],
    ) -> None:
        branch = f"refs/heads/pr-{index}"
        scratch = {f"notes/pr-{index}.md": f"draft {index}\n"}
        first = self._commit(
            branch,
            f"Start work on change {index}\n",
            scratch,
            when=when - timedelta(seconds=40),
            author=author,
            parents=(self._trunk,),
        )
        tip = self._commit(
            branch,
            f"{title}{body}",
            files,
            when=when - timedelta(seconds=20),
            author=author,
            parents=(first,),
        )
        # fast-import does not merge trees: the merge commit restates what the branch changed.
        message = f"Merge pull request #{index} from octo/pr-{index}\n\n{title}\n"
        self._trunk = self._commit(
            f"refs/heads/{TRUNK}",
            message,
            {**scratch, **files},
            when=when,
            author=("GitHub", "noreply@github.com"),
            parents=(self._trunk, tip),
        )

    def _commit(
        self,
        ref: str,
        message: str,
        files: dict[str, str],
        *,
        when: datetime,
        author: tuple[str, str],
        parents: tuple[str | None, ...],
    ) -> str:
        self._mark += 1
        stamp = f"{author[0]} <{author[1]}> {int(when.timestamp())} +0000"
        text = message.encode()
        parts = [
            f"commit {ref}\nmark :{self._mark}\n".encode(),
            f"author {stamp}\ncommitter {stamp}\n".encode(),
            f"data {len(text)}\n".encode() + text + b"\n",
        ]
        real = [parent for parent in parents if parent is not None]
        if real:
            parts.append(f"from {real[0]}\n".encode())
        parts += [f"merge {parent}\n".encode() for parent in real[1:]]
        for name, content in files.items():
            raw = content.encode()
            parts.append(f"M 100644 inline {name}\ndata {len(raw)}\n".encode() + raw + b"\n")
        self._out.append(b"".join(parts) + b"\n")
        return f":{self._mark}"


def _files(index: int) -> dict[str, str]:
    """The files change `index` writes: two modules, sometimes UI, every tenth a migration."""
    body = "".join(f"line_{n} = {index + n}\n" for n in range(12))
    files = {
        f"src/app/module{index % 61}.py": body,
        f"src/app/service{(index * 7) % 43}.py": f"VERSION = {index}\n",
    }
    if index % 5 == 3:
        files[f"web/pages/page{index % 17}.tsx"] = f"export const version = {index};\n"
    if index % 10 == 0:
        files[f"db/migrations/{index:05d}_add_c{index}.sql"] = (
            f"ALTER TABLE orders ADD COLUMN c{index} integer;\n"
        )
    return files
