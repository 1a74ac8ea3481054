"""A first run never shows a blank screen: the demo configuration on the first day of a sprint,
`--sprint latest`, the empty sprint's pointer, `sync --since` and the one outside-every-sprint
notice. Real git repositories, the real command line (in process), a fresh SQLite store.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.cli import run_here
from tests.gitrepo import GitRepo

REPO_ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.now(UTC).date()


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _demo_config(tmp_path: Path, repo: GitRepo, first_day: date) -> Path:
    """config.example.toml as shipped, pointed at `repo` with `first_day` moved."""
    text = (REPO_ROOT / "config.example.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^(\s*)first_day = "[0-9-]+"', rf'\1first_day = "{first_day}"', text)
    text = re.sub(r'(?m)^(\s*)since = "[0-9-]+"', rf'\1since = "{first_day}"', text)
    text = re.sub(r'(?m)^(\s*)path = "\."', rf'\1path = "{repo.path}"', text)
    text = re.sub(r'(?m)^url = "sqlite:///release-train.db"', 'url = "sqlite:///demo.db"', text)
    config = tmp_path / "release-train.toml"
    config.write_text(text, encoding="utf-8")
    return config


def test_the_demo_on_the_first_day_of_a_sprint_shows_changes_and_notes(tmp_path: Path) -> None:
    # Today is the first day of Sprint 3: the current sprint is empty, the last one is not.
    first_day = TODAY - timedelta(days=28)
    repo = GitRepo(tmp_path / "repo", start=_at(first_day))
    repo.commit("Initial import", files={"README.md": "hi\n"}, when=_at(TODAY - timedelta(days=12)))
    repo.commit(
        "feat: refund reasons", files={"app.py": "x = 1\n"}, when=_at(TODAY - timedelta(days=5))
    )
    repo.commit("fix: rounding", files={"app.py": "x = 2\n"}, when=_at(TODAY - timedelta(days=2)))
    config = _demo_config(tmp_path, repo, first_day)

    synced = run_here(config, "sync", cwd=tmp_path)
    status = run_here(config, "status", cwd=tmp_path)
    latest = run_here(config, "status", "--sprint", "latest", cwd=tmp_path)
    notes = run_here(config, "notes", "--sprint", "latest", cwd=tmp_path)
    empty_notes = run_here(config, "notes", cwd=tmp_path)

    assert synced.code == 0, synced.err
    assert "recorded 3 new change(s)" in synced.out
    assert (
        "Sprint 3 has no changes recorded yet; the latest sprint with changes is Sprint 2: "
        "release-train status --sprint latest"
    ) in status.out
    assert "Sprint 2" in latest.out and "refund reasons" in latest.out
    assert notes.code == 0
    assert "## Features\n\n- refund reasons" in notes.out
    assert "## Fixes\n\n- rounding" in notes.out
    assert empty_notes.code == 0
    assert "No changes recorded for this sprint yet." in empty_notes.out
    assert "note: Sprint 3 has no changes recorded yet" in empty_notes.err
    assert "release-train notes --sprint latest" in empty_notes.err


def test_status_json_of_an_empty_sprint_says_where_the_changes_are(tmp_path: Path) -> None:
    first_day = TODAY - timedelta(days=14)
    repo = GitRepo(tmp_path / "repo", start=_at(first_day))
    repo.commit("fix: one", files={"a": "1\n"}, when=_at(TODAY - timedelta(days=3)))
    config = _demo_config(tmp_path, repo, first_day)
    assert run_here(config, "sync", cwd=tmp_path).code == 0

    report = run_here(config, "status", "--json", cwd=tmp_path).json()

    assert report["sprint"]["name"] == "Sprint 2"
    assert report["changes"] == []
    assert any("latest sprint with changes is Sprint 1" in n for n in report["notices"])


def test_sprint_latest_of_a_train_without_changes_is_a_clear_error(tmp_path: Path) -> None:
    first_day = TODAY - timedelta(days=14)
    repo = GitRepo(tmp_path / "repo", start=_at(first_day - timedelta(days=5)))
    repo.commit(
        "fix: before every sprint",
        files={"a": "1\n"},
        when=_at(first_day, hour=0) - timedelta(days=2),
    )
    config = _demo_config(tmp_path, repo, first_day)
    assert (
        run_here(config, "sync", "--since", f"{first_day - timedelta(days=3)}", cwd=tmp_path).code
        == 0
    )

    result = run_here(config, "notes", "--sprint", "latest", cwd=tmp_path)

    assert result.code == 2
    assert result.err.strip().endswith(
        "--sprint latest: train 'release-train' has no recorded changes yet; run release-train sync"
    )


def test_sync_since_a_day_gathers_history_the_first_sync_left_out(tmp_path: Path) -> None:
    first_day = TODAY - timedelta(days=28)
    repo = GitRepo(tmp_path / "repo", start=_at(first_day))
    repo.commit("fix: old", files={"a": "1\n"}, when=_at(TODAY - timedelta(days=20)))
    repo.commit("fix: recent", files={"a": "2\n"}, when=_at(TODAY - timedelta(days=3)))
    config = _demo_config(tmp_path, repo, first_day)
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(?m)^(\s*)since = "[0-9-]+"\n', "", text), encoding="utf-8")

    first = run_here(config, "sync", cwd=tmp_path)  # from the current sprint's start: nothing
    again = run_here(config, "sync", "--since", f"{first_day}", cwd=tmp_path)
    twice = run_here(config, "sync", "--since", f"{first_day}", cwd=tmp_path)

    assert "recorded 0 new change(s)" in first.out
    assert "recorded 2 new change(s)" in again.out
    assert "recorded 0 new change(s)" in twice.out  # each change recorded once
    for sprint, title in (("Sprint 1", "fix: old"), ("Sprint 2", "fix: recent")):
        report = run_here(config, "status", "--json", "--sprint", sprint, cwd=tmp_path).json()
        assert [c["title"] for c in report["changes"]] == [title]


def test_history_before_the_first_sprint_is_one_notice(tmp_path: Path) -> None:
    first_day = TODAY - timedelta(days=14)
    repo = GitRepo(tmp_path / "repo", start=_at(first_day - timedelta(days=60)))
    for n in range(12):
        repo.commit(
            f"fix: {n}", files={"a": f"{n}\n"}, when=_at(first_day - timedelta(days=30 - n))
        )
    config = _demo_config(tmp_path, repo, first_day)

    result = run_here(config, "sync", "--since", f"{first_day - timedelta(days=40)}", cwd=tmp_path)

    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if "outside every sprint" in line]
    first, last = first_day - timedelta(days=30), first_day - timedelta(days=19)
    assert lines == [
        f"note: 12 changes merged between {first} and {last} fall outside every sprint and are "
        "not part of any train (sprints start at the train's first_day)"
    ]


def test_check_and_status_word_the_sprint_window_the_same_way(tmp_path: Path) -> None:
    first_day = TODAY - timedelta(days=3)
    repo = GitRepo(tmp_path / "repo", start=_at(first_day))
    repo.commit("fix: one", files={"a": "1\n"}, when=_at(first_day))
    config = _demo_config(tmp_path, repo, first_day)
    assert run_here(config, "sync", cwd=tmp_path).code == 0

    status = run_here(config, "status", cwd=tmp_path).out
    check = run_here(config, "check", cwd=tmp_path).out

    window = re.search(r"— Sprint 1 \((.+?), UTC\)", status)
    assert window is not None, status
    assert f"current sprint Sprint 1 ({window.group(1)})" in check
