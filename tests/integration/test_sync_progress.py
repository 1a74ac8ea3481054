"""What a long sync tells a progress sink: each source's pages and changes read so far, from
the git, GitHub and GitLab sources of one train read at once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.bootstrap import open_train
from bot.settings import load_settings
from tests.fakes.github import TOKEN as GITHUB_TOKEN
from tests.fakes.github import FakeGitHub, running
from tests.fakes.gitlab import FakeGitLab, gitlab_fake  # noqa: F401 (the fixture)
from tests.gitrepo import GitRepo

NOW = datetime.now(UTC).replace(microsecond=0)
START = NOW.replace(hour=0, minute=0, second=0) - timedelta(days=3)


class Seen:
    """A progress sink that keeps every report (the sources report from their own threads)."""

    def __init__(self) -> None:
        self.pages: Counter[str] = Counter()
        self.changes: Counter[str] = Counter()
        self.steps: list[str] = []
        self.reads: list[tuple[str, int, int]] = []
        self._lock = threading.Lock()

    def __call__(self, message: str) -> None:
        with self._lock:
            self.steps.append(message)

    def read(self, *, source: str, pages: int = 0, changes: int = 0) -> None:
        with self._lock:
            self.reads.append((source, pages, changes))
            self.pages[source] += pages
            self.changes[source] += changes


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with running() as fake:
        yield fake


def test_each_source_tells_its_pages_and_changes_as_it_reads_them(
    tmp_path: Path,
    github: FakeGitHub,
    gitlab_fake: FakeGitLab,  # noqa: F811
) -> None:
    repo = GitRepo(tmp_path / "api", start=START + timedelta(hours=2))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    repo.squash_pr(7, title="fix: refunds", files={"api/refunds.py": "r\n"})
    shop = github.add_repo("acme/shop")
    for hours in (30, 20, 10):
        shop.merge_pull(f"feat: shop {hours}", merged_at=NOW - timedelta(hours=hours))
    web = gitlab_fake.add_project("acme/web", start=START - timedelta(days=30))
    for hours in (28, 18):
        web.merge_request(f"feat: web {hours}", at=NOW - timedelta(hours=hours))
    settings = load_settings(
        write_config(tmp_path, repo=repo, github=github, gitlab=gitlab_fake),
        environ={
            "RELEASE_TRAIN_GITHUB__TOKEN": GITHUB_TOKEN,
            "RELEASE_TRAIN_GITLAB__TOKEN": gitlab_fake.token,
        },
    )
    seen = Seen()

    with open_train(settings, settings.train(None), progress=seen) as runtime:
        result = runtime.train_sync.run()

    recorded = Counter(change["source"] for change in result.report()["changes"])
    assert recorded == {"api": 2, "shop": 3, "web": 2}
    assert seen.changes == recorded
    assert seen.pages["shop"] == len(github.requests)  # every answer read is a page
    assert seen.pages["web"] == len(gitlab_fake.served())
    assert seen.pages["api"] >= 3  # git processes: the trunk's tip, its commits, their files
    assert all(pages in (0, 1) for _, pages, _ in seen.reads)  # told one page at a time
    assert "recorded 3 new changes from shop" in seen.steps


def test_a_sync_without_a_sink_reads_the_same(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "api", start=START + timedelta(hours=2))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    settings = load_settings(write_config(tmp_path, repo=repo), environ={})

    with open_train(settings, settings.train(None)) as runtime:
        result = runtime.train_sync.run()

    assert result.new_count == 1


def write_config(
    tmp_path: Path,
    *,
    repo: GitRepo,
    github: FakeGitHub | None = None,
    gitlab: FakeGitLab | None = None,
) -> Path:
    hosted = ""
    if github is not None:
        hosted += """
  [[trains.sources]]
  name = "shop"
  kind = "github"
  repo = "acme/shop"
"""
    if gitlab is not None:
        hosted += """
  [[trains.sources]]
  name = "web"
  kind = "gitlab"
  project = "acme/web"
"""
    services = f'[github]\napi_url = "{github.url}"\n' if github else ""
    services += f'[gitlab]\nurl = "{gitlab.url}"\n' if gitlab else ""
    config = tmp_path / "release-train.toml"
    config.write_text(
        f"""
[store]
url = "sqlite:///{tmp_path / "store.db"}"
{services}
[[trains]]
name = "payments"
  [trains.sprint]
  length_days = 14
  first_day = "{START:%Y-%m-%d}"

  [[trains.sources]]
  name = "api"
  kind = "git"
  path = "{repo.path}"
  branch = "main"
{hosted}""",
        encoding="utf-8",
    )
    return config
