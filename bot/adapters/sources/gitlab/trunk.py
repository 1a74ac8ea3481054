"""A GitLab branch's first-parent commits since a cursor, and which of them are direct pushes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.adapters.sources.gitlab.changes import time_or_none
from bot.adapters.sources.gitlab.client import GitLabClient, NotFoundError, encode_segment
from bot.adapters.sources.shared import format_time

# A trunk commit whose merge request is still open or locked is a merge being recorded right
# now; after this long it is taken for what it looks like, a direct push.
IN_FLIGHT_LIMIT = timedelta(minutes=30)

# The last line of GitLab's default merge commit message.
_MERGE_REQUEST_LINE = re.compile(
    r"^See merge request (?P<path>[\w./-]+)!(?P<iid>\d{1,9})\s*$", re.M
)

Known = Callable[[Mapping[str, Any]], bool]


@dataclass(slots=True)
class Walk:
    """What the trunk's new commits turned out to be."""

    head: str | None  # where the next poll's range starts
    pushes: list[Mapping[str, Any]] = field(default_factory=list)  # oldest first
    merged: list[Mapping[str, Any]] = field(default_factory=list)  # found through a commit


class TrunkReader:
    """Reads one branch's new first-parent commits and sorts out the direct pushes."""

    def __init__(
        self,
        client: GitLabClient,
        *,
        api: str,
        path: str,
        subject: str,
        branch: str,
        notices: list[str],
    ) -> None:
        self._client = client
        self._path = path
        self._api = api
        self._subject = subject
        self._branch = branch
        self._notices = notices

    def commits(self, *, head: str, old: str | None, since: datetime) -> list[Mapping[str, Any]]:
        """The first-parent commits after `old` up to `head`, oldest first.

        Without `old`, or when `old` is no longer on the branch (a force-push), the commits
        committed since `since`; recorded changes may then come again (the store keeps one).
        """
        path = f"{self._api}/repository/commits"
        subject = f"the commits of branch '{self._branch}' of {self._subject}"
        if old is not None:
            try:
                listed = self._client.get_all(
                    path,
                    subject=subject,
                    params={"ref_name": f"{old}..{head}", "first_parent": "true"},
                )
            except NotFoundError:
                listed = []
            if listed and _parents(listed[-1])[:1] == [old]:
                return list(reversed(listed))
            self._notices.append(
                f"the branch '{self._branch}' of {self._subject} was rewritten (force-push): "
                f"commit {old[:12]} is no longer on it; rescanned the commits since "
                f"{since.isoformat()}, so a change recorded before may appear again"
            )
        listed = self._client.get_all(
            path,
            subject=subject,
            params={"ref_name": head, "since": format_time(since), "first_parent": "true"},
        )
        return list(reversed(listed))

    def walk(
        self,
        commits: Sequence[Mapping[str, Any]],
        *,
        head: str,
        owned: set[str],
        known: Known,
    ) -> Walk:
        """Sort the commits into direct pushes and merge requests' commits.

        A commit in `owned` belongs to a merge request already listed. Any other is looked up:
        a merged request into the branch owns it (and is returned when `known` has not seen
        it); an open or locked one means GitLab is recording that merge right now, so the
        walk stops before it and the next poll starts there; otherwise it is a direct push.
        """
        walk = Walk(head=head)
        found: dict[int, Mapping[str, Any]] = {}
        for commit in commits:
            sha = str(commit.get("id"))
            if sha in owned:
                continue
            verdict, request = self._owner(commit)
            if verdict == "merged" and request is not None:
                if not known(request):
                    found.setdefault(int(request["iid"]), request)
                continue
            if verdict == "in-flight":
                parents = _parents(commit)
                walk.head = parents[0] if parents else None
                break
            walk.pushes.append(commit)
        walk.merged = list(found.values())
        return walk

    def _owner(self, commit: Mapping[str, Any]) -> tuple[str, Mapping[str, Any] | None]:
        """`merged` (with the request), `in-flight` or `push`, from one request.

        A merge commit names its request (`See merge request group/project!12`): while GitLab
        is still recording the merge, the request does not name the commit yet, so it is read
        by its iid. Any other commit is looked up among the requests that contain it.
        """
        sha = str(commit.get("id"))
        iid = self._named_request(str(commit.get("message") or ""))
        if iid is not None:
            data: Any = [
                self._client.get(
                    f"{self._api}/merge_requests/{iid}",
                    subject=f"merge request !{iid} of {self._subject}",
                ).data
            ]
        else:
            data = self._client.get(
                f"{self._api}/repository/commits/{encode_segment(sha)}/merge_requests",
                subject=f"the merge requests of commit {sha[:12]} of {self._subject}",
            ).data
        mine = [
            r
            for r in (data if isinstance(data, list) else [])
            if isinstance(r, dict) and r.get("target_branch") == self._branch
        ]
        for request in mine:
            if request.get("state") == "merged":
                return "merged", request
        if any(r.get("state") in ("opened", "locked") for r in mine) and self._recent(commit):
            return "in-flight", None
        return "push", None

    def _named_request(self, message: str) -> int | None:
        found = [
            int(m["iid"])
            for m in _MERGE_REQUEST_LINE.finditer(message)
            if m["path"].lower() == self._path.lower()
        ]
        return found[-1] if found else None

    def _recent(self, commit: Mapping[str, Any]) -> bool:
        committed = time_or_none(commit.get("committed_date"))
        if committed is None:
            return False
        return committed.timestamp() >= self._client.now() - IN_FLIGHT_LIMIT.total_seconds()


def _parents(commit: Mapping[str, Any]) -> list[str]:
    parents = commit.get("parent_ids")
    return [str(p) for p in parents] if isinstance(parents, list) else []
