"""The one-pass reader of a range (one `git log -p`) against the plumbing it replaced
(`diff-tree --stdin --raw --numstat`), on real histories holding every kind of file change;
and the flag lines it finds, through a whole sync, classifying a git change as GitHub's."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.adapters.sources.git import GitSource
from bot.adapters.sources.git.client import GitRunner
from bot.adapters.sources.git.diffs import (
    DiffEntry,
    commit_blocks,
    log_files,
    parse_diff_tree,
    parse_patch_log,
    patch_log_args,
)
from bot.adapters.sources.git.source import LOG_SPLIT
from bot.adapters.sources.shared import PatchReading
from bot.domain.config import DEFAULT_FLAG_PATTERNS
from bot.errors import SourceError
from tests.gitrepo import GitRepo
from tests.workspace import Workspace, make_workspace

MIGRATIONS = ("db/migrate/**", "db/post_migrate/**")
READING = PatchReading(MIGRATIONS, DEFAULT_FLAG_PATTERNS)


def _runner(repo: GitRepo) -> GitRunner:
    return GitRunner(git="git", repo=repo.path, source="api", timeout=60)


def _first_parent_pairs(repo: GitRepo) -> list[tuple[str, str | None]]:
    lines = repo.git("rev-list", "--first-parent", "--parents", repo.trunk).splitlines()
    return [(f[0], f[1] if len(f) > 1 else None) for f in (line.split() for line in lines)]


def _plumbing(repo: GitRepo) -> dict[str, list[DiffEntry]]:
    """What the reader before the one pass read: diff-tree against each first parent."""
    stdin = "".join(
        f"{sha} {parent or ''}".strip() + "\n" for sha, parent in _first_parent_pairs(repo)
    )
    out = _runner(repo).run(
        "diff-tree",
        "--stdin",
        "-z",
        "-r",
        "--root",
        "--raw",
        "--numstat",
        "--no-abbrev",
        "--find-renames",
        "--no-ext-diff",
        "--no-textconv",
        stdin=stdin.encode(),
    )
    return parse_diff_tree(out.stdout)


def _everything(repo: GitRepo) -> None:
    """A history with every kind of change the reader must count as the plumbing does."""
    repo.commit(
        "Initial import",
        files={
            "README.md": "hello\n",
            "app/models/user.rb": "".join(f"line {i}\n" for i in range(60)),
            "web/App.tsx": "export const A = 1;\n",
            "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00binary",
            "script.sh": "echo hi\n",
        },
    )
    # A blank line moved inside a block: with no context git would show it removed and
    # added again, while numstat (three lines of context) does not.
    repo.commit(
        "Rework a block",
        files={
            "app/block.py": "def f():\n    # a\n    # b\n\n    x = g(1)\n    return x\n",
        },
    )
    repo.commit(
        "Rework it again",
        files={
            "app/block.py": (
                "def f():\n    from m import c\n\n    from n import C\n\n"
                "    v = (\n        c.get(C.V)\n    )\n    x = g(\n        1, v\n    )\n"
                "    return x\n"
            ),
        },
    )
    repo.merged_pr(
        7,
        title="Add a column",
        files={
            "db/migrate/20260101000000_add_c.rb": (
                "class AddC < ActiveRecord::Migration[7.1]\n  def change\n"
                "    add_column :users, :c, :string\n  end\nend\n"
            ),
            "web/Checkout.tsx": 'const on = useFlag("new-checkout");\n',
        },
    )
    repo.squash_pr(
        8,
        title="Rename the model",
        files={
            "app/models/user.rb": None,
            "app/models/account.rb": "".join(f"line {i}\n" for i in range(60)) + "line 60\n",
            "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x01\x02other",
        },
    )
    repo.commit(
        "Odd names and no final newline",
        files={
            "docs/with space.md": "a\nb",
            "docs/日本語 «x».txt": "unicode\n",
            'docs/quote"and\\back.txt': "odd\n",
            "empty.txt": "",
        },
    )
    # A mode change, a type change (file -> symlink) and a submodule (gitlink) entry.
    (repo.path / "script.sh").chmod(0o755)
    (repo.path / "README.md").unlink()
    (repo.path / "README.md").symlink_to("docs/with space.md")
    repo.git("add", "--all")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{repo.rev()},vendor/lib")
    repo.commit("Modes, a link and a submodule")
    repo.commit("Empty commit")
    repo.commit(
        "Post-deploy cleanup and a deletion",
        files={
            "db/post_migrate/20260102000000_drop_x.rb": "remove_column :users, :x\n",
            "web/App.tsx": None,
        },
    )
    repo.branch("feature/side")
    repo.commit("Side work", files={"app/side.py": "side = 1\n"})
    repo.switch(repo.trunk)
    repo.commit("Trunk work meanwhile", files={"app/trunk.py": "trunk = 1\n"})
    repo.merge_pr(9, "feature/side", title="Side")


def test_one_pass_equals_the_plumbing_on_every_kind_of_change(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    _everything(repo)
    shas = [sha for sha, _ in _first_parent_pairs(repo)]

    logged = log_files(_runner(repo), shas, reading=READING)

    assert logged.files == _plumbing(repo)
    kinds = {e.path: e for entries in logged.files.values() for e in entries}
    assert kinds["assets/logo.png"].binary
    assert kinds["app/models/account.rb"].old_path == "app/models/user.rb"
    assert not kinds["vendor/lib"].is_blob
    assert "docs/日本語 «x».txt" in kinds
    assert 'docs/quote"and\\back.txt' in kinds
    assert set(logged.evidence.values()) == {('const on = useFlag("new-checkout");',)}


def test_one_pass_equals_the_plumbing_on_a_long_generated_history(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    repo.commit("Initial import", files={"README.md": "hello\n"})
    repo.bulk_history(2 * LOG_SPLIT + 7, migration_every=5, files_per_change=3)
    source = GitSource(
        name="api", path=repo.path, branch=repo.trunk, migration_paths=("db/migrations/**",)
    )

    batch = source.gather(cursor=None, since=history_start(repo))
    plumbing = _plumbing(repo)

    assert len(batch.changes) == 2 * LOG_SPLIT + 8
    for change in batch.changes:
        expected = plumbing.get(change.sha or "", [])
        assert [(f.path, f.added, f.deleted, f.status) for f in change.files] == [
            (e.path, e.added, e.deleted, e.status) for e in expected
        ]


def _patch_log(repo: GitRepo, nonce: str) -> bytes:
    """The one pass's output for the whole trunk, read at once."""
    shas = "".join(f"{sha}\n" for sha, _ in _first_parent_pairs(repo))
    return _runner(repo).run(*patch_log_args(nonce), stdin=shas.encode()).stdout


