"""The local git source against real repositories built on disk."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.sources.git import RESCAN_LIMIT, GitSource
from bot.adapters.sources.git.source import LOG_PROCESSES
from bot.domain.model import Change, FileChange, SourceBatch
from bot.errors import SourceError
from tests.gitrepo import GitRepo, git_executable

MIGRATIONS = ("**/migrations/**", "db/migrate/**", "**/*.sql")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
BOB = "Bob Builder <bob@example.com>"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    built = GitRepo(tmp_path / "api")
    built.commit("Initial import", files={"README.md": "hello\n"})
    return built


def make_source(repo: GitRepo, **overrides: Any) -> GitSource:
    options: dict[str, Any] = {
        "name": "api",
        "path": repo.path,
        "branch": repo.trunk,
        "migration_paths": MIGRATIONS,
    }
    options.update(overrides)
    return GitSource(**options)


def gather_after(repo: GitRepo, cursor: str, **overrides: Any) -> SourceBatch:
    return make_source(repo, **overrides).gather(cursor=cursor, since=LONG_AGO)


def only(batch: SourceBatch) -> Change:
    assert len(batch.changes) == 1, [c.title for c in batch.changes]
    return batch.changes[0]


# -- what a change says ------------------------------------------------------------------------


def test_github_merge_is_one_change_titled_from_its_body(repo: GitRepo) -> None:
    base = repo.rev()
    repo.branch("feature/refunds")
    first = repo.commit("Add reason", files={"api/refunds.py": "reason = None\n"}, author=BOB)
    second = repo.commit(
        "Validate reason", files={"api/refunds.py": "reason = 'x'\nvalid = 1\n"}, author=BOB
    )
    body = "Adds the field.\n\nFeature-Flag: refund-reasons"
    merge = repo.merge_pr(418, "feature/refunds", owner="bob", title="Add reason field", body=body)

    batch = gather_after(repo, base)

    change = only(batch)
    assert change.id == f"git:api:{merge}"
    assert (change.sha, change.source) == (merge, "api")
    assert (change.title, change.number, change.branch) == (
        "Add reason field",
        418,
        "feature/refunds",
    )
    assert change.body == body
    assert change.author == "Bob Builder"
    assert change.merged_at == repo.clock
    assert change.commits == (merge, first, second)
    assert change.messages[1:] == ("Add reason\n", "Validate reason\n")
    assert change.trailers == (("Feature-Flag", "refund-reasons"),)
    assert change.files == (FileChange(path="api/refunds.py", added=2, deleted=0, status="added"),)
    assert (change.url, change.labels) == (None, ())
    assert batch.cursor == merge
    assert batch.notices == ()


def test_gitlab_merge_takes_its_number_from_the_merge_request_line(repo: GitRepo) -> None:
    base = repo.rev()
    repo.branch("fix-login")
    repo.commit("Keep the redirect", files={"web/login.py": "next = '/'\n"}, author=BOB)
    repo.commit("Add index", files={"db/migrations/0002_index.sql": "CREATE INDEX i ON t (c);\n"})
    merge = repo.merge_pr(12, "fix-login", title="Fix login redirect", style="gitlab")

    change = only(gather_after(repo, base))

    assert (change.title, change.number, change.branch) == ("Fix login redirect", 12, "fix-login")
    assert change.sha == merge
    assert change.author == "Alice Example"  # the branch tip's author, not the merger
    assert [(f.path, f.added, f.deleted, f.patch) for f in change.files] == [
        ("db/migrations/0002_index.sql", 1, 0, "@@ -0,0 +1 @@\n+CREATE INDEX i ON t (c);\n"),
        ("web/login.py", 1, 0, None),
    ]


@pytest.mark.parametrize(
    ("message", "title", "number", "branch"),
    [
        ("Fix rounding of refunds (#419)", "Fix rounding of refunds", 419, None),
        ('Revert "Fix rounding (#419)" (#420)', 'Revert "Fix rounding (#419)"', 420, None),
        ("Add (#1) and more (#2)", "Add (#1) and more", 2, None),
        ("  Spaced out (#3)  \n", "Spaced out", 3, None),
        ("Windows line ends (#5)\r\n\r\nbody\r\n", "Windows line ends", 5, None),
        ("Mention #12 in passing", "Mention #12 in passing", None, None),
        ("Bump version", "Bump version", None, None),
        ("", "(no commit message)", None, None),
        (
            "Merge pull request #7 from octo/fix/login\n\nFix login redirect\n\nMore words",
            "Fix login redirect",
            7,
            "fix/login",
        ),
        ("Merge pull request #8 from octo/bare", "Merge pull request #8 from octo/bare", 8, "bare"),
        (
            "Merge branch 'fix-login' into 'main'\n\nFix login\n\nSee merge request acme/web!12",
            "Fix login",
            12,
            "fix-login",
        ),
        (
            "Merge branch 'x' into 'main'\n\nSee merge request g/p!5",
            "Merge branch 'x' into 'main'",
            5,
            "x",
        ),
        ("Merge branch 'hotfix'", "Merge branch 'hotfix'", None, "hotfix"),
        ("Merged in feature/pay (pull request #31)\n\nPay faster", "Pay faster", 31, "feature/pay"),
    ],
)
def test_titles_numbers_and_branches_come_from_the_trunk_message(
    repo: GitRepo, message: str, title: str, number: int | None, branch: str | None
) -> None:
    base = repo.rev()
    repo.commit(message, files={"app.py": "x = 1\n"})

    change = only(gather_after(repo, base))

    assert (change.title, change.number, change.branch) == (title, number, branch)


def test_direct_push_links_to_the_web_url_with_its_sha(repo: GitRepo) -> None:
    base = repo.rev()
    sha = repo.commit("Tune the cache", files={"app/cache.py": "size = 2\n"}, author=BOB)

    change = only(gather_after(repo, base, web_url="https://git.example.com/api/commit/{sha}"))

    assert change.url == f"https://git.example.com/api/commit/{sha}"
    assert (change.title, change.number, change.branch) == ("Tune the cache", None, None)
    assert (change.author, change.commits, change.messages) == (
        "Bob Builder",
        (sha,),
        ("Tune the cache\n",),
    )


def test_revert_keeps_the_reverted_sha_in_its_message(repo: GitRepo) -> None:
    base = repo.rev()
    merge = repo.merged_pr(5, title="Add export", files={"api/export.py": "on = 1\n"})
    revert = repo.revert(merge)

    changes = gather_after(repo, base).changes

    assert [c.sha for c in changes] == [merge, revert]
    assert changes[1].title == 'Revert "Merge pull request #5 from octo/pr-5"'
    assert f"This reverts commit {merge}" in changes[1].messages[0]
    assert changes[1].files == (
        FileChange(path="api/export.py", added=0, deleted=1, status="deleted"),
    )


def test_trailers_of_every_commit_are_gathered_once(repo: GitRepo) -> None:
    base = repo.rev()
    repo.branch("flagged")
    repo.commit("Start\n\nFeature-Flag: new-checkout\nRefs: PAY-1", files={"a.py": "a\n"})
    repo.commit("More\n\nFeature-Flag: new-checkout\nCo-authored-by: Carol <c@example.com>")
    repo.commit("Not trailers\n\nThis line: has a colon\nbut this one does not")
    repo.merge_pr(6, "flagged", title="Checkout", body="Refs: PAY-1\n  and PAY-2")

    change = only(gather_after(repo, base))

    assert change.trailers == (
        ("Refs", "PAY-1 and PAY-2"),
        ("Feature-Flag", "new-checkout"),
        ("Refs", "PAY-1"),
        ("Co-authored-by", "Carol <c@example.com>"),
    )


# -- which commits are changes ----------------------------------------------------------------


def test_only_first_parent_trunk_commits_are_changes(repo: GitRepo) -> None:
    base = repo.rev()
    repo.branch("abandoned")
    never = repo.commit("Never merged", files={"abandoned.py": "x\n"})
    repo.branch("elsewhere")
    other = repo.commit("On another branch", files={"other.py": "y\n"})
    repo.switch(repo.trunk)
    direct = repo.commit("Direct push", files={"direct.py": "z\n"})
    merge = repo.merged_pr(5, title="Merged work", files={"merged.py": "w\n"})

    changes = gather_after(repo, base).changes

    assert [c.sha for c in changes] == [direct, merge]
    everything = {sha for c in changes for sha in c.commits}
    assert never not in everything
    assert other not in everything


def test_merge_brings_only_commits_new_to_the_trunk(repo: GitRepo) -> None:
    base = repo.rev()
    repo.branch("feature")
    work = repo.commit("Feature work", files={"feature.py": "1\n"}, author=BOB)
    repo.switch(repo.trunk)
    meanwhile = repo.commit("Meanwhile on main", files={"main.py": "1\n"})
    sync = repo.merge(
        repo.trunk, into="feature", message="Merge main into feature", author="Carol <c@x.org>"
    )
    merge = repo.merge_pr(9, "feature", title="Feature")

    changes = gather_after(repo, base).changes

    assert [c.sha for c in changes] == [meanwhile, merge]
    assert changes[1].commits == (merge, work, sync)
    assert changes[1].author == "Bob Builder"  # the merge of main into the branch is skipped
    assert [f.path for f in changes[1].files] == ["feature.py"]


def test_cursor_continues_with_only_new_changes(repo: GitRepo) -> None:
    source = make_source(repo)
    first = source.gather(cursor=None, since=LONG_AGO)
    squash = repo.squash_pr(1, title="Squashed", files={"a.py": "a\n"})
    direct = repo.commit("Direct", files={"b.py": "b\n"})

    second = source.gather(cursor=first.cursor, since=LONG_AGO)
    third = source.gather(cursor=second.cursor, since=LONG_AGO)

    assert only(first).files == (FileChange(path="README.md", added=1, deleted=0, status="added"),)
    assert [c.sha for c in second.changes] == [squash, direct]
    assert second.cursor == direct
    assert (third.changes, third.cursor, third.notices) == ((), direct, ())


def test_since_without_cursor_starts_at_that_commit_time(repo: GitRepo) -> None:
    start = datetime(2026, 2, 2, tzinfo=UTC)
    repo.commit("Before the sprint", files={"a.py": "1\n"}, when=start - timedelta(seconds=1))
    on_time = repo.commit("First minute", files={"a.py": "2\n"}, when=start)
    later = repo.commit("Later", files={"a.py": "3\n"}, when=start + timedelta(days=1))

    batch = make_source(repo).gather(cursor=None, since=start)
    future = make_source(repo).gather(cursor=None, since=start + timedelta(days=30))

    assert [c.sha for c in batch.changes] == [on_time, later]
    assert batch.changes[0].merged_at == start
    assert batch.cursor == later
    assert (future.changes, future.cursor) == ((), later)


def test_paths_keep_changes_touching_them_while_the_cursor_advances(repo: GitRepo) -> None:
    repo.commit("Add helper", files={"services/payments/helper.py": "h = 1\n"})
    base = repo.rev()
    inside = repo.squash_pr(1, title="Payments", files={"services/payments/api.py": "p\n"})
    moved = repo.commit(
        "Move helper out",
        files={"services/payments/helper.py": None, "lib/helper.py": "h = 1\n"},
    )
    outside = repo.squash_pr(2, title="Ledger", files={"services/ledger/api.py": "l\n"})
    repo.commit("Empty commit")

    batch = gather_after(repo, base, paths=["services/payments/**"])

    assert [c.sha for c in batch.changes] == [inside, moved]
    assert batch.changes[1].files == (
        FileChange(path="lib/helper.py", added=0, deleted=0, status="renamed"),
    )
    assert outside not in {c.sha for c in batch.changes}
    assert batch.cursor == repo.rev()


# -- migrations ---------------------------------------------------------------------------


def test_migration_files_carry_their_patch_and_other_files_do_not(repo: GitRepo) -> None:
    repo.commit("Add table", files={"db/migrations/0001.sql": "CREATE TABLE r (id int);\n"})
    repo.commit("Add old", files={"db/migrations/0000_old.sql": "DROP TABLE old;\n"})
    base = repo.rev()
    repo.squash_pr(
        3,
        title="Add reason",
        files={
            "db/migrations/0001.sql": "CREATE TABLE r (id int, reason text);\n",
            "db/migrations/0002.sql": "ALTER TABLE r ADD COLUMN why text;\n",
            "db/migrations/0000_old.sql": None,
            "db/migrations/0003.sql": b"\x00\x01 not text",
            "api/refunds.py": "reason = 1\n",
        },
    )

    files = {f.path: f for f in only(gather_after(repo, base)).files}

    assert files["db/migrations/0001.sql"] == FileChange(
        path="db/migrations/0001.sql",
        added=1,
        deleted=1,
        patch="@@ -1 +1 @@\n-CREATE TABLE r (id int);\n+CREATE TABLE r (id int, reason text);\n",
        status="modified",
    )
    assert (
        files["db/migrations/0002.sql"].patch
        == "@@ -0,0 +1 @@\n+ALTER TABLE r ADD COLUMN why text;\n"
    )
    assert files["db/migrations/0000_old.sql"].patch == "@@ -1 +0,0 @@\n-DROP TABLE old;\n"
    assert files["db/migrations/0003.sql"] == FileChange(
        "db/migrations/0003.sql", 0, 0, None, status="added"
    )
    assert files["api/refunds.py"] == FileChange("api/refunds.py", 1, 0, None, status="added")
    assert files["db/migrations/0002.sql"].status == "added"
    assert files["db/migrations/0000_old.sql"].status == "deleted"


def test_migration_patches_over_the_cap_are_left_out_never_cut(repo: GitRepo) -> None:
    # A cut patch would read as a smaller migration than the file is (a padded contract would
    # lose its DROP); left out, the policy counts the file as one it could not read.
    base = repo.rev()
    line = "INSERT INTO t VALUES (1);\n"
    repo.commit(
        "Load data",
        files={
            "db/migrations/0001_large.sql": line * 12_000,  # about 310 KB
            "db/migrations/0002_huge.sql": line * 50_000,  # about 1.3 MB
        },
    )

    files = {f.path: f for f in only(gather_after(repo, base)).files}

    large = files["db/migrations/0001_large.sql"]
    assert large.added == 12_000
    assert large.patch is None
    assert files["db/migrations/0002_huge.sql"].patch is None
    assert files["db/migrations/0002_huge.sql"].added == 50_000


# -- force-push ---------------------------------------------------------------------------


def test_force_push_is_detected_and_recent_trunk_rescanned(repo: GitRepo) -> None:
    kept = repo.squash_pr(1, title="Kept", files={"a.py": "1\n"})
    lost = repo.squash_pr(2, title="Lost", files={"b.py": "1\n"})
    source = make_source(repo)
    assert source.gather(cursor=None, since=LONG_AGO).cursor == lost
    repo.reset_trunk(kept)
    replacement = repo.squash_pr(3, title="Replacement", files={"c.py": "1\n"})

    batch = source.gather(cursor=lost, since=LONG_AGO)

    assert [c.sha for c in batch.changes] == [replacement]  # not before the lost cursor's time
    assert batch.cursor == replacement
    (notice,) = batch.notices
    assert "force-push" in notice
    assert lost[:12] in notice
    assert "'api'" in notice
    assert "main" in notice


def test_unknown_cursor_rescans_a_bounded_window(repo: GitRepo) -> None:
    shas = repo.bulk_history(RESCAN_LIMIT + 10, migration_every=0)

    batch = make_source(repo).gather(cursor="f" * 40, since=LONG_AGO)

    assert [c.sha for c in batch.changes] == shas[-RESCAN_LIMIT:]
    assert batch.cursor == shas[-1]
    assert len(batch.notices) == 1


# -- errors -------------------------------------------------------------------------------


def _missing_path(repo: GitRepo, tmp_path: Path) -> GitSource:
    return make_source(repo, path=tmp_path / "nowhere")


def _plain_directory(repo: GitRepo, tmp_path: Path) -> GitSource:
    (tmp_path / "plain").mkdir()
    return make_source(repo, path=tmp_path / "plain")


def _folder_inside_a_clone(repo: GitRepo, tmp_path: Path) -> GitSource:
    (repo.path / "docs").mkdir()
    return make_source(repo, path=repo.path / "docs")


def _missing_branch(repo: GitRepo, tmp_path: Path) -> GitSource:
    return make_source(repo, branch="release")


def _no_git(repo: GitRepo, tmp_path: Path) -> GitSource:
    return make_source(repo, git=str(tmp_path / "bin" / "git"))


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (_missing_path, "does not exist"),
        (_plain_directory, "is not a git repository"),
        (_folder_inside_a_clone, "is not a git repository"),
        (_missing_branch, "branch 'release' does not exist"),
        (_no_git, "was not found"),
    ],
)
def test_unreadable_sources_raise_one_sentence_naming_the_source(
    repo: GitRepo, tmp_path: Path, build: Callable[[GitRepo, Path], GitSource], fragment: str
) -> None:
    source = build(repo, tmp_path)

    with pytest.raises(SourceError) as raised:
        source.gather(cursor=None, since=LONG_AGO)

    message = str(raised.value)
    assert "'api'" in message
    assert fragment in message
    assert "\n" not in message


def test_a_commit_missing_from_the_object_store_is_a_source_error(repo: GitRepo) -> None:
    base = repo.rev()
    repo.branch("feature")
    lost = repo.commit("Feature", files={"f.py": "1\n"})
    repo.merge_pr(1, "feature", title="Feature")
    (repo.path / ".git" / "objects" / lost[:2] / lost[2:]).unlink()

    with pytest.raises(SourceError, match=r"'api'.*cannot be read"):
        gather_after(repo, base)


@pytest.mark.parametrize("branch", ["", "--output=/tmp/x", "main two", "main\n"])
def test_branch_names_that_could_be_options_are_refused(repo: GitRepo, branch: str) -> None:
    with pytest.raises(SourceError, match="invalid branch name"):
        make_source(repo, branch=branch)


# -- hostile repositories -----------------------------------------------------------------


def _trap(directory: Path, markers: Path, name: str) -> str:
    script = directory / f"trap-{name}"
    script.write_text(f"#!/bin/sh\ntouch '{markers / name}'\ncat \"$1\" 2>/dev/null\nexit 0\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def _arm(repo: GitRepo, traps: Path) -> Path:
    """Point every program-running setting and hook of the repository at a marker script."""
    markers = traps / "markers"
    markers.mkdir(parents=True)
    hooks = traps / "hooks"
    hooks.mkdir()
    for hook in (
        "pre-commit",
        "post-checkout",
        "post-merge",
        "post-index-change",
        "reference-transaction",
        "pre-auto-gc",
        "fsmonitor-watchman",
    ):
        shutil.copy(_trap(traps, markers, f"hook-{hook}"), hooks / hook)
        shutil.copy(hooks / hook, repo.path / ".git" / "hooks" / hook)
    settings = {
        "core.hooksPath": str(hooks),
        "diff.external": _trap(traps, markers, "external-diff"),
        "diff.evil.textconv": _trap(traps, markers, "textconv"),
        "diff.evil.command": _trap(traps, markers, "diff-driver"),
        "filter.evil.clean": _trap(traps, markers, "clean"),
        "filter.evil.smudge": _trap(traps, markers, "smudge"),
        "core.pager": _trap(traps, markers, "pager"),
        "core.sshCommand": _trap(traps, markers, "ssh"),
        "core.askPass": _trap(traps, markers, "askpass"),
        "core.alternateRefsCommand": _trap(traps, markers, "alternate-refs"),
        "gpg.program": _trap(traps, markers, "gpg"),
        "log.showSignature": "true",
        # settings that reshape output rather than run programs
        "color.ui": "always",
        "diff.noprefix": "true",
        "diff.renames": "copies",
        "diff.context": "0",
        "core.quotePath": "true",
        "log.abbrevCommit": "true",
        "format.pretty": "oneline",
        "i18n.logOutputEncoding": "ISO-8859-1",
        "core.fsmonitor": _trap(traps, markers, "fsmonitor"),
    }
    for key, value in settings.items():
        repo.config(key, value)
    (repo.path / ".git" / "info").mkdir(exist_ok=True)
    (repo.path / ".git" / "info" / "attributes").write_text("* diff=evil filter=evil\n")
    return markers


def test_gathering_never_runs_the_repository_own_programs(repo: GitRepo, tmp_path: Path) -> None:
    base = repo.rev()
    repo.branch("feature")
    repo.commit("Feature", files={"db/migrations/0001.sql": "CREATE TABLE t (id int);\n"})
    repo.merge_pr(1, "feature", title="Feature")
    repo.squash_pr(2, title="Squash", files={"db/migrations/0001.sql": "CREATE TABLE t (x int);\n"})
    before = gather_after(repo, base)
    markers = _arm(repo, tmp_path / "traps")
    plain = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (["status"], ["log", "-p", "-1"]):
        subprocess.run(
            [git_executable(), *args], cwd=repo.path, env=plain, capture_output=True, check=False
        )
    assert {"fsmonitor", "textconv"} <= {p.name for p in markers.iterdir()}  # the traps work
    for marker in markers.iterdir():
        marker.unlink()

    after = gather_after(repo, base)

    assert sorted(p.name for p in markers.iterdir()) == []
    assert after == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_clone_owned_by_another_user_is_read_as_configured(repo: GitRepo) -> None:
    base = repo.rev()
    sha = repo.commit("Owned elsewhere", files={"a.py": "1\n"})
    for path in [repo.path, *repo.path.rglob("*")]:
        os.lchown(path, 65534, 65534)
    refused = subprocess.run(
        [git_executable(), "log", "-1"], cwd=repo.path, capture_output=True, check=False
    )
    assert b"dubious ownership" in refused.stderr

    assert [c.sha for c in gather_after(repo, base).changes] == [sha]


def test_hostile_messages_are_read_intact(repo: GitRepo) -> None:
    base = repo.rev()
    nul = repo.commit_literal(b"Title with\x00NUL (#4)\n\nbody\x00more\n")
    unicode = repo.commit("Ünïcödé — 日本語 🚀 (#5)\n\nMit Grüßen")
    empty = repo.commit("")
    lookalike = (
        f"Looks like output\n\n{'0' * 40}\n:100644 100644 {'1' * 40} {'2' * 40} M\n1\t2\tfile\n"
        f"commit {base}\ntree {base}\n\nparent {base}\n\x1e\x1f%x00\n\nKey: value"
    )
    tricky = repo.commit(lookalike)

    changes = gather_after(repo, base).changes

    assert [c.sha for c in changes] == [nul, unicode, empty, tricky]
    assert (changes[0].title, changes[0].number) == ("Title with\ufffdNUL", 4)
    assert changes[0].messages == ("Title with\ufffdNUL (#4)\n\nbody\ufffdmore\n",)
    assert (changes[1].title, changes[1].body) == ("Ünïcödé — 日本語 🚀", "Mit Grüßen")
    assert (changes[2].title, changes[2].messages) == ("(no commit message)", ("",))
    assert changes[3].title == "Looks like output"
    assert changes[3].messages == (lookalike + "\n",)
    assert changes[3].trailers == (("Key", "value"),)


def test_file_names_with_separators_are_read_intact(repo: GitRepo) -> None:
    base = repo.rev()
    names = [
        "tab\there.py",
        "new\nline.py",
        "日本/migrations/1 «x».sql",
        '"quoted" name.py',
        "0" * 40,
        ":100644 looks raw",
        "-leading-dash.py",
    ]
    repo.commit("Odd names", files=dict.fromkeys(names, "x = 1\n"))

    files = only(gather_after(repo, base)).files

    assert sorted(f.path for f in files) == sorted(names)
    assert all((f.added, f.deleted) == (1, 0) for f in files)
    (migration,) = [f for f in files if f.patch is not None]
    assert migration.path == "日本/migrations/1 «x».sql"


# -- scale --------------------------------------------------------------------------------


def test_a_thousand_changes_gather_with_a_handful_of_git_processes(
    repo: GitRepo, tmp_path: Path
) -> None:
    shas = repo.bulk_history(1000)
    calls = tmp_path / "git-calls.log"
    wrapper = tmp_path / "git-wrapper"
    wrapper.write_text(f"#!/bin/sh\necho \"$*\" >> '{calls}'\nexec '{git_executable()}' \"$@\"\n")
    wrapper.chmod(0o755)
    source = make_source(repo, git=str(wrapper))

    everything = source.gather(cursor=None, since=LONG_AGO)
    first_run = calls.read_text().splitlines()
    rest = source.gather(cursor=shas[499], since=LONG_AGO)
    second_run = calls.read_text().splitlines()[len(first_run) :]

    assert [c.sha for c in everything.changes] == [repo.rev(f"{repo.trunk}~1000"), *shas]
    assert [c.sha for c in rest.changes] == shas[500:]
    # Never one process per commit: a few plumbing calls, and the one-pass `git log` dealt
    # to at most one process per core.
    for run in (first_run, second_run):
        logs = [line for line in run if " log --stdin " in f" {line} "]
        assert 1 <= len(logs) <= min(os.cpu_count() or 1, LOG_PROCESSES)
        assert len(run) - len(logs) <= 5
    merges = [c for c in everything.changes if c.title.startswith("Change ")]
    assert len(merges) == 334
    assert all(len(c.commits) == 3 and c.branch and c.files for c in merges)
    migrations = [f for c in everything.changes for f in c.files if f.patch is not None]
    assert len(migrations) == 100
