"""`release-train init`: write a starter configuration for the git repository in this folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.console import echo

if TYPE_CHECKING:
    from bot.settings.first_run import StoreIgnore


def run_init(*, path: Path | None) -> None:
    """Write the starter file (never over an existing one) and say what to run next."""
    from bot.settings.first_run import write_starter

    written = write_starter(
        repo=Path.cwd(), target=path or Path("release-train.toml"), today=date.today()
    )
    echo(f"wrote {written.path}: train '{written.name}' over the git repository in {written.repo}")
    echo(
        f"sprints of two weeks from {written.first_day:%Y-%m-%d}: the first sync reads the trunk"
        " from that day"
    )
    if written.post_deploy_paths:
        paths = ", ".join(written.post_deploy_paths)
        echo(f"post-deployment migrations (the contract stage): {paths}")
    for line in _ignore_lines(written.ignore):
        echo(line)
    echo("next: release-train sync, then release-train status and release-train notes")


def _ignore_lines(ignore: StoreIgnore) -> list[str]:
    """The hint that keeps the store out of git; nothing when git ignores it already."""
    if ignore.line is None or ignore.gitignore is None:
        return []
    if ignore.exists:
        return [
            "keep the store out of git: add this line to "
            f"{ignore.gitignore} (init does not edit it):",
            f"  {ignore.line}",
        ]
    return [
        f"keep the store out of git: create {ignore.gitignore} holding the line:",
        f"  {ignore.line}",
    ]
