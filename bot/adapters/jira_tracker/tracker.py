"""JiraTracker: the IssueTracker port on Jira Cloud or Data Center, one request per write.

Rich text (comments, descriptions) goes through API v3 as ADF on Cloud and API v2 as escaped wiki
markup on Data Center; everything else uses API v2, which both deployments serve alike. Which
paths are taken follows serverInfo (only `"deploymentType": "Cloud"` is Cloud). Search is used
only to find a ticket: on Cloud it is `/search/jql`, paged by `nextPageToken` and not
read-after-write, so a ticket just created is read directly by its key (`get_ticket`).
Every text is cut to Jira's limits before it is sent (untrusted text only, with a closing note
in a cut comment), so an over-long title never makes a write fail.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from bot.adapters.jira_tracker.adf import adf_plain_text, to_adf
from bot.adapters.jira_tracker.client import Deployment, JiraClient, Scope, path_segment
from bot.adapters.jira_tracker.records import (
    comment_from,
    linked_keys,
    remote_link_body,
    remote_links_by_global_id,
    sprint_from,
)
from bot.adapters.jira_tracker.wiki import to_wiki, wiki_plain_text
from bot.domain.bounds import bound_document, cut_text, utf16_length
from bot.domain.document import Document
from bot.domain.model import Sprint
from bot.ports.tracker import RemoteLink, Ticket, TrackerComment

_V2 = "/rest/api/2"
_V3 = "/rest/api/3"
_AGILE = "/rest/agile/1.0"
_SPRINT_BATCH = 50  # Jira adds at most 50 issues to a sprint per request
_PAGE = 100
_SEARCH_FIELDS = "summary"  # Cloud search returns bare ids unless fields are named
# Jira's text limits, in UTF-16 units (Java strings): a comment or description, a summary.
TEXT_LIMIT = 32_767
SUMMARY_LIMIT = 255

log = logging.getLogger(__name__)


class JiraTracker:
    """Jira as the Release Train ticket's home; see the module docstring for the API choices."""

    def __init__(
        self,
        *,
        url: str,
        deployment: Deployment,
        email: str | None,
        token: str,
        timeout: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
        retry_budget: float = 120.0,
    ) -> None:
        self._client = JiraClient(
            url=url,
            deployment=deployment,
            email=email,
            token=token,
            timeout=timeout,
            sleep=sleep,
            retry_budget=retry_budget,
        )

    def server_check(self) -> str:
        """E.g. "Jira Cloud 1001.0.0 as release-bot@acme.com" (myself proves the credentials)."""
        info = self._client.get(f"{_V2}/serverInfo", scope=Scope())
        me = self._client.get(f"{_V2}/myself", scope=Scope())
        # Data Center reports "deploymentType": "Server"; only "Cloud" means Cloud.
        kind = "Cloud" if info.get("deploymentType") == "Cloud" else "Data Center"
        who = next(
            (me[k] for k in ("emailAddress", "name", "displayName", "accountId") if me.get(k)),
            "an unnamed account",
        )
        return f"Jira {kind} {info.get('version', '(unknown version)')} as {who}"

    def board_sprints(self, *, board_id: int, states: Sequence[str]) -> list[Sprint]:
        """The board's sprints in `states`; sprints without both dates are left out (see
        `records.sprint_from`)."""
        path = f"{_AGILE}/board/{path_segment(board_id)}/sprint"
        scope = Scope(subject=f"board {board_id}")
        params: dict[str, Any] = {"maxResults": 50}
        if states:
            params["state"] = ",".join(states)
        sprints: list[Sprint] = []
        start = 0
        while True:
            page = self._client.get(path, params={**params, "startAt": start}, scope=scope)
            values = page.get("values") or []
            sprints.extend(s for s in map(sprint_from, values) if s is not None)
            start += len(values)
            if page.get("isLast", True) or not values:
                return sprints

    def search_tickets(self, *, jql: str, limit: int) -> list[Ticket]:
        if limit <= 0:
            return []
        if self._client.is_cloud:
            return self._search_cloud(jql, limit)
        return self._search_datacenter(jql, limit)

    def _search_cloud(self, jql: str, limit: int) -> list[Ticket]:
        # /search/jql is Cloud's only search; the old /search answers 410 Gone there.
        tickets: list[Ticket] = []
        token: str | None = None
        while len(tickets) < limit:
            params: dict[str, Any] = {
                "jql": jql,
                "fields": _SEARCH_FIELDS,
                "maxResults": min(limit - len(tickets), _PAGE),
            }
            if token:
                params["nextPageToken"] = token
            page = self._client.get(f"{_V3}/search/jql", params=params, scope=Scope())
            tickets.extend(self._ticket(issue) for issue in page.get("issues") or [])
            token = page.get("nextPageToken")
            if not token or page.get("isLast") or not page.get("issues"):
                break
        return tickets[:limit]

    def _search_datacenter(self, jql: str, limit: int) -> list[Ticket]:
        tickets: list[Ticket] = []
        while len(tickets) < limit:
            params = {
                "jql": jql,
                "fields": _SEARCH_FIELDS,
                "startAt": len(tickets),
                "maxResults": min(limit - len(tickets), _PAGE),
            }
            page = self._client.get(f"{_V2}/search", params=params, scope=Scope())
            issues = page.get("issues") or []
            tickets.extend(self._ticket(issue) for issue in issues)
            if not issues or len(tickets) >= int(page.get("total", 0)):
                break
        return tickets[:limit]

    def get_ticket(self, *, key: str) -> Ticket:
        """Read directly by key (read-after-write, unlike Cloud search)."""
        issue = self._client.get(
            f"{_V2}/issue/{path_segment(key)}",
            params={"fields": "summary"},
            scope=_ticket_scope(key),
        )
        return self._ticket(issue)

    def create_ticket(
        self,
        *,
        project: str,
        issue_type: str,
        summary: str,
        labels: Sequence[str],
        description: Document | None,
    ) -> Ticket:
        fields: dict[str, Any] = {
            "project": {"key": project},
            "issuetype": {"name": issue_type},
            # Jira refuses line breaks in a summary, and more than 255 UTF-16 units.
            "summary": cut_text(" ".join(summary.split()), SUMMARY_LIMIT, measure=utf16_length),
            "labels": list(labels),
        }
        if description is not None:
            fields["description"] = self._body(description)
        created = self._client.post(
            f"{self._rich_api}/issue",
            body={"fields": fields},
            scope=Scope(subject=f"project {project} (or issue type {issue_type!r})"),
        )
        return self._ticket(created)

    def add_to_sprint(self, *, sprint_id: str, keys: Sequence[str]) -> None:
        path = f"{_AGILE}/sprint/{path_segment(sprint_id)}/issue"
        for first in range(0, len(keys), _SPRINT_BATCH):
            batch = list(keys[first : first + _SPRINT_BATCH])
            self._client.post(
                path, body={"issues": batch}, scope=Scope(subject=f"sprint {sprint_id}")
            )

    def remote_links(self, *, key: str) -> dict[str, RemoteLink]:
        path = f"{_V2}/issue/{path_segment(key)}/remotelink"
        return remote_links_by_global_id(self._client.get(path, scope=_ticket_scope(key)))

    def put_remote_link(self, *, key: str, link: RemoteLink) -> None:
        # A direct POST: the library's add_remote_link first reads the application links.
        path = f"{_V2}/issue/{path_segment(key)}/remotelink"
        self._client.post(path, body=remote_link_body(link), scope=_ticket_scope(key))

    def linked_issue_keys(self, *, key: str) -> set[str]:
        issue = self._client.get(
            f"{_V2}/issue/{path_segment(key)}",
            params={"fields": "issuelinks"},
            scope=_ticket_scope(key),
        )
        return linked_keys(issue)

    def link_issues(self, *, key: str, other: str, link_type: str) -> None:
        # A direct POST: the library's create_issue_link first downloads every link type.
        body = {
            "type": {"name": link_type},
            "inwardIssue": {"key": key},
            "outwardIssue": {"key": other},
        }
        scope = Scope(subject=f"ticket {key} or ticket {other}", ticket=True)
        self._client.post(f"{_V2}/issueLink", body=body, scope=scope)

    def comments(self, *, key: str) -> list[TrackerComment]:
        path = f"{self._rich_api}/issue/{path_segment(key)}/comment"
        found: list[TrackerComment] = []
        while True:
            params = {"startAt": len(found), "maxResults": _PAGE, "orderBy": "created"}
            page = self._client.get(path, params=params, scope=_ticket_scope(key))
            batch = page.get("comments") or []
            found.extend(comment_from(raw, text=_plain_text) for raw in batch)
            if not batch or len(found) >= int(page.get("total", len(found))):
                return found

    def add_comment(self, *, key: str, body: Document) -> TrackerComment:
        path = f"{self._rich_api}/issue/{path_segment(key)}/comment"
        created = self._client.post(path, body={"body": self._body(body)}, scope=_ticket_scope(key))
        return comment_from(created, text=_plain_text)

    def update_comment(self, *, key: str, comment_id: str, body: Document) -> None:
        path = f"{self._rich_api}/issue/{path_segment(key)}/comment/{path_segment(comment_id)}"
        scope = Scope(subject=f"comment {comment_id} on ticket {key}", ticket=True)
        self._client.put(path, body={"body": self._body(body)}, scope=scope)

    def add_label(self, *, key: str, label: str) -> None:
        body = {"update": {"labels": [{"add": label}]}}
        self._client.put(f"{_V2}/issue/{path_segment(key)}", body=body, scope=_ticket_scope(key))

    def close(self) -> None:
        self._client.close()

    @property
    def _rich_api(self) -> str:
        """Where bodies are written: v3 (ADF) on Cloud, v2 (wiki markup) elsewhere."""
        return _V3 if self._client.is_cloud else _V2

    def _body(self, document: Document) -> Any:
        """The document rendered for this deployment, cut to fit Jira's text limit."""
        bounded = bound_document(
            document,
            limit=TEXT_LIMIT,
            size=self._size,
            what=f"Jira's {TEXT_LIMIT:,}-character limit",
        )
        if bounded.cut:
            log.warning(
                "a text for Jira was shortened to fit its limit: %d text(s) cut, "
                "%d list item(s) left out",
                bounded.cut_texts,
                bounded.left_out_items,
            )
        return self._render(bounded.document)

    def _render(self, document: Document) -> Any:
        return to_adf(document) if self._client.is_cloud else to_wiki(document)

    def _size(self, document: Document) -> int:
        rendered = self._render(document)
        if not isinstance(rendered, str):
            # An ADF body is measured as its compact JSON: never less than Jira counts.
            rendered = json.dumps(rendered, ensure_ascii=False, separators=(",", ":"))
        return utf16_length(rendered)

    def _ticket(self, issue: Any) -> Ticket:
        key = str(issue["key"])
        url = f"{self._client.base_url}/browse/{path_segment(key)}"
        return Ticket(key=key, url=url, id=str(issue["id"]) if issue.get("id") else None)


def _ticket_scope(key: str) -> Scope:
    return Scope(subject=f"ticket {key}", ticket=True)


def _plain_text(body: object) -> str:
    """A comment body as plain text: a wiki-markup string (Data Center) or an ADF document."""
    if isinstance(body, str):
        return wiki_plain_text(body)
    return adf_plain_text(body)
