"""The global options work after the command as well as before it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.cli import Result
from tests.workspace import Workspace


def _run(ws: Workspace, *args: str) -> Result:
    """`python -m bot ARGS...` with no config option added in front."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELEASE_TRAIN_")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ws.root.parent,  # not the workspace: release-train.toml there must not be found
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def test_config_and_train_after_the_command(workspace: Workspace) -> None:
    workspace.repo.squash_pr(1, title="fix: one", files={"a.txt": "a\n"})

    synced = _run(workspace, "sync", "-c", str(workspace.config), "--train", "payments")
    status = _run(workspace, "status", "--json", "--config", str(workspace.config))

    assert synced.code == 0, synced.err
    assert "recorded 2 new change(s) for train 'payments'" in synced.out
    assert status.code == 0, status.err
    assert status.json()["train"] == "payments"


def test_log_options_after_the_command_take_effect(workspace: Workspace) -> None:
    result = _run(
        workspace, "sync", "--dry-run", "--log-format", "json", "-v", "-c", str(workspace.config)
    )

    assert result.code == 0, result.err
    assert result.err.strip(), "verbose logging writes to stderr"
    assert all(line.startswith("{") for line in result.err.strip().splitlines())


def test_an_option_after_the_command_wins_over_the_one_before(workspace: Workspace) -> None:
    missing = workspace.root / "missing.toml"

    result = _run(workspace, "-c", str(missing), "db", "upgrade", "-c", str(workspace.config))

    assert result.code == 0, result.err
    assert result.out.startswith("store schema is at revision ")
