"""`release-train init`: a starter configuration for the repository in the current folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli import Result
from tests.gitrepo import GitRepo
from tests.workspace import history_time


def _run(cwd: Path, *args: str) -> Result:
    """`python -m bot ARGS...` in `cwd`, with no config option or variable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELEASE_TRAIN_")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "payments api", start=history_time(0))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    return repo


def test_init_writes_a_config_that_check_and_sync_accept(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    repo.squash_pr(3, title="fix: rounding", files={"api/money.py": "m\n"})

    written = _run(repo.path, "init")
    checked = _run(repo.path, "check")
    synced = _run(repo.path, "sync", "--json")

    assert written.code == 0, written.err
    config = (repo.path / "release-train.toml").read_text(encoding="utf-8")
    assert 'name = "payments-api"' in config
    assert 'path = "."' in config
    assert "length_days = 14" in config
    assert checked.code == 0, checked.out + checked.err
    assert synced.code == 0, synced.err
    assert [c["title"] for c in synced.json()["changes"]] == ["Initial import", "fix: rounding"]
    assert (repo.path / "release-train.db").is_file()


def test_init_never_overwrites_a_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    existing = repo.path / "release-train.toml"
    existing.write_text("# mine\n", encoding="utf-8")

    result = _run(repo.path, "init")

    assert result.code == 2
    assert "already exists" in result.err
    assert existing.read_text(encoding="utf-8") == "# mine\n"


def test_init_with_a_path_puts_the_store_beside_the_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    target = tmp_path / "configs" / "payments.toml"
    target.parent.mkdir()

    written = _run(repo.path, "init", "--path", str(target))
    synced = _run(tmp_path, "-c", str(target), "sync")

    assert written.code == 0, written.err
    assert synced.code == 0, synced.err
    assert (target.parent / "release-train.db").is_file()
    assert 'path = "../payments api"' in target.read_text(encoding="utf-8")


def test_init_outside_a_git_repository_says_so(tmp_path: Path) -> None:
    result = _run(tmp_path, "init")

    assert result.code == 2
    assert "is not a git repository" in result.err
    assert not (tmp_path / "release-train.toml").exists()


def test_the_starter_policy_does_not_count_text_templates_as_ui(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    repo.squash_pr(4, title="Reword the notes template", files={"bot/templates/n.md.j2": "x\n"})
    repo.squash_pr(5, title="New checkout page", files={"shop/templates/pay.html": "<p>\n"})
    assert _run(repo.path, "init").code == 0

    synced = _run(repo.path, "sync", "--json")

    categories = {c["title"]: c["category"] for c in synced.json()["changes"]}
    assert categories["Reword the notes template"] == "other"
    assert categories["New checkout page"] == "ui"
