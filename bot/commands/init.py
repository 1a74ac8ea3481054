"""`release-train init`: write a starter configuration for the git repository in this folder."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from bot.console import echo
from bot.errors import ConfigError


def run_init(*, path: Path | None) -> None:
    """Write the starter file (never over an existing one) and say what to run next."""
    from bot.settings.starter import sprint_start, starter_config, train_name

    repo = Path.cwd()
    if not (repo / ".git").exists():
        raise ConfigError(
            f"{repo} is not a git repository; run `release-train init` in your repository's folder"
        )
    target = (path or Path("release-train.toml")).absolute()
    name = train_name(repo.name)
    text = starter_config(
        name=name,
        repo_path=os.path.relpath(repo, target.parent),
        branch=_current_branch(repo / ".git"),
        first_day=sprint_start(date.today()),
        store_url=f"sqlite:///{target.parent / 'release-train.db'}",
    )
    try:
        with target.open("x", encoding="utf-8") as handle:  # "x": never over an existing file
            handle.write(text)
    except FileExistsError:
        raise ConfigError(f"{target} already exists; init never overwrites a file") from None
    except OSError as exc:
        raise ConfigError(f"--path: cannot write {target}: {exc.strerror}") from None
    echo(f"wrote {target}: train '{name}' over the git repository in {repo}")
    echo("next: release-train sync, then release-train status and release-train notes")


def _current_branch(git: Path) -> str | None:
    """The checked-out branch, read from HEAD; None when detached or not a plain repository."""
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None  # a worktree or submodule (.git is a file): the source's default applies
    prefix = "ref: refs/heads/"
    return head[len(prefix) :] if head.startswith(prefix) else None
