"""The github source: pull requests merged into a repository's trunk, and direct pushes.

What a sync costs (requests per repository):

- unchanged trunk: one conditional `GET /repos/{o}/{r}/branches/{b}`, answered 304, which
  GitHub does not count against the rate limit;
- trunk moved: that request (200), one page of `GET .../pulls?state=closed&sort=updated` per
  100 pull requests updated since the last listing (plus one conditional re-read of page one
  when there were several pages), one `GET .../pulls/{n}/files` page per new pull request, one
  page of `GET .../commits?sha=<tip>` (the trunk since the last tip), and for each new trunk
  commit that is no pull request's `merge_commit_sha` one `GET .../commits/{sha}/pulls`
  (a rebase merge's earlier commits, a direct push) and, for a direct push, one
  `GET .../commits/{sha}` for its files;
- the first sync of a repository without a configured branch also reads `GET /repos/{o}/{r}`
  once for its default branch (the cursor remembers it).

Commits are never skipped for a message ending `(#N)`: a direct push may well name a pull
request, and would then be lost. The pull requests' own commits are not fetched (one more
request per pull request): a revert pairs through the trunk commit's sha or `Reverts #N`.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from bot.adapters.sources.github.changes import pull_change, push_change, touches
from bot.adapters.sources.github.client import MAX_PAGES, GitHubClient
from bot.adapters.sources.github.cursor import GitHubCursor, decode_cursor
from bot.adapters.sources.github.listing import PER_PAGE, Listing, Pull, list_merged, pull_files
from bot.adapters.sources.github.trunk import Trunk, TrunkCommit, parse_commit, read_trunk
from bot.adapters.sources.shared import (
    LISTING_OVERLAP,
    PatchReading,
    Tally,
    aware,
    cancel,
    merge_order,
    parse_time,
    results,
)
from bot.domain.model import Change, SourceBatch
from bot.errors import ServiceError
from bot.ports.progress import ReadProgress

__all__ = ["GitHubClient", "GitHubSource"]


@dataclass(frozen=True, slots=True)
class _Attribution:
    """Which pull request brought each new trunk commit, and which were pushed directly."""

    pulls: dict[int, Pull]
    commits: dict[int, list[TrunkCommit]]
    pushes: list[TrunkCommit]


class GitHubSource:
    """One GitHub repository whose trunk's merged pull requests (and direct pushes) are changes.

    A change per pull request merged into `branch` (default: the repository's default branch),
    with id `github:<owner>/<repo>#<n>`, and per commit pushed to it without one, with id
    `github:<owner>/<repo>@<sha>`. Pull requests closed without merging, or merged into another
    branch, never appear. With `paths`, only changes touching them are kept. Only files matching
    `migration_paths` keep their patch. The cursor is described in `cursor`. `progress` hears
    of each answer read and each change built.
    """

    def __init__(
        self,
        *,
        name: str,
        repo: str,
        branch: str | None,
        paths: Sequence[str],
        migration_paths: Sequence[str],
        flag_patterns: Sequence[str] = (),
        client: GitHubClient,
        progress: ReadProgress | None = None,
    ) -> None:
        self._name = name
        self._repo = repo
        self._branch = branch
        self._paths = tuple(paths)
        self._reading = PatchReading(tuple(migration_paths), tuple(flag_patterns))
        self._tally = Tally(source=name, progress=progress)
        self._client = client.reporting(self._tally.page)

    @property
    def name(self) -> str:
        """The source's name, unique within its train."""
        return self._name

    def gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
        """Changes merged since the cursor (or, without one, since `since`), oldest first.

        An unchanged trunk costs one conditional request and returns the same cursor. A cursor
        this version cannot read, or one kept for another branch, is set aside with a notice
        and the repository is read from `since`. Every failure is a ServiceError naming the
        repository.
        """
        since = aware(since)
        old, notices = self._read_cursor(cursor)
        try:
            return self._gather(cursor=cursor, old=old, since=since, notices=notices)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise ServiceError(
                f"GitHub answered {self._repo} with data this version cannot read "
                f"({type(exc).__name__})."
            ) from exc

    def _gather(
        self, *, cursor: str | None, old: GitHubCursor | None, since: datetime, notices: list[str]
    ) -> SourceBatch:
        branch = self._branch or (old.branch if old else None) or self._default_branch()
        if old is not None and old.branch != branch:
            notices.append(
                f"{self._name}: the cursor was kept for branch '{old.branch}', not '{branch}'; "
                f"reading {self._repo} from {since.isoformat()}."
            )
            old = None
        probe = self._client.get(
            f"/repos/{self._repo}/branches/{quote(branch, safe='')}",
            subject=self._repo,
            etag=old.etag if old else None,
        )
        if probe.not_modified and old is not None:
            return self._batch((), cursor, notices)
        tip = parse_commit(probe.body["commit"], self._repo)
        if old is not None and tip.sha == old.head:  # the answer changed, the trunk did not
            return self._batch((), replace(old, etag=probe.etag).encode(), notices)
        changes, after = self._moved(branch=branch, tip=tip, old=old, since=since, notices=notices)
        return self._batch(changes, replace(after, etag=probe.etag).encode(), notices)

    def _moved(
        self,
        *,
        branch: str,
        tip: TrunkCommit,
        old: GitHubCursor | None,
        since: datetime,
        notices: list[str],
    ) -> tuple[list[Change], GitHubCursor]:
        """The changes a moved trunk brought, and the cursor after them (its ETag unset)."""
        start = old.start if old else since
        seen = old.seen if old else frozenset()
        # The trunk's commits and each merged pull request's files need only the branch's tip
        # and the listing's pages: they are asked for at once, on the client's shared workers,
        # while the listing goes on.
        trunk_read = self._client.submit(
            lambda: read_trunk(
                self._client,
                repo=self._repo,
                tip=tip,
                old=old.head if old else None,
                since=start,
                subject=self._repo,
            )
        )
        files: dict[int, Future[list[Any]]] = {}
        try:
            listing = list_merged(
                self._client,
                repo=self._repo,
                branch=branch,
                start=start,
                subject=self._repo,
                found=lambda number: self._fetch_files(number, seen=seen, into=files),
            )
            trunk = trunk_read.result()
            found = self._attribute(trunk, listing, branch=branch)
            changes = self._changes(found, seen=seen, files=files)
        except BaseException:
            cancel([trunk_read, *files.values()])
            raise
        notices.extend(trunk.notices)
        if listing.truncated:
            notices.append(
                f"{self._name}: more than {MAX_PAGES * PER_PAGE} pull requests of {self._repo} "
                f"were updated since {start.isoformat()}; only the newest were read."
            )
        following = max(start, (listing.newest or start) - LISTING_OVERLAP)
        # Merges before the next listing's start can no longer come back from it.
        kept = frozenset(n for n, p in found.pulls.items() if p.merged_at >= following)
        return changes, GitHubCursor(
            branch=branch, head=tip.sha, etag=None, start=following, seen=kept
        )

    def _batch(
        self, changes: Sequence[Change], cursor: str | None, notices: list[str]
    ) -> SourceBatch:
        return merge_order(source=self._name, changes=changes, cursor=cursor, notices=notices)

    def _read_cursor(self, cursor: str | None) -> tuple[GitHubCursor | None, list[str]]:
        if cursor is None:
            return None, []
        try:
            return decode_cursor(cursor), []
        except ValueError as exc:
            return None, [
                f"{self._name}: the stored cursor cannot be read ({exc}); reading {self._repo} "
                "from the source's start instead, so changes recorded before may be read again."
            ]

    def _default_branch(self) -> str:
        reply = self._client.get(f"/repos/{self._repo}", subject=self._repo)
        return str(reply.body["default_branch"])

    def _attribute(self, trunk: Trunk, listing: Listing, *, branch: str) -> _Attribution:
        """Match each new trunk commit to its pull request; the rest were pushed directly."""
        pulls = dict(listing.merged)
        owners = {p.merge_sha: n for n, p in pulls.items() if p.merge_sha}
        # The commits no listed pull request merged: each one's pull request, asked at once.
        unowned = [c.sha for c in trunk.commits if c.sha not in owners]
        lookups = dict(
            zip(
                unowned,
                results(
                    [
                        self._client.submit(partial(self._pull_of, sha, branch=branch))
                        for sha in unowned
                    ]
                ),
                strict=True,
            )
        )
        commits: dict[int, list[TrunkCommit]] = {}
        pushes: list[TrunkCommit] = []
        for commit in trunk.commits:
            number = owners.get(commit.sha)
            if number is None:
                pull = lookups[commit.sha]
                if pull is None:
                    pushes.append(commit)
                    continue
                number = pull.number
                pulls.setdefault(number, pull)
            commits.setdefault(number, []).append(commit)
        return _Attribution(pulls=pulls, commits=commits, pushes=pushes)

    def _pull_of(self, sha: str, *, branch: str) -> Pull | None:
        """The pull request merged into `branch` that brought a commit (a rebase merge), if any."""
        reply = self._client.get(f"/repos/{self._repo}/commits/{sha}/pulls", subject=self._repo)
        for raw in reply.body if isinstance(reply.body, list) else ():
            if raw.get("merged_at") and (raw.get("base") or {}).get("ref") == branch:
                merged = parse_time(raw["merged_at"])
                return Pull(
                    number=int(raw["number"]),
                    merged_at=merged,
                    updated_at=parse_time(raw.get("updated_at") or raw["merged_at"]),
                    merge_sha=raw.get("merge_commit_sha"),
                    raw=raw,
                )
        return None

    def _fetch_files(
        self, number: int, *, seen: frozenset[int], into: dict[int, Future[list[Any]]]
    ) -> None:
        """Ask for a pull request's files (once) on the shared workers, unless already handled."""
        if number in seen or number in into:
            return
        into[number] = self._client.submit(
            partial(pull_files, self._client, repo=self._repo, number=number, subject=self._repo)
        )

    def _changes(
        self, found: _Attribution, *, seen: frozenset[int], files: dict[int, Future[list[Any]]]
    ) -> list[Change]:
        """The changes, each pull request's files and each direct push's read at once (those
        asked for while listing are not asked again)."""
        numbers = [n for n in sorted(found.pulls) if n not in seen]
        for number in numbers:
            self._fetch_files(number, seen=seen, into=files)
        pushed = [
            self._client.submit(partial(self._commit_files, commit.sha)) for commit in found.pushes
        ]
        try:
            pull_files_ = results([files[n] for n in numbers])
            push_files = results(pushed)
        except BaseException:
            cancel(pushed)
            raise
        changes: list[Change] = []
        for number, listed in zip(numbers, pull_files_, strict=True):
            if not self._wanted(listed):
                continue
            self._tally.changes()
            changes.append(
                pull_change(
                    found.pulls[number],
                    repo=self._repo,
                    source=self._name,
                    commits=found.commits.get(number, []),
                    files=listed,
                    reading=self._reading,
                )
            )
        for commit, listed in zip(found.pushes, push_files, strict=True):
            if not self._wanted(listed):
                continue
            self._tally.changes()
            changes.append(
                push_change(
                    commit,
                    repo=self._repo,
                    source=self._name,
                    files=listed,
                    reading=self._reading,
                )
            )
        return changes

    def _wanted(self, files: Sequence[Any]) -> bool:
        return not self._paths or touches(files, self._paths)

    def _commit_files(self, sha: str) -> list[Any]:
        """A commit's files (GitHub pages them, 300 a page, through `Link` on the commit)."""
        reply = self._client.get(f"/repos/{self._repo}/commits/{sha}", subject=self._repo)
        files: list[Any] = list(reply.body.get("files") or [])
        for _ in range(MAX_PAGES):
            if reply.next_url is None:
                break
            reply = self._client.get(reply.next_url, subject=self._repo)
            files.extend(reply.body.get("files") or [])
        return files
