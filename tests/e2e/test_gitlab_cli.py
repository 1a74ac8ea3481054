"""`release-train sync` over gitlab sources, run as a user runs it, against the fake GitLab."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli import Result, run_cli
from tests.fakes.gitlab import FakeGitLab, gitlab_fake
from tests.fakes.gitlab.state import FakeProject
from tests.workspace import history_time, sprint_start

__all__ = ["gitlab_fake"]  # the fixture, imported for pytest to find

MIGRATION = "def upgrade():\n    op.add_column('refunds', sa.Column('reason', sa.Text()))\n"


@dataclass
class GitLabWorkspace:
    """A config whose train follows two GitLab projects on the fake, and its store."""

    root: Path
    fake: FakeGitLab
    web: FakeProject
    api: FakeProject

    @property
    def config(self) -> Path:
        return self.root / "release-train.toml"

    def run(self, *args: str) -> Result:
        """`python -m bot -c <config> ARGS...` with the GitLab token in the environment."""
        env = {"RELEASE_TRAIN_GITLAB__TOKEN": self.fake.token}
        return run_cli(self.config, *args, cwd=self.root, env=env)

    def cursors(self) -> dict[str, str]:
        with sqlite3.connect(self.root / "store.db") as db:
            return dict(db.execute("select source, cursor from source_cursors").fetchall())


@pytest.fixture
def gitlab_workspace(tmp_path: Path, gitlab_fake: FakeGitLab) -> Iterator[GitLabWorkspace]:
    start = sprint_start() - timedelta(days=30)
    web = gitlab_fake.add_project("acme/web", start=start)
    api = gitlab_fake.add_project("acme/platform/api", default_branch="trunk", start=start)
    (tmp_path / "release-train.toml").write_text(
        f"""
[store]
url = "sqlite:///{tmp_path / "store.db"}"

[gitlab]
url = "{gitlab_fake.url}"

[[trains]]
name = "payments"

  [trains.sprint]
  length_days = 14
  first_day = "{sprint_start():%Y-%m-%d}"

  [[trains.sources]]
  name = "web"
  kind = "gitlab"
  project = "acme/web"

  [[trains.sources]]
  kind = "gitlab"
  project = "acme/platform/api"
  since = "{sprint_start():%Y-%m-%d}"
""",
        encoding="utf-8",
    )
    yield GitLabWorkspace(root=tmp_path, fake=gitlab_fake, web=web, api=api)


def recent(seconds: int) -> datetime:
    """A merge time inside the sprint, after any earlier sync's listing began."""
    return datetime.now(UTC) - timedelta(seconds=seconds)


def test_sync_lists_gitlab_merge_requests_and_direct_pushes(ws: GitLabWorkspace) -> None:
    ws.web.merge_request("feat: refund reasons", at=history_time(1), author="carol")
    ws.web.merge_request("Into another branch", at=history_time(2), target="release")
    push = ws.web.push("fix: rounding", at=history_time(3))
    ws.api.merge_request(
        "Add reason column",
        at=history_time(4),
        files={"alembic/versions/0002_reason.py": MIGRATION},
    )

    result = ws.run("sync", "--json")

    assert result.code == 0, result.err
    changes = {c["id"]: c for c in result.json()["changes"]}
    assert sorted(changes) == sorted(
        ["gitlab:acme/web!1", f"gitlab:acme/web@{push.id}", "gitlab:acme/platform/api!1"]
    )
    assert changes["gitlab:acme/web!1"]["author"] == "carol"
    assert changes["gitlab:acme/web!1"]["url"] == f"{ws.fake.url}/acme/web/-/merge_requests/1"
    assert changes["gitlab:acme/platform/api!1"]["source"] == "api"
    assert changes["gitlab:acme/platform/api!1"]["release_class"] == "migration-expand"
    assert all(c["new"] for c in changes.values())


def test_a_second_sync_records_nothing_and_costs_one_request_per_project(
    ws: GitLabWorkspace,
) -> None:
    ws.web.merge_request("feat: refund reasons", at=history_time(1))
    ws.api.merge_request("fix: api", at=history_time(2))
    first = ws.run("sync", "--json")
    ws.fake.clear_log()

    second = ws.run("sync", "--json")

    assert first.code == 0 and second.code == 0, second.err
    assert [c["id"] for c in second.json()["changes"]] == [c["id"] for c in first.json()["changes"]]
    assert not any(c["new"] for c in second.json()["changes"])
    assert sorted(r.path for r in ws.fake.served()) == [
        "/api/v4/projects/acme%2Fplatform%2Fapi/repository/branches/trunk",
        "/api/v4/projects/acme%2Fweb/repository/branches/main",
    ]


def test_a_failing_project_is_reported_and_keeps_its_cursor_while_others_sync(
    ws: GitLabWorkspace,
) -> None:
    ws.web.merge_request("First web change", at=history_time(1))
    ws.api.merge_request("First api change", at=history_time(2))
    assert ws.run("sync").code == 0
    cursors = ws.cursors()
    ws.web.merge_request("Second web change", at=recent(20))
    ws.api.merge_request("Second api change", at=recent(10))
    ws.fake.forbidden.add(ws.api.id)

    failed = ws.run("sync", "--json")

    assert failed.code == 3
    new = [c["id"] for c in failed.json()["changes"] if c["new"]]
    assert new == ["gitlab:acme/web!2"]
    assert "api" in failed.err and "acme/platform/api" in failed.err and "403" in failed.err
    assert ws.fake.token not in failed.err + failed.out
    assert ws.cursors()["api"] == cursors["api"]
    assert ws.cursors()["web"] != cursors["web"]

    ws.fake.forbidden.clear()
    recovered = ws.run("sync", "--json")

    assert recovered.code == 0, recovered.err
    assert [c["id"] for c in recovered.json()["changes"] if c["new"]] == [
        "gitlab:acme/platform/api!2"
    ]


@pytest.fixture
def ws(gitlab_workspace: GitLabWorkspace) -> GitLabWorkspace:
    return gitlab_workspace
