"""The merged requests of a GitLab branch updated since a time, read whole despite paging."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.adapters.sources.gitlab.client import GitLabClient
from bot.adapters.sources.shared import format_time

MAX_PASSES = 4  # listings in one poll, while the paging keeps shifting
CLOCK_SKEW = timedelta(minutes=1)


@dataclass(slots=True)
class Listing:
    """Merged requests by iid, and the server time the first page was read at.

    `settled` is False when the last pass still shifted: then a request updated during it
    may be missing, and the caller must not move its window past this listing.
    """

    requests: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    started: float | None = None
    settled: bool = False


def list_merged(
    client: GitLabClient, *, api: str, subject: str, branch: str, floor: datetime
) -> Listing:
    """The merged requests into `branch` updated at or after `floor`.

    Offset paging over a list sorted newest update first shifts when a request is updated
    while it is being read: the request jumps to the first page (already read) and pushes one
    already read onto the next page, where it shows up twice. So a duplicate starts another
    pass over what was updated since the previous pass began, which finds the one that
    jumped; passes stop when one reads no duplicate (at most MAX_PASSES).
    """
    listing = Listing()
    after = floor
    for _ in range(MAX_PASSES):
        started, shifted = _one_pass(
            client, api=api, subject=subject, branch=branch, after=after, into=listing.requests
        )
        if listing.started is None:
            listing.started = started
        if not shifted:
            listing.settled = True
            break
        after = datetime.fromtimestamp(started, UTC) - CLOCK_SKEW
    return listing


def _one_pass(
    client: GitLabClient,
    *,
    api: str,
    subject: str,
    branch: str,
    after: datetime,
    into: dict[int, Mapping[str, Any]],
) -> tuple[float, bool]:
    params = {
        "state": "merged",
        "target_branch": branch,
        "updated_after": format_time(after),
        "order_by": "updated_at",
        "sort": "desc",
    }
    started: float | None = None
    read: set[int] = set()
    shifted = False
    for reply in client.pages(
        f"{api}/merge_requests", subject=f"the merge requests of {subject}", params=params
    ):
        if started is None:
            started = reply.server_time or client.now()
        for request in reply.data:
            if isinstance(request, dict) and isinstance(request.get("iid"), int):
                shifted = shifted or request["iid"] in read
                read.add(request["iid"])
                into[request["iid"]] = request
    return (started if started is not None else client.now()), shifted
