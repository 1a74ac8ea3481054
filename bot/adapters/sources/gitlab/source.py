"""The GitLab source: merge requests merged into a project's branch, and direct pushes to it.

What a poll costs (list requests read up to 100 items per page):

- Idle (the branch's head is still the cursor's): ONE small request,
  `GET /projects/:id/repository/branches/:branch` with `If-None-Match`. GitLab's REST API
  sends weak ETags but answers 304 on only a few endpoints (most ignore `If-None-Match`), so
  the answer is usually a 200 whose head commit is compared with the cursor; a 304, where an
  instance gives one, means "unchanged" just the same. A trunk's head moves with every merge
  and push, so an unmoved head means nothing to gather.
- Active: that request; the merged requests updated since the cursor's floor
  (`/merge_requests?state=merged&target_branch=..&updated_after=..&order_by=updated_at`); the
  trunk's new first-parent commits (`/repository/commits?ref_name=<old>..<new>&first_parent=
  true`); per new merge request its files (`/merge_requests/:iid/diffs`) and its commits
  (`/merge_requests/:iid/commits`: their messages and shas serve flag trailers, breaking-change
  footers, revert pairing, and fast-forward merges, whose commits land on the trunk as they
  are), the latter skipped for a request outside the source's `paths` unless fast-forwarded.
  A trunk commit no listed request accounts for costs one lookup: the request a merge commit
  names (`/merge_requests/:iid`), else `/repository/commits/:sha/merge_requests`; a true
  direct push then costs its `/repository/commits/:sha/diff`.
- A source's first poll in a process also reads `GET /projects/:id` when no branch is
  configured (the default branch; afterwards the cursor holds it) or the project is a numeric
  id (its path, for change ids).

`/diffs` (GitLab 15.7 and later) is read rather than the deprecated `/changes`: it pages, so a
large merge request never overflows one answer. A file whose diff GitLab leaves out (too
large) counts zero lines and carries no hunks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from bot.adapters.sources.gitlab.changes import (
    file_changes,
    is_fast_forward,
    merged_time,
    owned_shas,
    push_change,
    request_change,
    touches,
)
from bot.adapters.sources.gitlab.client import GitLabClient, encode_segment
from bot.adapters.sources.gitlab.cursor import Cursor
from bot.adapters.sources.gitlab.listing import Listing, list_merged
from bot.adapters.sources.gitlab.trunk import TrunkReader, Walk
from bot.adapters.sources.shared import PatchReading, Tally, aware, cancel, merge_order, results
from bot.domain.model import Change, FileChange, SourceBatch
from bot.errors import ServiceError
from bot.ports.progress import ReadProgress

__all__ = ["GitLabClient", "GitLabSource"]

Json = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Head:
    """The branch's head commit and validator; `sha` is None when GitLab answered 304."""

    sha: str | None
    etag: str | None


@dataclass(frozen=True, slots=True)
class _Detail:
    """A merge request with its files and, when fetched, its own commits (newest first)."""

    request: Json
    diffs: list[Json]
    commits: list[Json]


