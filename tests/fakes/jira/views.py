"""The JSON the fake Jira answers with, shaped as the real Cloud and Data Center servers do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.fakes.jira.state import (
    ISSUE_TYPES,
    LINK_TYPES,
    SPRINT_FIELD,
    Comment,
    Issue,
    JiraState,
    Project,
    RemoteLink,
    Sprint,
)

ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
ALL_FIELDS = (
    "summary",
    "description",
    "labels",
    "project",
    "issuetype",
    "status",
    "issuelinks",
    "created",
    "updated",
    SPRINT_FIELD,
    "comment",
)
_FIELD_NAMES = {
    "summary": "Summary",
    "description": "Description",
    "labels": "Labels",
    "project": "Project",
    "issuetype": "Issue Type",
    "status": "Status",
    "issuelinks": "Linked Issues",
    "created": "Created",
    "updated": "Updated",
    SPRINT_FIELD: "Sprint",
    "comment": "Comment",
}


@dataclass(frozen=True, slots=True)
class Site:
    """Who the fake is: its URL, deployment and the one user its credentials belong to."""

    base_url: str
    cloud: bool
    email: str
    account_id: str = "5b10ac8d82e05b22cc7d4ef5"
    user_name: str = "release-bot"


def jira_time(moment: datetime) -> str:
    """Jira's timestamp form: 2026-11-20T10:00:00.000+0000."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def agile_time(moment: datetime | None) -> str | None:
    """The agile API's form: 2026-11-20T10:00:00.000Z."""
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def server_info(site: Site, *, now: datetime) -> dict[str, Any]:
    info: dict[str, Any] = {
        "baseUrl": site.base_url,
        "buildDate": "2025-11-03T00:00:00.000+0000",
        "serverTime": jira_time(now),
        "scmInfo": "57a0ca5b4a0bb0ac5f3fee4764acb1c14e4d7e71",
        "serverTitle": "Jira",
    }
    if site.cloud:
        info |= {"version": "1001.0.0-SNAPSHOT", "versionNumbers": [1001, 0, 0]}
        info |= {"deploymentType": "Cloud", "buildNumber": 100290}
    else:
        info |= {"version": "9.12.15", "versionNumbers": [9, 12, 15]}
        info |= {"deploymentType": "Server", "buildNumber": 9120015}
    return info


def user(site: Site, version: str) -> dict[str, Any]:
    common = {"displayName": "Release Bot", "active": True, "timeZone": "Etc/UTC"}
    if site.cloud:
        return {
            "self": f"{site.base_url}/rest/api/{version}/user?accountId={site.account_id}",
            "accountId": site.account_id,
            "accountType": "atlassian",
            "emailAddress": site.email,
            **common,
        }
    return {
        "self": f"{site.base_url}/rest/api/2/user?username={site.user_name}",
        "key": "JIRAUSER10100",
        "name": site.user_name,
        "emailAddress": site.email,
        **common,
    }


def fields_list() -> list[dict[str, Any]]:
    out = []
    for field_id, name in _FIELD_NAMES.items():
        custom = field_id.startswith("customfield_")
        out.append(
            {
                "id": field_id,
                "key": field_id,
                "name": name,
                "custom": custom,
                "orderable": True,
                "navigable": field_id != "comment",
                "searchable": True,
                "clauseNames": ["sprint", "cf[10020]"] if custom else [field_id],
            }
        )
    return out


def link_type(type_id: str, site: Site) -> dict[str, Any]:
    entry = next(t for t in LINK_TYPES if t[0] == type_id)
    return {
        "id": entry[0],
        "name": entry[1],
        "inward": entry[2],
        "outward": entry[3],
        "self": f"{site.base_url}/rest/api/2/issueLinkType/{entry[0]}",
    }


def sprint(item: Sprint, site: Site) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "self": f"{site.base_url}/rest/agile/1.0/sprint/{item.id}",
        "state": item.state,
        "name": item.name,
        "originBoardId": item.board_id,
        "goal": item.goal,
    }
    for key, moment in (("startDate", item.start), ("endDate", item.end)):
        if moment is not None:
            out[key] = agile_time(moment)
    if item.state == "closed" and item.end is not None:
        out["completeDate"] = agile_time(item.end)
    return out


def _sprint_field(item: Sprint) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "state": item.state,
        "boardId": item.board_id,
        "goal": item.goal,
    }
    out |= {k: agile_time(v) for k, v in (("startDate", item.start), ("endDate", item.end)) if v}
    return out


def _linked(issue: Issue, site: Site) -> dict[str, Any]:
    return {
        "id": issue.id,
        "key": issue.key,
        "self": f"{site.base_url}/rest/api/2/issue/{issue.id}",
        "fields": {"summary": issue.summary, "status": {"name": issue.status}},
    }


