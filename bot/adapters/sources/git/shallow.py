"""Shallow clones: which trunk commits lost their parents at the clone's cut.

A `--depth N` clone lists its oldest commits without parents, exactly like root commits; diffed
against the empty tree, a one-line fix there would read as adding the whole repository. The
commits the clone cut are named in its `shallow` file, read directly in the usual layouts
(no git process); it is looked at on a first read and when a trunk commit without parents shows.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path

from bot.adapters.sources.git.client import GitRunner
from bot.adapters.sources.git.objects import RevLine

_MAX_SHALLOW_BYTES = 4 * 1024 * 1024  # 50,000 cut commits' ids


def cut_commits(
    git: GitRunner, repo: Path, trunk: Sequence[RevLine], *, first: bool
) -> frozenset[str] | None:
    """The trunk commits whose parents a shallow clone cut off; None when it is not shallow.

    Looked at on a first read (so `check` can say so) or when a parentless commit shows.
    """
    parentless = {line.sha for line in trunk if not line.parents}
    if not parentless and not first:
        return None
    shallow = shallow_commits(git, repo)
    return None if shallow is None else frozenset(parentless & shallow)


def shallow_commits(git: GitRunner, repo: Path) -> frozenset[str] | None:
    """The commits whose parents the clone cut off; None when the clone is not shallow.

    A plain clone's `.git/shallow` (or a bare one's `shallow`) is read directly, without a
    process; any other layout (a linked worktree) asks git where the file is.
    """
    if (repo / ".git").is_dir():
        where = repo / ".git" / "shallow"
    elif (repo / "objects").is_dir() and (repo / "HEAD").is_file():
        where = repo / "shallow"
    else:
        out = git.run("rev-parse", "--git-path", "shallow")
        where = repo / out.stdout.decode("utf-8", errors="replace").strip()
    return _read_shallow(where)


def _read_shallow(where: Path) -> frozenset[str] | None:
    try:
        info = where.stat()
    except OSError:
        return None
    # Only a regular file is read (a FIFO planted there would block), and only so much of it.
    if not stat.S_ISREG(info.st_mode):
        return None
    with where.open("rb") as handle:
        text = handle.read(_MAX_SHALLOW_BYTES).decode("ascii", errors="replace")
    found = frozenset(line.strip() for line in text.splitlines() if line.strip())
    return found or None


def missing_parent_note() -> str:
    """The reason given for a change whose parent a shallow clone left out."""
    return (
        "its parent commit is missing from this shallow clone, so its files could not be "
        "compared; it is classified from its message alone"
    )


def shallow_notice(*, source: str, repo: Path, cut: int) -> str:
    """The sync's notice for a shallow clone; `cut` counts the trunk commits at its cut."""
    at_cut = (
        f" {cut} trunk commit(s) in this sync sit at the cut and are read without their files;"
        if cut
        else ""
    )
    return (
        f"Git source '{source}' is a shallow clone: history before its cut is missing;{at_cut} "
        f"`git fetch --unshallow` in {repo} fetches the rest."
    )
