"""A workspace for running `python -m bot` against the fake Jira: config, repository, store."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.cli import Result, run_cli
from tests.fakes.jira import FakeJira, Request
from tests.gitrepo import GitRepo

TOKEN_ENV = "RELEASE_TRAIN_JIRA__TOKEN"
JQL = 'project = PAY AND labels = "release-train" AND sprint = {sprint_id}'
# The current sprint began three days ago and runs for eleven more.
SPRINT_START = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
    days=3
)
SPRINT_END = SPRINT_START + timedelta(days=14)


def merged(minutes: int) -> datetime:
    """A merge time inside the current sprint (a day after it starts)."""
    return SPRINT_START + timedelta(days=1, minutes=minutes)


@dataclass
class Timed(Result):
    """A run of the command, with how long the process took."""

    seconds: float = 0.0


@dataclass
class JiraSite:
    """One train over one git repository, its sprints on a board of the fake Jira."""

    root: Path
    repo: GitRepo
    fake: FakeJira
    board: int
    sprint: int | None  # the active sprint's id

    @property
    def config(self) -> Path:
        return self.root / "release-train.toml"

    def write_config(self, *, board: int | None = None, since: datetime = SPRINT_START) -> None:
        email = f'email = "{self.fake.email}"' if self.fake.mode == "cloud" else ""
        self.config.write_text(
            f"""
[store]
url = "sqlite:///{self.root / "store.db"}"

[jira]
url = "{self.fake.base_url}"
deployment = "{self.fake.mode}"
{email}

[[trains]]
name = "payments"

  [trains.sprint]
  board_id = {board if board is not None else self.board}

  [trains.ticket]
  jql = '{JQL}'
  create = true
  project = "PAY"

  [[trains.sources]]
  name = "api"
  kind = "git"
  path = "{self.repo.path}"
  branch = "main"
  web_url = "https://git.example.com/api/commit/{{sha}}"
  since = "{since:%Y-%m-%d}"
""",
            encoding="utf-8",
        )

    def run(self, *args: str, token: str | None = None, timeout: int = 60) -> Timed:
        """`python -m bot -c <config> ARGS...` with the Jira token in the environment."""
        env = {TOKEN_ENV: self.fake.token if token is None else token}
        began = time.monotonic()
        done = run_cli(self.config, *args, cwd=self.root, env=env, timeout=timeout)
        return Timed(done.code, done.out, done.err, time.monotonic() - began)

    def sync(self, *args: str, token: str | None = None) -> Timed:
        return self.run("sync", *args, token=token)

    def merge(self, title: str, *, minutes: int, files: Mapping[str, str] | None = None) -> str:
        """A commit pushed straight to the trunk at `merged(minutes)`; returns its change id."""
        sha = self.repo.commit(
            title, files=files or {f"f{minutes}.txt": title}, when=merged(minutes)
        )
        return f"git:api:{sha}"

    def mark(self) -> int:
        """A point in the request log, for `since`."""
        return len(self.fake.requests)

    def since(self, mark: int) -> list[Request]:
        return self.fake.requests[mark:]


def link_posts(requests: list[Request]) -> list[Request]:
    return [r for r in requests if r.method == "POST" and r.path.endswith("/remotelink")]


def link_reads(requests: list[Request]) -> list[Request]:
    return [r for r in requests if r.method == "GET" and r.path.endswith("/remotelink")]


def writes(requests: list[Request]) -> list[Request]:
    return [r for r in requests if r.is_write]


def links_by_global_id(fake: FakeJira, key: str) -> dict[str, dict[str, Any]]:
    """The ticket's remote links by globalId; every globalId must appear once."""
    links = fake.remote_links(key)
    ids = [link["globalId"] for link in links]
    assert len(ids) == len(set(ids)), f"a globalId appears twice on {key}: {ids}"
    return {link["globalId"]: link for link in links}


def serve(mode: str, **options: Any) -> Iterator[FakeJira]:
    """A running fake Jira that must stay faithful to the API description."""
    with FakeJira(mode=mode, **options) as fake:
        yield fake
        fake.assert_faithful()


def build_site(root: Path, fake: FakeJira, *, sprint: bool = True) -> JiraSite:
    """Project PAY with a scrum board (and its active sprint), and a repository whose trunk
    holds one change in that sprint."""
    board = fake.add_board("PAY")
    active = (
        fake.add_sprint(board, "Sprint 7", "active", SPRINT_START, SPRINT_END) if sprint else None
    )
    repo = GitRepo(root / "api", start=merged(0))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    site = JiraSite(root=root, repo=repo, fake=fake, board=board, sprint=active)
    site.write_config()
    return site
