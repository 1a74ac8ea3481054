"""Pull requests merged into a branch, read from GitHub's listing sorted by last update."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.adapters.sources.github.client import MAX_PAGES, GitHubClient, Params, Reply
from bot.adapters.sources.shared import parse_time
from bot.errors import ServiceError

PER_PAGE = 100
RECHECKS = 3  # re-reads of page one when pull requests moved while the listing was read


@dataclass(frozen=True, slots=True)
class Pull:
    """A merged pull request as listed (`raw` is GitHub's pull-request-simple object)."""

    number: int
    merged_at: datetime
    updated_at: datetime
    merge_sha: str | None
    raw: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Listing:
    """The merged pull requests updated since a start time, and the newest update seen."""

    merged: dict[int, Pull]
    newest: datetime | None
    truncated: bool = False  # MAX_PAGES pages were read and the listing went on


class _Collector:
    """Listed pull requests by number, each in its most recently updated version."""

    def __init__(
        self, *, start: datetime, subject: str, branch: str, found: Callable[[int], None] | None
    ) -> None:
        self.start = start
        self.subject = subject
        self.branch = branch
        self.found = found
        self.items: dict[int, tuple[datetime, dict[str, Any]]] = {}

    def add(self, page: list[Any]) -> bool:
        """Take one page; whether the listing must go on (its last item is not too old)."""
        updated: datetime | None = None
        for item in page:
            number, updated = _number(item, self.subject), _time(item, "updated_at", self.subject)
            if updated is None or updated < self.start:
                continue
            known = self.items.get(number)
            if known is None or known[0] <= updated:
                self.items[number] = (updated, item)
            if known is None and self.found is not None and self._merged(item) is not None:
                self.found(number)
        return bool(page) and updated is not None and updated >= self.start

    def _merged(self, item: dict[str, Any]) -> datetime | None:
        """When a listed item was merged into the branch since the start (else None)."""
        merged_at = _time(item, "merged_at", self.subject)
        base = item.get("base")
        base_ref = base.get("ref") if isinstance(base, dict) else None
        if merged_at is None or merged_at < self.start or base_ref != self.branch:
            return None
        return merged_at

    def listing(self, *, truncated: bool) -> Listing:
        merged: dict[int, Pull] = {}
        for number, (updated, item) in self.items.items():
            merged_at = self._merged(item)
            if merged_at is None:
                continue
            sha = item.get("merge_commit_sha")
            merged[number] = Pull(
                number=number,
                merged_at=merged_at,
                updated_at=updated,
                merge_sha=sha if isinstance(sha, str) else None,
                raw=item,
            )
        newest = max((updated for updated, _ in self.items.values()), default=None)
        return Listing(merged=merged, newest=newest, truncated=truncated)


def list_merged(
    client: GitHubClient,
    *,
    repo: str,
    branch: str,
    start: datetime,
    subject: str,
    found: Callable[[int], None] | None = None,
) -> Listing:
    """Pull requests merged into `branch` at or after `start` (closed unmerged ones left out).

    The listing is sorted by last update, newest first, and read until an item older than
    `start`. A pull request updated while later pages are read jumps to page one and would slip
    past them, so when more than one page was read, page one is read again, conditionally on
    its ETag, until it stays unchanged (a 304). Items are kept by number, so one seen twice
    counts once. `found` hears each merged pull request's number as soon as its page is read
    (once each), so its details can be asked for while the listing goes on.
    """
    path = f"/repos/{repo}/pulls"
    params: Params = {
        "state": "closed",
        "base": branch,
        "sort": "updated",
        "direction": "desc",
        "per_page": PER_PAGE,
    }
    collector = _Collector(start=start, subject=subject, branch=branch, found=found)
    first = client.get(path, subject=subject, params=params)
    reply, pages, truncated = first, 1, False
    while collector.add(_page(reply, subject)) and reply.next_url is not None:
        if pages == MAX_PAGES:
            truncated = True
            break
        reply = client.get(reply.next_url, subject=subject)
        pages += 1
    if pages > 1:
        _recheck(client, path=path, params=params, etag=first.etag, collector=collector)
    return collector.listing(truncated=truncated)


def _recheck(
    client: GitHubClient, *, path: str, params: Params, etag: str | None, collector: _Collector
) -> None:
    """Read page one again until it is unchanged, taking what moved onto it meanwhile."""
    for _ in range(RECHECKS):
        again = client.get(path, subject=collector.subject, params=params, etag=etag)
        if again.not_modified:
            return
        collector.add(_page(again, collector.subject))
        etag = again.etag


def pull_files(client: GitHubClient, *, repo: str, number: int, subject: str) -> list[Any]:
    """Every file of a pull request (GitHub's diff-entry objects, with `patch` when small)."""
    files: list[Any] = []
    path = f"/repos/{repo}/pulls/{number}/files"
    for page in client.pages(path, subject=subject, params={"per_page": PER_PAGE}):
        files.extend(page)
    return files


def _page(reply: Reply, subject: str) -> list[Any]:
    if not isinstance(reply.body, list):
        raise ServiceError(f"GitHub answered the pull requests of {subject} with no list.")
    return reply.body


def _number(item: Any, subject: str) -> int:
    number = item.get("number") if isinstance(item, dict) else None
    if type(number) is not int:
        raise ServiceError(f"GitHub listed a pull request of {subject} without a number.")
    return number


def _time(item: dict[str, Any], key: str, subject: str) -> datetime | None:
    value = item.get(key)
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise ServiceError(f"GitHub gave {subject} an unreadable {key} ({value!r}).") from exc
