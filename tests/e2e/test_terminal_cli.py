"""What people see on a terminal: progress during a sync, and none when output is piped."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

from tests.workspace import Workspace


def _run_with_terminal_stderr(ws: Workspace, *args: str) -> tuple[int, str, str]:
    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELEASE_TRAIN_")}
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "-c", str(ws.config), *args],
        cwd=ws.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=terminal,
    ) as proc:
        os.close(terminal)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closes when the process exits
                break
            if not chunk:
                break
            chunks.append(chunk)
        out = proc.stdout.read().decode() if proc.stdout else ""
        code = proc.wait(timeout=60)
    os.close(controller)
    err = b"".join(chunks).decode(errors="replace")
    return code, out, err


def test_sync_shows_progress_on_a_terminal(workspace: Workspace) -> None:
    workspace.repo.squash_pr(1, title="fix: one", files={"a.txt": "a\n"})

    code, out, err = _run_with_terminal_stderr(workspace, "sync")

    assert code == 0, err
    assert "gathering api" in err
    assert re.search(r"reading api: \d+ pages, 2 changes", err), err
    assert "recorded 2 new change(s)" in out


def test_progress_never_reaches_the_log_lines(workspace: Workspace) -> None:
    workspace.repo.squash_pr(1, title="fix: one", files={"a.txt": "a\n"})

    code, _, err = _run_with_terminal_stderr(workspace, "--verbose", "--log-format", "json", "sync")

    assert code == 0, err
    assert "reading api:" in err  # on the status line, rewritten in place
    logged = [part for line in err.splitlines() for part in line.split("\r") if "{" in part]
    assert logged, err
    assert not [line for line in logged if "reading api" in line or "pages" in line]


def test_sync_is_quiet_when_stderr_is_not_a_terminal(workspace: Workspace) -> None:
    workspace.repo.squash_pr(1, title="fix: one", files={"a.txt": "a\n"})

    result = workspace.run("--verbose", "sync")

    assert result.code == 0, result.err
    assert "gathering" not in result.err
    assert "reading api" not in result.err and "pages" not in result.err