def issue_links(issue: Issue, state: JiraState, site: Site) -> list[dict[str, Any]]:
    out = []
    for link in state.issue_links:
        if issue.key not in (link.inward_key, link.outward_key):
            continue
        entry = {
            "id": link.id,
            "self": f"{site.base_url}/rest/api/2/issueLink/{link.id}",
            "type": link_type(link.type_id, site),
        }
        # The issue named as inwardIssue when linking sees the other as its outward issue.
        if link.inward_key == issue.key:
            entry["outwardIssue"] = _linked(state.issues[link.outward_key], site)
        else:
            entry["inwardIssue"] = _linked(state.issues[link.inward_key], site)
        out.append(entry)
    return out


def comment(item: Comment, *, issue: Issue, site: Site, version: str) -> dict[str, Any]:
    author = user(site, version)
    return {
        "self": f"{site.base_url}/rest/api/{version}/issue/{issue.id}/comment/{item.id}",
        "id": item.id,
        "author": author,
        "updateAuthor": author,
        "body": item.body.render(version),
        "created": jira_time(item.created),
        "updated": jira_time(item.updated),
        "jsdPublic": True,
    }


def remote_link(item: RemoteLink, *, issue: Issue, site: Site, version: str) -> dict[str, Any]:
    # What was last sent, and only that: a field an upsert left out is gone (null).
    out: dict[str, Any] = {
        "id": item.id,
        "self": f"{site.base_url}/rest/api/{version}/issue/{issue.key}/remotelink/{item.id}",
    }
    if item.global_id is not None:
        out["globalId"] = item.global_id
    for key in ("application", "relationship", "object"):
        if item.request.get(key) is not None:
            out[key] = item.request[key]
    return out


def project(item: Project, *, site: Site, version: str) -> dict[str, Any]:
    return {
        "self": f"{site.base_url}/rest/api/{version}/project/{item.id}",
        "id": item.id,
        "key": item.key,
        "name": item.name,
        "projectTypeKey": "software",
        "simplified": False,
        "isPrivate": False,
    }


def _field_value(name: str, issue: Issue, state: JiraState, site: Site, version: str) -> Any:
    base = site.base_url
    values: dict[str, Any] = {
        "summary": lambda: issue.summary,
        "description": lambda: (
            None if issue.description is None else issue.description.render(version)
        ),
        "labels": lambda: list(issue.labels),
        "project": lambda: project(state.projects[issue.project_key], site=site, version=version),
        "issuetype": lambda: {
            "self": f"{base}/rest/api/{version}/issuetype/{ISSUE_TYPES[issue.issue_type]}",
            "id": ISSUE_TYPES[issue.issue_type],
            "name": issue.issue_type,
            "subtask": False,
        },
        "status": lambda: {"name": issue.status, "id": "10000"},
        "issuelinks": lambda: issue_links(issue, state, site),
        "created": lambda: jira_time(issue.created),
        "updated": lambda: jira_time(issue.updated),
        SPRINT_FIELD: lambda: [_sprint_field(state.sprints[s]) for s in issue.sprint_ids] or None,
        "comment": lambda: {
            "comments": [
                comment(c, issue=issue, site=site, version=version) for c in issue.comments
            ],
            "maxResults": len(issue.comments),
            "total": len(issue.comments),
            "startAt": 0,
        },
    }
    return values[name]()


def wanted_fields(requested: list[str] | None, *, default: str) -> list[str]:
    """Which fields a `fields` parameter asks for (`*all`, `*navigable`, names, `-name`)."""
    names = requested if requested else [default]
    chosen: list[str] = []
    for name in names:
        if name == "*all":
            chosen.extend(ALL_FIELDS)
        elif name == "*navigable":
            chosen.extend(f for f in ALL_FIELDS if f != "comment")
        elif name in ALL_FIELDS:
            chosen.append(name)
    excluded = {n[1:] for n in names if n.startswith("-")}
    return [f for f in dict.fromkeys(chosen) if f not in excluded]


def issue(
    item: Issue, *, state: JiraState, site: Site, version: str, fields: list[str]
) -> dict[str, Any]:
    return {
        "expand": ISSUE_EXPAND,
        "id": item.id,
        "self": f"{site.base_url}/rest/api/{version}/issue/{item.id}",
        "key": item.key,
        "fields": {name: _field_value(name, item, state, site, version) for name in fields},
    }


@dataclass(slots=True)
class Context:
    """What every route handler works on: the state, who the fake is, and its search behaviour."""

    state: JiraState
    site: Site
    search_lag: int
    cursors: dict[str, list[str]]
