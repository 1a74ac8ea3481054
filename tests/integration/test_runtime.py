"""A train's runtime from real settings: built on first use, over a real git repository."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.bootstrap import open_settings, open_train
from bot.errors import ConfigError
from bot.settings import Settings, load_settings
from tests.gitrepo import GitRepo

START = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=3)


def _settings(tmp_path: Path, repo: GitRepo) -> Settings:
    config = tmp_path / "release-train.toml"
    config.write_text(
        f"""
[store]
url = "sqlite:///{tmp_path / "store.db"}"

[github]

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

  [[trains.sources]]
  name = "web"
  kind = "github"
  repo = "acme/web"
""",
        encoding="utf-8",
    )
    loaded = load_settings(config, environ={"RELEASE_TRAIN_GITHUB__TOKEN": "test-only-token"})
    # Loading refuses a configured service without its secret; the runtime's own check (the
    # token is read only when a source needs it) is exercised with the token taken back out.
    assert loaded.github is not None
    return loaded.model_copy(update={"github": loaded.github.model_copy(update={"token": None})})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    repo = GitRepo(tmp_path / "api", start=START + timedelta(hours=2))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    repo.squash_pr(7, title="fix: refunds", files={"api/refunds.py": "r\n"})
    return _settings(tmp_path, repo)


def test_reading_a_train_builds_no_source_and_needs_no_token(settings: Settings) -> None:
    with open_settings(settings) as configuration:
        configuration.upgrade_store()  # an empty store at the newest schema

    with open_train(settings, settings.train(None), read_only=True) as runtime:
        view = runtime.views.read()

    assert view.sprint is not None and view.sprint.name == "Sprint 1"
    assert view.changes == []


def test_syncing_builds_the_sources_and_names_the_missing_token(settings: Settings) -> None:
    with (
        open_train(settings, settings.train(None)) as runtime,
        pytest.raises(ConfigError, match="RELEASE_TRAIN_GITHUB__TOKEN"),
    ):
        runtime.train_sync.run()


def test_a_dry_run_on_a_store_not_created_yet_creates_none(
    settings: Settings, tmp_path: Path
) -> None:
    train = settings.train(None).model_copy(update={"sources": settings.train(None).sources[:1]})

    with open_train(settings, train, dry_run=True) as runtime:
        result = runtime.train_sync.run()

    assert result.new_count == 2
    assert [rc.change.title for rc in result.view.changes] == ["Initial import", "fix: refunds"]
    assert not (tmp_path / "store.db").exists()
    with open_settings(settings) as configuration:
        assert configuration.store_state().state == "fresh"


def test_the_notes_of_a_synced_train_name_its_changes(settings: Settings) -> None:
    train = settings.train(None).model_copy(update={"sources": settings.train(None).sources[:1]})
    with open_train(settings, train) as runtime:
        assert runtime.train_sync.run().error() is None

    with open_train(settings, train, read_only=True) as runtime:
        text = runtime.notes.render(fmt="markdown")

    assert "refunds" in text
    assert "#7" in text


def test_reading_a_store_not_created_yet_names_sync_and_creates_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    with (
        pytest.raises(ConfigError, match=r"no store at .* yet; `release-train sync` creates it"),
        open_train(settings, settings.train(None), read_only=True),
    ):
        pass

    assert not (tmp_path / "store.db").exists()


def test_a_store_in_a_folder_the_bot_cannot_write_is_read_without_writing(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    train = settings.train(None).model_copy(update={"sources": settings.train(None).sources[:1]})
    with open_train(settings, train) as runtime:
        runtime.train_sync.run()
    before = sorted(p.name for p in tmp_path.iterdir())
    # As root every folder is writable; the bot is told this one is not, and SQLite must then
    # read the file without its shared-memory index (read-only, immutable).
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: path != tmp_path and real_access(path, mode)
    )

    with open_train(settings, train, read_only=True) as runtime:
        view = runtime.views.read()
        shown = runtime.store.display_url

    assert [rc.change.title for rc in view.changes] == ["Initial import", "fix: refunds"]
    assert "mode=ro" in shown and "immutable=1" in shown
    assert sorted(p.name for p in tmp_path.iterdir()) == before
