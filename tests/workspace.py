"""A config file, its store and one git repository in a temporary folder, and the command run
over them: in a process of its own (e2e), or inside the test process (configuration cases)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli import Result, run_cli, run_here
from tests.gitrepo import GitRepo


@dataclass
class Workspace:
    """A config file, its store and one git repository, in a temporary folder."""

    root: Path
    repo: GitRepo
    config: Path
    in_process: bool = False  # run commands inside the test process (tests.cli.run_here)

    def run(self, *args: str, env: Mapping[str, str] | None = None, timeout: int = 60) -> Result:
        """`python -m bot -c <config> ARGS...` in the workspace."""
        if self.in_process:
            return run_here(self.config, *args, cwd=self.root, env=env)
        return run_cli(self.config, *args, cwd=self.root, env=env, timeout=timeout)

    def write_config(self, extra_train: str = "", extra_top: str = "", **source: str) -> None:
        """(Re)write the config: one train over the workspace's repository."""
        lines = [f'{k} = "{v}"' for k, v in source.items()]
        self.config.write_text(
            f"""
{extra_top}
[store]
url = "sqlite:///{self.root / "store.db"}"

[[trains]]
name = "payments"
timezone = "Europe/Berlin"
{extra_train}
  [trains.sprint]
  length_days = 14
  first_day = "{sprint_start():%Y-%m-%d}"

  [[trains.sources]]
  name = "api"
  kind = "git"
  path = "{self.repo.path}"
  branch = "main"
  web_url = "https://git.example.com/api/commit/{{sha}}"
  since = "{sprint_start():%Y-%m-%d}"
  {chr(10).join(lines)}
""",
            encoding="utf-8",
        )


def sprint_start() -> datetime:
    """Midnight UTC a few days ago: the first day of the current cadence sprint in the tests."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=3)


def history_time(minutes: int) -> datetime:
    """A merge time inside the current sprint (a day after it starts)."""
    return sprint_start() + timedelta(days=1, minutes=minutes)


def make_workspace(root: Path, *, in_process: bool = False) -> Workspace:
    """A workspace in `root`: one train over a repository holding one commit of this sprint."""
    repo = GitRepo(root / "api", start=history_time(0))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    ws = Workspace(root=root, repo=repo, config=root / "release-train.toml", in_process=in_process)
    ws.write_config()
    return ws
