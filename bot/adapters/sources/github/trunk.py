"""The commits a GitHub branch gained: its first-parent chain since the last known tip."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.adapters.sources.github.client import GitHubClient, Params
from bot.adapters.sources.shared import format_time, parse_time
from bot.errors import ServiceError

PER_PAGE = 100
AFTER_CURSOR_PAGES = 5  # pages read looking for the old tip before calling it rewritten


@dataclass(frozen=True, slots=True)
class TrunkCommit:
    """One commit on the branch's first-parent chain, as GitHub's commit listing gives it."""

    sha: str
    parents: tuple[str, ...]
    message: str
    author: str
    committed_at: datetime
    url: str | None


@dataclass(frozen=True, slots=True)
class Trunk:
    """The branch's new first-parent commits, oldest first, and what was odd about them."""

    commits: tuple[TrunkCommit, ...]
    notices: tuple[str, ...] = field(default=())


def read_trunk(
    client: GitHubClient,
    *,
    repo: str,
    tip: TrunkCommit,
    old: str | None,
    since: datetime,
    subject: str,
) -> Trunk:
    """First-parent commits from `tip` back to `old` (exclusive), or, without `old`, those
    committed at or after `since`.

    The listing walks back from the tip newest first, parents after their children, so every
    commit after `old` comes before it; normally that is one page. When `old` does not show up
    within AFTER_CURSOR_PAGES pages the branch was rewritten (or moved very far): the commits
    read so far that were committed since `since` stand in, with a notice. The tip itself
    comes from the branch's answer, so the walk starts even when it is older than `since`.
    """
    path = f"/repos/{repo}/commits"
    if old is None:
        params: Params = {"sha": tip.sha, "since": format_time(since), "per_page": PER_PAGE}
        pages = client.pages(path, subject=subject, params=params)
        listed = [parse_commit(item, subject) for page in pages for item in page]
        return Trunk(commits=_chain(tip, listed, stop=None, since=since))
    listed, found = _until(
        client.pages(path, subject=subject, params={"sha": tip.sha, "per_page": PER_PAGE}),
        old,
        subject,
    )
    if found:
        return Trunk(commits=_chain(tip, listed, stop=old, since=None))
    notice = (
        f"The trunk of {subject} was rewritten (force-push) or moved more than "
        f"{AFTER_CURSOR_PAGES * PER_PAGE} commits: {old[:12]} is no longer among its newest "
        f"commits; read the trunk commits committed since {since.isoformat()} instead, so a "
        "change recorded before may appear again under a new commit."
    )
    return Trunk(commits=_chain(tip, listed, stop=None, since=since), notices=(notice,))


def _until(pages: Iterator[list[Any]], old: str, subject: str) -> tuple[list[TrunkCommit], bool]:
    listed: list[TrunkCommit] = []
    for count, page in enumerate(pages, start=1):
        for item in page:
            commit = parse_commit(item, subject)
            if commit.sha == old:
                return listed, True
            listed.append(commit)
        if count >= AFTER_CURSOR_PAGES:
            break
    return listed, False


def _chain(
    tip: TrunkCommit, listed: list[TrunkCommit], *, stop: str | None, since: datetime | None
) -> tuple[TrunkCommit, ...]:
    """Follow first parents from `tip` through the listed commits, oldest first; with `since`,
    only those committed since then."""
    by_sha = {commit.sha: commit for commit in listed}
    by_sha[tip.sha] = tip
    chain: list[TrunkCommit] = []
    commit: TrunkCommit | None = tip
    while commit is not None and commit.sha != stop:
        if since is None or commit.committed_at >= since:
            chain.append(commit)
        commit = by_sha.get(commit.parents[0]) if commit.parents else None
    return tuple(reversed(chain))


def parse_commit(item: Any, subject: str) -> TrunkCommit:
    """A commit from GitHub's `commit` object."""
    try:
        detail = item["commit"]
        parents = tuple(parent["sha"] for parent in item["parents"])
        return TrunkCommit(
            sha=str(item["sha"]),
            parents=parents,
            message=str(detail.get("message") or ""),
            author=commit_author(item),
            committed_at=parse_time((detail.get("committer") or {}).get("date")),
            url=item.get("html_url"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ServiceError(f"GitHub listed a commit of {subject} that cannot be read.") from exc


def commit_author(item: dict[str, Any]) -> str:
    """The commit's author: the GitHub login when the email maps to an account, else the name."""
    user = item.get("author")
    if isinstance(user, dict) and isinstance(user.get("login"), str):
        return str(user["login"])
    detail = item.get("commit") or {}
    return str((detail.get("author") or {}).get("name") or "")