class GitLabSource:
    """One GitLab project's branch as a change source (the module says what a poll costs).

    `project` is a path (`group/sub/project`) or a numeric id. The changes are the merge
    requests merged into `branch` (default: the project's default branch), ids
    `gitlab:<path>!<iid>`, and the trunk commits no merge request brought, ids
    `gitlab:<path>@<sha>`; with `paths`, only those touching a matching file. Files carry
    their hunks only when they match `migration_paths`. The cursor is a `Cursor`. `progress`
    hears of each answer read and each change whose files were read.
    """

    def __init__(
        self,
        *,
        name: str,
        project: str,
        branch: str | None,
        paths: Sequence[str],
        migration_paths: Sequence[str],
        flag_patterns: Sequence[str] = (),
        client: GitLabClient,
        progress: ReadProgress | None = None,
    ) -> None:
        self._name = name
        self._project = project.strip().strip("/")
        self._branch = branch or None
        self._paths = tuple(paths)
        self._reading = PatchReading(tuple(migration_paths), tuple(flag_patterns))
        self._tally = Tally(source=name, progress=progress)
        self._client = client.reporting(self._tally.page)
        self._api = f"projects/{encode_segment(self._project)}"
        self._path = None if self._project.isdigit() else self._project
        self._subject = f"project '{self._project}'"

    @property
    def name(self) -> str:
        """The source's name, unique within its train."""
        return self._name

    def gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
        """Changes merged into the branch after `cursor` (or since `since`), oldest first.

        An unreadable cursor, or one kept for another branch, is reported in the notices and
        gathering starts from `since`. Raises ServiceError when GitLab cannot be read.
        """
        since = aware(since)
        notices: list[str] = []
        state = Cursor.load(cursor) if cursor else None
        if cursor and state is None:
            notices.append(self._notice("its cursor is unreadable, so it gathers from the start"))
        branch, head, state = self._locate(state, notices)
        if state is not None and head.sha in (None, state.head):
            return self._batch((), state.at_head(head=state.head, etag=head.etag), notices)
        if head.sha is None:
            raise ServiceError(
                f"GitLab answered 304 to an unconditional request for {self._subject}."
            )
        return self._active(
            branch=branch, head=head.sha, etag=head.etag, state=state, since=since, notices=notices
        )

    # -- where the branch stands ---------------------------------------------------------------

    def _locate(self, state: Cursor | None, notices: list[str]) -> tuple[str, _Head, Cursor | None]:
        branch = self._branch or (state.branch if state else None) or self._default_branch()
        if state is not None and state.branch != branch:
            notices.append(self._notice(f"it now follows '{branch}', so it gathers afresh"))
            state = None
        head = self._branch_head(branch, etag=state.etag if state else None)
        if head is None:  # the default branch it followed is the default no longer
            branch = self._default_branch()
            notices.append(self._notice(f"the default branch is now '{branch}'"))
            state = None
            head = self._branch_head(branch, etag=None)
        if head is None:
            raise ServiceError(f"GitLab {self._subject} keeps changing its default branch.")
        return branch, head, state

    def _branch_head(self, branch: str, *, etag: str | None) -> _Head | None:
        """The branch's head; None when the branch followed as the default is no longer it."""
        subject = f"branch '{branch}' of {self._subject}"
        reply = self._client.get(
            f"{self._api}/repository/branches/{encode_segment(branch)}", subject=subject, etag=etag
        )
        if reply.status == 304:
            return _Head(sha=None, etag=etag)
        data = reply.data if isinstance(reply.data, dict) else {}
        if self._branch is None and data.get("default") is False:
            return None
        sha = (data.get("commit") or {}).get("id")
        if not isinstance(sha, str) or not sha:
            raise ServiceError(f"GitLab named no head commit for {subject}.")
        return _Head(sha=sha, etag=reply.etag)

    def _project_info(self) -> Json:
        data = self._client.get(self._api, subject=self._subject).data
        if not isinstance(data, dict):
            raise ServiceError(f"GitLab answered something unexpected for {self._subject}.")
        if self._path is None and isinstance(data.get("path_with_namespace"), str):
            self._path = data["path_with_namespace"]
        return data

    def _default_branch(self) -> str:
        branch = self._project_info().get("default_branch")
        if not isinstance(branch, str) or not branch:
            raise ServiceError(
                f"GitLab {self._subject} has no default branch (is its repository empty?); "
                "set the source's branch."
            )
        return branch

    # -- an active poll -----------------------------------------------------------------------

    def _active(
        self,
        *,
        branch: str,
        head: str,
        etag: str | None,
        state: Cursor | None,
        since: datetime,
        notices: list[str],
    ) -> SourceBatch:
        base = state or Cursor(branch=branch, head=None, etag=None, floor=since)
        # The trunk's new commits need only the head: read on the client's shared workers while
        # the merge requests are listed and their details read (its notices follow the listing's).
        trunk_notices: list[str] = []
        trunk = TrunkReader(
            self._client,
            api=self._api,
            path=self._project_path(),
            subject=self._subject,
            branch=branch,
            notices=trunk_notices,
        )
        commits_read = self._client.submit(
            partial(trunk.commits, head=head, old=base.head, since=base.floor)
        )
        try:
            listing = list_merged(
                self._client, api=self._api, subject=self._subject, branch=branch, floor=base.floor
            )
            if not listing.settled:
                notices.append(
                    self._notice(
                        "merge requests kept changing while listed; the next sync looks again"
                    )
                )
            details = self._details(
                [r for r in listing.requests.values() if not self._known(r, base)]
            )
            commits = commits_read.result()
        except BaseException:
            cancel([commits_read])
            raise
        walk = self._walk(trunk, commits, head=head, base=base, listed=listing, details=details)
        notices.extend(trunk_notices)
        details += self._details(walk.merged)
        changes = [c for d in details if (c := self._request_change(d)) is not None]
        changes += self._push_changes(walk.pushes)
        after = base.advanced(
            head=walk.head,
            etag=etag if walk.head == head else None,
            listed_from=listing.started if listing.settled else None,
            emitted={int(d.request["iid"]): _merged_at(d.request) for d in details},
        )
        return self._batch(changes, after, notices)

    def _walk(
        self,
        trunk: TrunkReader,
        commits: Sequence[Mapping[str, Any]],
        *,
        head: str,
        base: Cursor,
        listed: Listing,
        details: Sequence[_Detail],
    ) -> Walk:
        """The trunk's new commits sorted out: those the listed requests account for are
        skipped, the others looked up (direct pushes, merges being recorded)."""
        owned = {sha for r in listed.requests.values() for sha in owned_shas(r)}
        owned |= {str(c.get("id")) for d in details for c in d.commits}
        # A request found through a commit new on the trunk cannot have been emitted unless
        # `seen` says so, whatever its merge time (it may predate the floor).
        emitting = {int(d.request["iid"]) for d in details} | set(base.seen)
        return trunk.walk(commits, head=head, owned=owned, known=lambda r: r["iid"] in emitting)

    def _known(self, request: Json, base: Cursor) -> bool:
        """Whether a request is not one to emit: not merged into this branch, or emitted before."""
        if request.get("state") != "merged" or request.get("target_branch") != base.branch:
            return True
        return base.is_emitted(int(request["iid"]), _merged_at(request))

    # -- what each change holds ----------------------------------------------------------------

    def _details(self, requests: Sequence[Json]) -> list[_Detail]:
        """Each request's details, all asked for at once on the client's shared workers."""
        return results([self._client.submit(partial(self._detail, r)) for r in requests])

    def _detail(self, request: Json) -> _Detail:
        """Files of a merge request, and its commits when it is kept or was fast-forwarded."""
        api = f"{self._api}/merge_requests/{int(request['iid'])}"
        subject = f"merge request !{request['iid']} of {self._subject}"
        diffs = self._client.get_all(f"{api}/diffs", subject=subject)
        commits: list[Json] = []
        if self._wanted(diffs) or is_fast_forward(request):
            commits = self._client.get_all(f"{api}/commits", subject=subject)
        if self._wanted(diffs):
            self._tally.changes()
        return _Detail(request=request, diffs=diffs, commits=commits)

    def _wanted(self, diffs: Sequence[Json]) -> bool:
        return not self._paths or any(touches(entry, self._paths) for entry in diffs)

    def _files(self, diffs: Sequence[Json]) -> tuple[FileChange, ...]:
        return file_changes(diffs, reading=self._reading)

    def _request_change(self, detail: _Detail) -> Change | None:
        if not self._wanted(detail.diffs):
            return None
        return request_change(
            detail.request,
            source=self._name,
            project=self._project_path(),
            files=self._files(detail.diffs),
            commits=detail.commits,
        )

    def _push_changes(self, pushes: Sequence[Json]) -> list[Change]:
        if not pushes:
            return []
        diffs = results([self._client.submit(partial(self._commit_diff, c)) for c in pushes])
        self._tally.changes(sum(self._wanted(diff) for diff in diffs))
        return [
            push_change(
                commit, source=self._name, project=self._project_path(), files=self._files(diff)
            )
            for commit, diff in zip(pushes, diffs, strict=True)
            if self._wanted(diff)
        ]

    def _commit_diff(self, commit: Json) -> list[Json]:
        sha = str(commit["id"])
        return self._client.get_all(
            f"{self._api}/repository/commits/{encode_segment(sha)}/diff",
            subject=f"commit {sha[:12]} of {self._subject}",
        )

    def _project_path(self) -> str:
        if self._path is None:
            self._project_info()
        return self._path or self._project

    def _notice(self, text: str) -> str:
        return f"GitLab source '{self._name}' ({self._project}): {text}"

    def _batch(
        self, changes: Sequence[Change], state: Cursor | None, notices: list[str]
    ) -> SourceBatch:
        cursor = state.dump() if state is not None else None
        return merge_order(source=self._name, changes=changes, cursor=cursor, notices=notices)


def _merged_at(request: Json) -> datetime:
    merged = merged_time(request)
    if merged is None:
        raise ServiceError(
            f"GitLab listed merge request !{request.get('iid')} as merged without any time."
        )
    return merged
