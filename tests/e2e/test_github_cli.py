"""`release-train sync` over github sources, against the fake GitHub, as a user runs it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli import Result, run_cli
from tests.fakes.github import TOKEN, FakeFile, FakeGitHub, running

EXPAND_SQL = "@@ -0,0 +1 @@\n+ALTER TABLE orders ADD COLUMN refund_reason text;"
START = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=3)


def merged(minutes: int) -> datetime:
    """A merge time inside the current sprint."""
    return START + timedelta(days=1, minutes=minutes)


@dataclass
class GitHubWorkspace:
    """A config with two github sources pointed at the fake, and its store."""

    root: Path
    github: FakeGitHub

    @property
    def config(self) -> Path:
        return self.root / "release-train.toml"

    def write_config(self) -> None:
        self.config.write_text(
            f"""
[store]
url = "sqlite:///{self.root / "store.db"}"

[github]
api_url = "{self.github.url}"
concurrency = 4

[[trains]]
name = "payments"

  [trains.sprint]
  length_days = 14
  first_day = "{START:%Y-%m-%d}"

  [[trains.sources]]
  kind = "github"
  repo = "acme/api"
  since = "{START:%Y-%m-%d}"

  [[trains.sources]]
  kind = "github"
  repo = "acme/web"
  branch = "main"
  since = "{START:%Y-%m-%d}"
""",
            encoding="utf-8",
        )

    def sync(self, *, token: str = TOKEN) -> Result:
        env = {"RELEASE_TRAIN_GITHUB__TOKEN": token}
        return run_cli(self.config, "sync", "--json", cwd=self.root, env=env)

    def statuses(self, repo: str) -> list[int]:
        """The statuses of the requests about one repository since the log was cleared."""
        return [r.status for r in self.github.requests if f"/repos/{repo}/" in f"{r.path}/"]


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[GitHubWorkspace]:
    with running() as github:
        api = github.add_repo("acme/api")
        api.merge_pull(
            "feat: add refund reason field PAY-77",
            merged_at=merged(0),
            author="alice",
            files=[FakeFile("api/refunds.py", added=12)],
        )
        api.merge_pull(
            "Add refund reason column",
            merged_at=merged(10),
            method="merge",
            files=[FakeFile("db/migrate/0002_reason.sql", patch=EXPAND_SQL, status="added")],
        )
        api.close_pull("never merged", closed_at=merged(20))
        api.push("fix: rounding of refunds", at=merged(30), author="carol")
        web = github.add_repo("acme/web")
        web.merge_pull(
            "feat: checkout page",
            merged_at=merged(40),
            body="Feature-Flag: new-checkout",
            files=[FakeFile("web/checkout.tsx", added=250)],
        )
        ws = GitHubWorkspace(root=tmp_path, github=github)
        ws.write_config()
        yield ws
        assert github.schema_errors == []


def test_sync_lists_the_trunk_merges_with_github_ids(workspace: GitHubWorkspace) -> None:
    result = workspace.sync()

    assert result.code == 0, result.err
    by_id = {c["id"]: c for c in result.json()["changes"]}
    push_sha = workspace.github.repos["acme/api"].head()
    assert sorted(by_id) == sorted(
        [
            "github:acme/api#1",
            "github:acme/api#2",
            f"github:acme/api@{push_sha}",
            "github:acme/web#1",
        ]
    )
    refunds = by_id["github:acme/api#1"]
    assert (refunds["source"], refunds["author"], refunds["url"]) == (
        "api",
        "alice",
        "https://github.com/acme/api/pull/1",
    )
    assert refunds["jira_keys"] == ["PAY-77"]
    assert refunds["merged_at"] == merged(0).isoformat()
    assert by_id["github:acme/api#2"]["release_class"] == "migration-expand"
    assert by_id[f"github:acme/api@{push_sha}"]["category"] == "fix"
    assert by_id["github:acme/web#1"]["release_class"] == "flagged"
    assert all(c["new"] for c in by_id.values())


def test_second_sync_of_unchanged_repositories_makes_only_304s(
    workspace: GitHubWorkspace,
) -> None:
    assert workspace.sync().code == 0
    workspace.github.clear_log()

    again = workspace.sync()

    assert again.code == 0, again.err
    assert [r.status for r in workspace.github.requests] == [304, 304]
    assert all(
        r.headers.get("if-none-match", "").startswith('W/"') for r in workspace.github.requests
    )
    assert len(again.json()["changes"]) == 4
    assert not any(c["new"] for c in again.json()["changes"])


def test_failing_repository_is_reported_and_keeps_its_cursor(workspace: GitHubWorkspace) -> None:
    workspace.github.deny("acme/web")

    failed = workspace.sync()

    assert failed.code == 3
    assert "web" in failed.err and "acme/web" in failed.err
    assert TOKEN not in failed.out + failed.err
    ids = {c["id"] for c in failed.json()["changes"]}
    assert "github:acme/api#1" in ids
    assert not any(i.startswith("github:acme/web") for i in ids)

    workspace.github.allow("acme/web")
    workspace.github.clear_log()
    recovered = workspace.sync()

    assert recovered.code == 0, recovered.err
    assert workspace.statuses("acme/api") == [304]
    assert workspace.statuses("acme/web")[0] == 200  # read from `since` again: no cursor
    new = {c["id"] for c in recovered.json()["changes"] if c["new"]}
    assert new == {"github:acme/web#1"}


def test_rejected_token_fails_with_exit_3_and_never_prints_it(
    workspace: GitHubWorkspace,
) -> None:
    wrong = "test-only-github-token-wrong"

    result = workspace.sync(token=wrong)

    assert result.code == 3
    assert "RELEASE_TRAIN_GITHUB__TOKEN" in result.err
    assert wrong not in result.out + result.err
    assert all(wrong not in r.target for r in workspace.github.requests)
