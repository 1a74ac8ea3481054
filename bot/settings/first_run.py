"""`release-train init`'s use-case: look at the repository, write the starter file, and say
whether git would pick up the store.

A call reads `.git/HEAD`, lists the repository's files once (`git ls-files`, to find
post-deployment migration folders) and asks git twice where the store would stand
(`rev-parse`, `check-ignore`): a few short git processes, whatever the repository's size
beyond the listing. It never edits anything but the new file, and never overwrites one.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from bot.errors import ConfigError
from bot.settings.starter import (
    STORE_FILE,
    first_sprint_day,
    ignore_line,
    starter_config,
    train_name,
)

_GIT_TIMEOUT = 30.0
# Folders of migrations that run after the deploy, as the policy's defaults name them.
_POST_DEPLOY_FOLDERS = (("db", "post_migrate"), ("post_migrations",))
_MOST_FOLDERS = 20


@dataclass(frozen=True, slots=True)
class StoreIgnore:
    """Whether git would pick up the store: `line` is what to add to `gitignore` (None when
    git ignores it already, or the store is not inside a repository)."""

    line: str | None
    gitignore: Path | None  # the repository's top-level .gitignore
    exists: bool  # whether that .gitignore exists


@dataclass(frozen=True, slots=True)
class StarterWritten:
    """What `init` wrote and what people should do next."""

    path: Path
    name: str
    repo: Path
    first_day: date
    post_deploy_paths: tuple[str, ...]
    store: Path
    ignore: StoreIgnore


def write_starter(*, repo: Path, target: Path, today: date) -> StarterWritten:
    """Write the starter configuration for the git repository `repo` to `target` (never over
    an existing file); a ConfigError names what stopped it."""
    if not (repo / ".git").exists():
        raise ConfigError(
            f"{repo} is not a git repository; run `release-train init` in your repository's folder"
        )
    target = target.absolute()
    name = train_name(repo.name)
    first_day = first_sprint_day(today)
    folders = post_deploy_folders(repo)
    text = starter_config(
        name=name,
        repo_path=os.path.relpath(repo, target.parent),
        branch=current_branch(repo / ".git"),
        first_day=first_day,
        # Relative: beside the configuration file, wherever the folder is moved or run from.
        store_url=f"sqlite:///{STORE_FILE}",
        post_deploy_paths=[f"{folder}/**" for folder in folders],
    )
    try:
        with target.open("x", encoding="utf-8") as handle:  # "x": never over an existing file
            handle.write(text)
    except FileExistsError:
        raise ConfigError(f"{target} already exists; init never overwrites a file") from None
    except OSError as exc:
        raise ConfigError(f"--path: cannot write {target}: {exc.strerror}") from None
    store = target.parent / STORE_FILE
    return StarterWritten(
        path=target,
        name=name,
        repo=repo,
        first_day=first_day,
        post_deploy_paths=tuple(f"{folder}/**" for folder in folders),
        store=store,
        ignore=store_ignore(store),
    )


def current_branch(git: Path) -> str | None:
    """The checked-out branch, read from HEAD; None when detached or not a plain repository."""
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None  # a worktree or submodule (.git is a file): the source's default applies
    prefix = "ref: refs/heads/"
    return head[len(prefix) :] if head.startswith(prefix) else None


def post_deploy_folders(repo: Path) -> list[str]:
    """The repository's folders of post-deployment migrations (`db/post_migrate`, any
    `post_migrations`) holding a tracked or untracked, not ignored file, shortest first; none
    when git cannot list them, and none past a sane number (the defaults cover them all)."""
    listed = _git(repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listed is None:
        return []
    found: set[str] = set()
    for path in listed.split("\0"):
        parts = PurePosixPath(path).parts[:-1]  # the folders above the file
        for index in range(len(parts)):
            if _is_post_deploy(parts[: index + 1]):
                found.add("/".join(parts[: index + 1]))
                break
    found = {folder for folder in found if _writable(folder)}
    folders = sorted(found, key=lambda f: (f.count("/"), f))
    return folders if len(folders) <= _MOST_FOLDERS else []


def _writable(folder: str) -> bool:
    """Whether a folder's name can stand in the file as a glob that means just it: UTF-8, and
    no glob characters of its own."""
    try:
        folder.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(c in folder for c in "*?[]{}")


def _is_post_deploy(parts: tuple[str, ...]) -> bool:
    return any(parts[-len(tail) :] == tail for tail in _POST_DEPLOY_FOLDERS)


def store_ignore(store: Path) -> StoreIgnore:
    """Whether git would pick up `store` (a file that may not exist yet), and the line that
    keeps it (and SQLite's -wal and -shm files beside it) out."""
    folder = store.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None or not top.strip():
        return StoreIgnore(line=None, gitignore=None, exists=False)  # not in a repository
    root = Path(top.strip())
    gitignore = root / ".gitignore"
    ignored = _git(folder, "check-ignore", "-q", "--", store.name)  # exit 0: ignored
    if ignored is not None:
        return StoreIgnore(line=None, gitignore=gitignore, exists=gitignore.is_file())
    try:
        inside = store.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        inside = store.name
    return StoreIgnore(line=ignore_line(inside), gitignore=gitignore, exists=gitignore.is_file())


def _git(cwd: Path, *args: str) -> str | None:
    """git's output in `cwd`, or None when it fails (not a repository, git missing, too slow)."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", *args],
            cwd=cwd,
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",  # a file name is bytes to git
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
