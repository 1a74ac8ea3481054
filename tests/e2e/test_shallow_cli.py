"""`check` and `sync` on a shallow clone: the cut is said, and nothing is read as a whole tree."""

from __future__ import annotations

from pathlib import Path

from tests.gitrepo import GitRepo
from tests.workspace import Workspace, history_time


def test_check_says_the_clone_is_shallow_and_sync_reads_no_whole_tree(tmp_path: Path) -> None:
    origin = GitRepo(tmp_path / "origin", start=history_time(0))
    origin.commit("Initial import", files={"README.md": "hi\n", "db/migrations/1.sql": ""})
    origin.commit("Drop legacy", files={"db/migrations/2.sql": "ALTER TABLE t DROP COLUMN c;\n"})
    origin.commit("fix: typo in README", files={"README.md": "hi!\n"})
    origin.git("clone", "-q", "--depth", "1", f"file://{origin.path}", str(tmp_path / "api"))
    ws = Workspace(root=tmp_path, repo=GitRepo(tmp_path / "api"), config=tmp_path / "rt.toml")
    ws.write_config()

    check = ws.run("check")
    synced = ws.run("sync", "--json")

    assert check.code == 0, check.err
    assert "Git source 'api' is a shallow clone" in check.out
    assert synced.code == 0, synced.err
    (change,) = synced.json()["changes"]
    assert change["release_class"] == "continuous"
    assert change["reasons"][0].startswith("its parent commit is missing from this shallow clone")
