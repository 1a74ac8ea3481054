"""The command line as a user runs it: a real process over a real git repository and store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.gitrepo import GitRepo


@dataclass
class Result:
    """What one run of the command printed and how it exited."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(
    config: Path,
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> Result:
    """`python -m bot -c CONFIG ARGS...` as a user runs it: no inherited RELEASE_TRAIN_*
    variables, loopback never through a proxy, plus `env`."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RELEASE_TRAIN_")}
    full_env["NO_PROXY"] = full_env["no_proxy"] = "127.0.0.1,localhost"
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "-c", str(config), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@dataclass
class Workspace:
    """A config file, its store and one git repository, in a temporary folder."""

    root: Path
    repo: GitRepo
    config: Path

    def run(self, *args: str, env: Mapping[str, str] | None = None, timeout: int = 60) -> Result:
        """`python -m bot -c <config> ARGS...` in the workspace."""
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


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    repo = GitRepo(tmp_path / "api", start=history_time(0))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    ws = Workspace(root=tmp_path, repo=repo, config=tmp_path / "release-train.toml")
    ws.write_config()
    return ws
