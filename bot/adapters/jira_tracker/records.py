"""Jira's JSON translated to the port's dataclasses (and remote links back to JSON)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.domain.model import Sprint
from bot.ports.tracker import RemoteLink, TrackerComment


def remote_link_body(link: RemoteLink) -> dict[str, Any]:
    """The full upsert request for `link`; a field left out (None) becomes null in Jira."""
    remote: dict[str, Any] = {"url": link.url, "title": link.title}
    if link.summary is not None:
        remote["summary"] = link.summary
    if link.icon_url is not None:
        remote["icon"] = {"url16x16": link.icon_url}
    if link.resolved is not None:
        remote["status"] = {"resolved": link.resolved}
    return {"globalId": link.global_id, "object": remote}


def remote_links_by_global_id(raw_links: object) -> dict[str, RemoteLink]:
    """Every remote link that has a globalId, read back in the shape `remote_link_body` sends."""
    links: dict[str, RemoteLink] = {}
    for raw in raw_links if isinstance(raw_links, list) else []:
        global_id = raw.get("globalId")
        remote = raw.get("object") or {}
        if not global_id:
            continue
        links[global_id] = RemoteLink(
            global_id=global_id,
            url=remote.get("url") or "",
            title=remote.get("title") or "",
            summary=remote.get("summary"),
            icon_url=(remote.get("icon") or {}).get("url16x16"),
            resolved=(remote.get("status") or {}).get("resolved"),
        )
    return links


def linked_keys(issue: Mapping[str, Any]) -> set[str]:
    """The keys of the issues linked to `issue` (either direction), from its issuelinks."""
    keys: set[str] = set()
    for link in (issue.get("fields") or {}).get("issuelinks") or []:
        for side in ("inwardIssue", "outwardIssue"):
            other = link.get(side)
            if other and other.get("key"):
                keys.add(str(other["key"]))
    return keys


def comment_from(raw: Mapping[str, Any], *, text: Callable[[object], str]) -> TrackerComment:
    return TrackerComment(id=str(raw["id"]), text=text(raw.get("body")))


def sprint_from(raw: Mapping[str, Any]) -> Sprint | None:
    """The sprint's window in UTC, or None when it has no start or end date yet.

    A future sprint often has no dates; it holds no merge until it is planned, so it is left out
    rather than given an invented window. A closed sprint ends when it was completed (when Jira
    records it), since that is when the next one could begin; otherwise at its planned end.
    """
    start = _instant(raw.get("startDate"))
    end = _instant(raw.get("endDate"))
    if raw.get("state") == "closed":
        end = _instant(raw.get("completeDate")) or end
    if start is None or end is None or end <= start:
        return None
    return Sprint(
        name=str(raw.get("name") or raw["id"]),
        start=start,
        end=end,
        id=str(raw["id"]),
        state=raw.get("state"),
    )


def _instant(value: object) -> datetime | None:
    """An ISO 8601 time from Jira as aware UTC (Jira writes both `Z` and `+0200` offsets)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
