"""A local clone's flag evidence: the added lines that evaluate a flag, per trunk commit and
file, read with one filtered `git log` (merges against their first parent)."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.sources.git.client import GitRunner
from bot.adapters.sources.git.evidence import flag_evidence, git_filter
from bot.domain.config import DEFAULT_FLAG_PATTERNS
from tests.gitrepo import GitRepo


def _runner(repo: GitRepo) -> GitRunner:
    return GitRunner(git="git", repo=repo.path, source="api", timeout=30)


def test_added_flag_checks_are_found_per_commit_and_file_merges_included(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    base = repo.commit("Initial import", files={"web/App.tsx": "export const A = 1;\n"})
    direct = repo.commit(
        "feat: checkout behind a flag",
        files={
            "web/App.tsx": 'export const A = 1;\nconst on = useFlag("new-checkout");\n',
            "README.md": 'call useFlag("documented") in a doc\n',
        },
    )
    plain = repo.commit("fix: typo", files={"web/App.tsx": "export const A = 2;\n"})
    merge = repo.merged_pr(
        7,
        title="feat: export behind a setting",
        files={"app/export.py": "if not settings.EXPORT_V2_ENABLED:\n    return\n"},
    )
    removed = repo.commit("chore: drop the flag", files={"app/export.py": "pass\n"})

    found = flag_evidence(
        _runner(repo), [base, direct, plain, merge, removed], DEFAULT_FLAG_PATTERNS
    )

    assert found == {
        (direct, "web/App.tsx"): ('const on = useFlag("new-checkout");',),
        (direct, "README.md"): ('call useFlag("documented") in a doc',),
        (merge, "app/export.py"): ("if not settings.EXPORT_V2_ENABLED:",),
    }


def test_patterns_without_literal_text_give_no_filter_and_no_evidence(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api")
    sha = repo.commit("feat: x", files={"a.py": 'flags.on("x")\n'})
    assert git_filter((r"(\w+)\.on",)) is not None
    assert git_filter((r"\w+\((\w+)\)",)) is None
    assert flag_evidence(_runner(repo), [sha], [r"\w+\((\w+)\)"]) == {}