@pytest.mark.parametrize("size", [1, 2, 7, 31, 64, 4096])
def test_output_read_in_chunks_of_any_size_gives_the_same_files(tmp_path: Path, size: int) -> None:
    repo = GitRepo(tmp_path / "api")
    _everything(repo)
    nonce = "0123456789abcdef"
    whole = _patch_log(repo, nonce)
    chunks = [whole[i : i + size] for i in range(0, len(whole), size)]

    blocks = list(commit_blocks(chunks, nonce=nonce))
    read = [
        parse_patch_log(b, nonce=nonce, prefilter=None, evidence=READING.evidence) for b in blocks
    ]

    at_once = parse_patch_log(whole, nonce=nonce, prefilter=None, evidence=READING.evidence)
    assert b"".join(blocks) == whole
    assert all(block.startswith(b"\x00commit " + nonce.encode()) for block in blocks)
    assert {sha: f for r in read for sha, f in r.files.items()} == at_once.files
    assert {key: v for r in read for key, v in r.evidence.items()} == at_once.evidence


def test_a_long_range_is_read_one_commit_at_a_time(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    repo.commit("Initial import", files={"README.md": "hello\n"})
    for n in range(4):
        repo.commit(
            f"Big {n}", files={f"data/big{n}.txt": "".join(f"{n} {i}\n" for i in range(20_000))}
        )
    nonce = "fedcba9876543210"
    whole = _patch_log(repo, nonce)

    blocks = list(
        commit_blocks((whole[i : i + 4096] for i in range(0, len(whole), 4096)), nonce=nonce)
    )

    assert len(blocks) == 5
    assert max(len(b) for b in blocks) < len(whole) / 3


def test_a_streamed_git_that_fails_names_the_source_and_what_git_said(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    repo.commit("Initial import", files={"README.md": "hello\n"})

    with pytest.raises(SourceError, match=r"Git source 'api'.*git log failed.*bad"):
        list(_runner(repo).stream("log", "--stdin", "--no-walk", stdin=b"no-such-commit-bad\n"))


def test_a_streamed_git_over_its_time_is_stopped_and_says_so(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    repo.commit("Initial import", files={"README.md": "hello\n"})
    stuck = tmp_path / "stuck-git"
    stuck.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    stuck.chmod(0o755)
    runner = GitRunner(git=str(stuck), repo=repo.path, source="api", timeout=0.5)

    with pytest.raises(SourceError, match=r"git log took longer than 0\.5 seconds"):
        list(runner.stream("log"))


def test_a_stream_closed_early_stops_its_git(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    _everything(repo)
    stream = _runner(repo).stream("log", "-p", chunk=16)

    first = next(stream)
    stream.close()

    assert first


def history_start(repo: GitRepo) -> datetime:
    first = repo.git("log", "--reverse", "--format=%cI", repo.trunk).splitlines()[0]
    return datetime.fromisoformat(first)


def test_a_merge_is_read_against_its_first_parent(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    _everything(repo)
    merge = repo.rev()

    logged = log_files(_runner(repo), [merge], reading=READING)

    assert [e.path for e in logged.files[merge]] == ["app/side.py"]


# -- flag evidence through a whole sync ---------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path, in_process=True)


def _explain(workspace: Workspace, sha: str) -> dict[str, object]:
    result = workspace.run("explain", sha[:12], "--json")
    assert result.code == 0, result.err
    found: dict[str, object] = json.loads(result.out)
    return found


def test_a_ui_change_checking_a_flag_in_code_is_flagged_as_on_github(
    workspace: Workspace,
) -> None:
    # New user-visible UI: more new lines under UI paths than the policy's large_ui_lines.
    screen = "".join(f"  <Row key={{{i}}} />\n" for i in range(250))
    repo = workspace.repo
    checkout = f'export const C = () => useFlag("new-checkout") && (\n{screen});\n'
    flagged = repo.merged_pr(
        21, title="Show the new checkout", files={"web/Checkout.tsx": checkout}
    )
    basket = f"export const B = () => (\n{screen});\n"
    unflagged = repo.merged_pr(22, title="Show the new basket", files={"web/Basket.tsx": basket})

    synced = workspace.run("sync")
    assert synced.code == 0, synced.err

    with_flag = _explain(workspace, flagged)
    without = _explain(workspace, unflagged)
    assert with_flag["release_class"] == "flagged"
    assert "new-checkout" in json.dumps(with_flag)
    assert without["release_class"] == "needs-flag"
