"""A shallow clone through the real git source: the cut is said, never read as a whole tree."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.sources.git import GitSource
from bot.domain.model import ReleaseClass
from bot.domain.policy import PolicyConfig, classify
from tests.gitrepo import GitRepo, git_executable

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def _shallow_clone(tmp_path: Path) -> Path:
    origin = GitRepo(tmp_path / "origin")
    origin.commit("Initial import", files={"README.md": "hello\n", "db/migrations/1.sql": ""})
    origin.commit(
        "Drop legacy", files={"db/migrations/2.sql": "ALTER TABLE orders DROP COLUMN legacy;\n"}
    )
    origin.commit("fix: typo in README", files={"README.md": "hello!\n"})
    origin.commit("fix: rounding", files={"api/money.py": "round = 2\n"})
    clone = tmp_path / "clone"
    origin.git("clone", "-q", "--depth", "2", f"file://{origin.path}", str(clone))
    return clone


def _source(path: Path) -> GitSource:
    return GitSource(
        name="api", path=path, branch="main", migration_paths=PolicyConfig().migration_paths
    )


def test_the_commit_at_a_shallow_cut_is_not_classified_from_the_whole_tree(
    tmp_path: Path,
) -> None:
    batch = _source(_shallow_clone(tmp_path)).gather(cursor=None, since=LONG_AGO)

    cut, latest = batch.changes
    assert cut.title == "fix: typo in README"
    assert cut.files == ()
    verdict = classify(cut, config=PolicyConfig(), history=(), sprint="Sprint 1")
    assert verdict.release_class is ReleaseClass.CONTINUOUS
    assert verdict.reasons[0].startswith("its parent commit is missing from this shallow clone")
    assert [f.path for f in latest.files] == ["api/money.py"]
    (notice,) = batch.notices
    assert notice.startswith("Git source 'api' is a shallow clone: history before its cut")


def test_a_full_clone_says_nothing_about_shallowness(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    repo.commit("Initial import", files={"README.md": "hello\n"})

    batch = _source(repo.path).gather(cursor=None, since=LONG_AGO)

    (root,) = batch.changes
    assert [f.path for f in root.files] == ["README.md"]
    assert batch.notices == ()
    assert git_executable()
