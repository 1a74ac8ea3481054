"""A sync killed at any point, then run again, records each change exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.gitrepo import trunk_shas
from tests.workspace import Workspace


def _start_sync(ws: Workspace) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELEASE_TRAIN_")}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "-c", str(ws.config), "sync"],
        cwd=ws.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_syncs_then_a_rerun_record_each_change_once(workspace: Workspace) -> None:
    workspace.repo.bulk_history(400, migration_every=7)
    expected = set(trunk_shas(workspace.repo))
    # Kill a sync at growing delays, so the kills land in start-up, gathering and recording.
    for delay in (0.05, 0.3, 0.6, 0.9, 1.2, 1.6, 2.0):
        proc = _start_sync(workspace)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    # More history after the crashes, so the final sync also has new work to do.
    workspace.repo.squash_pr(9001, title="fix: after the crashes", files={"x.txt": "x\n"})
    expected.add(workspace.repo.rev())

    result = workspace.run("sync", "--json", timeout=120)

    assert result.code == 0, result.err
    ids = [c["id"] for c in result.json()["changes"]]
    assert len(ids) == len(set(ids))
    assert {i.rsplit(":", 1)[1] for i in ids} == expected
