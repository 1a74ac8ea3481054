"""Which configuration file a command reads without -c: the working folder's, else the nearest
folder's above it up to the git repository's root; and the error that names `init` when there
is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import Result, run_here
from tests.workspace import Workspace


def _error_line(result: Result) -> str:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("release-train: error: "), result.err
    return lines[0]


def _config_in_the_repository(workspace: Workspace) -> Path:
    """The workspace's config moved to the top of its repository (its store beside it)."""
    config = workspace.repo.path / "release-train.toml"
    workspace.config.replace(config)
    return config


def test_a_command_in_a_subfolder_reads_the_config_at_the_repository_root(
    workspace: Workspace,
) -> None:
    config = _config_in_the_repository(workspace)
    deep = workspace.repo.path / "api" / "v1"
    deep.mkdir(parents=True)

    checked = run_here(None, "check", cwd=deep)
    synced = run_here(None, "sync", cwd=deep)

    assert checked.code == 0, checked.err
    assert f"ok    config: {config} (1 train(s))" in checked.out
    assert synced.code == 0, synced.err


def test_the_working_folders_config_wins_over_one_above(workspace: Workspace) -> None:
    _config_in_the_repository(workspace)
    sub = workspace.repo.path / "sub"
    sub.mkdir()
    (sub / "release-train.toml").write_text("[store\n", encoding="utf-8")

    result = run_here(None, "status", cwd=sub)

    assert result.code == 2
    assert "release-train.toml: not valid TOML" in _error_line(result)


def test_the_search_stops_at_the_repository_root(workspace: Workspace) -> None:
    # workspace.config lies in the folder above the repository: out of reach.
    sub = workspace.repo.path / "sub"
    sub.mkdir()

    result = run_here(None, "sync", cwd=sub)

    assert result.code == 2
    assert _error_line(result) == (
        "release-train: error: no release-train.toml here or up to the repository root"
        f" ({workspace.repo.path}); write one with `release-train init`, or pass -c FILE"
    )


def test_outside_a_repository_only_the_working_folder_is_searched(tmp_path: Path) -> None:
    (tmp_path / "release-train.toml").write_text("# above\n", encoding="utf-8")
    below = tmp_path / "below"
    below.mkdir()

    result = run_here(None, "status", cwd=below)

    assert result.code == 2
    line = _error_line(result)
    assert f"no release-train.toml in {below}" in line
    assert "`release-train init`" in line


@pytest.mark.parametrize("command", ["serve", "sync", "status", "check", "explain x"])
def test_a_missing_config_given_after_the_command_is_the_config_error(
    workspace: Workspace, command: str
) -> None:
    result = run_here(None, *command.split(), "-c", "missing.toml", cwd=workspace.root)

    assert result.code == 2
    line = _error_line(result)
    assert "No such option" not in line
    assert "configuration file missing.toml not found" in line
    assert "`release-train init --path missing.toml`" in line
