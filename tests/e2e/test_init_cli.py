"""`release-train init`: a starter configuration for the repository in the current folder.

The first tests run the command in a process of its own, as a user does; the rest run it
inside the test process (tests.cli.run_here), over the same real git repositories.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.settings.starter import first_sprint_day
from tests.cli import Result, run_here
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


def _here(cwd: Path, *args: str) -> Result:
    """The same command inside the test process, with no config option or variable."""
    return run_here(None, *args, cwd=cwd)


def _repo(tmp_path: Path, folder: str = "payments api") -> GitRepo:
    repo = GitRepo(tmp_path / folder, start=history_time(0))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    return repo


def _days_ago(days: int) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)


def test_init_writes_a_config_that_check_and_sync_accept(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    repo.squash_pr(3, title="fix: rounding", files={"api/money.py": "m\n"})

    written = _run(repo.path, "init")
    checked = _run(repo.path, "check")
    synced = _run(repo.path, "sync")

    assert written.code == 0, written.err
    config = (repo.path / "release-train.toml").read_text(encoding="utf-8")
    assert 'name = "payments-api"' in config
    assert 'path = "."' in config
    assert "length_days = 14" in config
    assert checked.code == 0, checked.out + checked.err
    assert synced.code == 0, synced.err
    assert "recorded 2 new change(s) for train 'payments-api'" in synced.out
    assert (repo.path / "release-train.db").is_file()


def test_the_first_sync_after_init_reads_the_four_weeks_before_this_one(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api", start=_days_ago(40))
    repo.commit("Older than the first sprint", files={"a.txt": "a\n"}, when=_days_ago(40))
    repo.squash_pr(1, title="fix: three weeks ago", files={"b.txt": "b\n"}, when=_days_ago(27))
    repo.squash_pr(2, title="fix: this week", files={"c.txt": "c\n"}, when=_days_ago(0))
    first_day = first_sprint_day(date.today())

    assert _here(repo.path, "init").code == 0
    config = tomllib.loads((repo.path / "release-train.toml").read_text(encoding="utf-8"))
    synced = _here(repo.path, "sync")
    sprint_1 = _here(repo.path, "notes", "--sprint", "Sprint 1")

    [train] = config["trains"]
    assert train["sprint"]["first_day"] == first_day.isoformat()
    assert train["sources"][0]["since"] == first_day.isoformat()
    assert synced.code == 0, synced.err
    assert "recorded 2 new change(s)" in synced.out
    assert sprint_1.code == 0, sprint_1.err
    assert "three weeks ago" in sprint_1.out


def test_merges_of_the_last_weeks_show_in_the_latest_sprints_notes_after_init(
    tmp_path: Path,
) -> None:
    today = datetime.now(UTC).date()
    ages = (5, 9, 13, 20)
    merged = {age: datetime.combine(today - timedelta(days=age), time(12), UTC) for age in ages}
    repo = GitRepo(tmp_path / "shop", start=merged[20] - timedelta(days=1))
    repo.commit("Initial import", files={"README.md": "hello\n"}, when=merged[20] - timedelta(1))
    for number, age in enumerate(sorted(ages, reverse=True), start=1):
        repo.squash_pr(
            number,
            title=f"fix: merged {age} days ago",
            files={f"f{age}.txt": "x\n"},
            when=merged[age],
        )
    first_day = first_sprint_day(today)

    def sprint_of(day: date) -> int:
        return (day - first_day).days // 14

    latest = sprint_of(merged[5].date())
    assert _here(repo.path, "init").code == 0
    synced = _here(repo.path, "sync")
    notes = _here(repo.path, "notes", "--sprint", "latest")

    assert synced.code == 0, synced.err
    assert notes.code == 0, notes.err
    for age in ages:
        shown = f"merged {age} days ago" in notes.out
        assert shown == (sprint_of(merged[age].date()) == latest), (age, notes.out)
    assert f"Sprint {latest + 1}" in notes.out


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


def test_the_store_stays_beside_the_config_when_the_folder_moves(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert _here(repo.path, "init").code == 0
    moved = tmp_path / "elsewhere" / "payments api"
    moved.parent.mkdir()
    shutil.move(repo.path, moved)
    elsewhere = tmp_path / "a working folder"
    elsewhere.mkdir()

    synced = _here(elsewhere, "-c", str(moved / "release-train.toml"), "sync")

    assert 'url = "sqlite:///release-train.db"' in (moved / "release-train.toml").read_text()
    assert synced.code == 0, synced.err
    assert (moved / "release-train.db").is_file()
    assert not (elsewhere / "release-train.db").exists()


def test_init_outside_a_git_repository_says_so(tmp_path: Path) -> None:
    result = _run(tmp_path, "init")

    assert result.code == 2
    assert "is not a git repository" in result.err
    assert not (tmp_path / "release-train.toml").exists()


def test_the_starter_policy_does_not_count_text_templates_as_ui(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    notes = repo.squash_pr(
        4, title="Reword the notes template", files={"bot/templates/n.md.j2": "x\n"}
    )
    page = repo.squash_pr(5, title="New checkout page", files={"shop/templates/pay.html": "<p>\n"})
    assert _run(repo.path, "init").code == 0
    assert _run(repo.path, "sync").code == 0

    explained = {sha: _run(repo.path, "explain", sha[:10], "--json") for sha in (notes, page)}

    assert explained[notes].json()["category"] == "other"
    assert explained[page].json()["category"] == "ui"


@pytest.mark.parametrize(("folder", "name"), [("_tools", "tools"), ("My Repo!", "My-Repo")])
def test_init_in_any_folder_writes_a_train_name_that_sync_accepts(
    tmp_path: Path, folder: str, name: str
) -> None:
    repo = _repo(tmp_path, folder)

    written = _here(repo.path, "init")
    synced = _here(repo.path, "sync")

    assert written.code == 0, written.err
    assert f"train '{name}'" in written.out
    assert synced.code == 0, synced.err
    assert f"for train '{name}'" in synced.out


def test_init_names_the_repositorys_post_deployment_migration_folders(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    repo.commit(
        "Post-deployment migrations",
        files={
            "db/post_migrate/20261101_drop_legacy.rb": "remove_column :users, :legacy\n",
            "ee/db/post_migrate/20261102_x.rb": "x\n",
            "services/ledger/post_migrations/0001.sql": "DROP TABLE old;\n",
            ".gitignore": "vendor/\nrelease-train.db*\n",
        },
    )
    ignored = repo.path / "vendor" / "gem" / "post_migrations"
    ignored.mkdir(parents=True)
    (ignored / "0001.sql").write_text("x\n", encoding="utf-8")

    written = _here(repo.path, "init")
    checked = _here(repo.path, "check")

    config = tomllib.loads((repo.path / "release-train.toml").read_text(encoding="utf-8"))
    assert written.code == 0, written.err
    assert config["policy"]["post_deploy_paths"] == [
        "db/post_migrate/**",
        "ee/db/post_migrate/**",
        "services/ledger/post_migrations/**",
    ]
    assert checked.code == 0, checked.out + checked.err


def test_init_writes_no_policy_for_a_repository_without_post_deployment_folders(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path)
    repo.commit("Migrations", files={"db/migrate/20261101_add.rb": "add_column :a, :b\n"})

    assert _here(repo.path, "init").code == 0

    config = tomllib.loads((repo.path / "release-train.toml").read_text(encoding="utf-8"))
    assert "policy" not in config


def test_init_says_the_exact_gitignore_line_and_leaves_the_file_alone(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo.path / ".gitignore").write_text("node_modules/\n", encoding="utf-8")

    written = _here(repo.path, "init")

    assert written.code == 0, written.err
    lines = written.out.splitlines()
    hint = next(i for i, line in enumerate(lines) if line.startswith("keep the store out of git"))
    assert str(repo.path / ".gitignore") in lines[hint]
    assert lines[hint + 1] == "  release-train.db*"
    assert (repo.path / ".gitignore").read_text(encoding="utf-8") == "node_modules/\n"


def test_init_without_a_gitignore_says_to_create_one_holding_the_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path)

    written = _here(repo.path, "init")

    assert written.code == 0, written.err
    assert f"create {repo.path / '.gitignore'} holding the line:\n  release-train.db*\n" in (
        written.out
    )
    assert not (repo.path / ".gitignore").exists()


def test_init_says_nothing_of_gitignore_when_git_already_ignores_the_store(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo.path / ".gitignore").write_text("*.db*\n", encoding="utf-8")

    written = _here(repo.path, "init")

    assert written.code == 0, written.err
    assert "gitignore" not in written.out


def test_init_in_a_subfolder_gives_the_line_from_the_repositorys_top(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo.path / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    (repo.path / "ops").mkdir()

    written = _here(repo.path, "init", "--path", "ops/release-train.toml")

    assert written.code == 0, written.err
    assert "\n  ops/release-train.db*\n" in written.out
