"""The fake Jira's search: Cloud's token-paged, eventually consistent search/jql; DC's search."""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable
from typing import Any

from tests.fakes.jira import views
from tests.fakes.jira.http import Call, Reply, Route
from tests.fakes.jira.jql import JqlError, Query, matches, parse
from tests.fakes.jira.routes_issues import API
from tests.fakes.jira.state import ApiError, Issue, JiraState
from tests.fakes.jira.views import Context

_PAGE = 50
_LARGEST_PAGE = 100
_REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at "
    "https://developer.atlassian.com/changelog/#CHANGE-2046"
)


def _by_key(issue: Issue) -> tuple[str, int]:
    return issue.project_key, int(issue.key.rsplit("-", 1)[1])


_SORT_KEYS: dict[str, Callable[[Issue], Any]] = {
    "key": _by_key,
    "issuekey": _by_key,
    "id": lambda i: int(i.id),
    "created": lambda i: (i.created, int(i.id)),
    "updated": lambda i: (i.updated, int(i.id)),
}


def _values(issue: Issue, state: JiraState, field: str) -> list[str]:
    project = state.projects[issue.project_key]
    sprints = [state.sprints[s] for s in issue.sprint_ids]
    by_field = {
        "project": [project.key, project.id, project.name],
        "labels": issue.labels,
        "sprint": [str(s.id) for s in sprints] + [s.name for s in sprints],
        "key": [issue.key, issue.id],
        "issuekey": [issue.key, issue.id],
        "id": [issue.id],
        "issuetype": [issue.issue_type],
        "type": [issue.issue_type],
        "status": [issue.status],
    }
    return by_field[field]


def _functions(state: JiraState) -> dict[str, list[str]]:
    def ids(*states: str) -> list[str]:
        return [str(s.id) for s in state.sprints.values() if s.state in states]

    return {
        "opensprints()": ids("active", "future"),
        "closedsprints()": ids("closed"),
        "futuresprints()": ids("future"),
    }


def run_query(state: JiraState, jql: str, *, searchable: set[str] | None = None) -> list[Issue]:
    """The visible issues matching `jql`, ordered; `searchable` limits them to indexed ids."""
    try:
        query: Query = parse(jql)
        functions = _functions(state)
        found = [
            issue
            for issue in state.issues.values()
            if not issue.hidden
            and (searchable is None or issue.id in searchable)
            and matches(
                query.where, values=functools.partial(_values, issue, state), functions=functions
            )
        ]
        for field, descending in reversed(query.order):
            if field not in _SORT_KEYS:
                raise JqlError(f"Not able to sort using field '{field}'.")
            found.sort(key=_SORT_KEYS[field], reverse=descending)
    except JqlError as error:
        raise ApiError(400, str(error)) from error
    if not query.order:
        found.sort(key=_SORT_KEYS["id"])
    return found


def _arguments(call: Call) -> dict[str, Any]:
    """Search arguments from the query string (GET) or the JSON body (POST), as lists."""
    if call.method == "POST":
        body = call.body if isinstance(call.body, dict) else {}
        out = {k: v for k, v in body.items() if v is not None}
        for name in ("fields", "reconcileIssues"):
            value = out.get(name)
            out[name] = value.split(",") if isinstance(value, str) else list(value or [])
        return out
    return {
        "jql": call.param("jql") or "",
        "nextPageToken": call.param("nextPageToken"),
        "maxResults": call.param("maxResults"),
        "startAt": call.param("startAt"),
        "fields": call.params("fields"),
        "reconcileIssues": call.params("reconcileIssues"),
    }


def _page_size(value: Any) -> int:
    try:
        size = _PAGE if value is None else int(value)
    except ValueError as error:
        raise ApiError(400, "maxResults must be a number.") from error
    return max(1, min(size, _LARGEST_PAGE))


def _render(ctx: Context, issue: Issue, version: str, requested: list[str], default: str) -> Any:
    fields = views.wanted_fields(requested, default=default)
    if not fields and set(requested) <= {"id", ""}:
        return {"id": issue.id}
    return views.issue(issue, state=ctx.state, site=ctx.site, version=version, fields=fields)


def _new_search(ctx: Context, args: dict[str, Any]) -> list[str]:
    jql = str(args.get("jql") or "")
    if parse_where_is_empty(jql):
        raise ApiError(
            400,
            "Unbounded JQL queries are not allowed here. "
            "Please add a search restriction to your query.",
        )
    reconcile = {str(i) for i in args.get("reconcileIssues", [])}
    state = ctx.state
    searchable = {i.id for i in state.issues.values() if i.unindexed_searches == 0} | reconcile
    found = [i.id for i in run_query(state, jql, searchable=searchable)]
    for issue in state.issues.values():
        issue.unindexed_searches = max(0, issue.unindexed_searches - 1)
    return found


def parse_where_is_empty(jql: str) -> bool:
    try:
        return parse(jql).where is None
    except JqlError as error:
        raise ApiError(400, str(error)) from error


def routes(ctx: Context) -> list[Route]:
    def search_jql(call: Call) -> Reply:
        args = _arguments(call)
        token = args.get("nextPageToken")
        if token:
            if token not in ctx.cursors:
                raise ApiError(400, "The provided next page token is invalid or expired.")
            remaining = ctx.cursors.pop(token)
        else:
            remaining = _new_search(ctx, args)
        size = _page_size(args.get("maxResults"))
        page, rest = remaining[:size], remaining[size:]
        issues = [i for i in map(ctx.state.issues_by_id, page) if i is not None]
        body: dict[str, Any] = {
            "issues": [_render(ctx, i, call.version, args["fields"], "id") for i in issues],
            "isLast": not rest,
        }
        if rest:
            body["nextPageToken"] = secrets.token_urlsafe(16)
            ctx.cursors[body["nextPageToken"]] = rest
        return Reply(200, body)

    def search_removed(call: Call) -> Reply:
        raise ApiError(410, _REMOVED)

    def search_offset(call: Call) -> Reply:
        args = _arguments(call)
        found = run_query(ctx.state, str(args.get("jql") or ""))
        start, size = int(args.get("startAt") or 0), _page_size(args.get("maxResults"))
        issues = [_render(ctx, i, "2", args["fields"], "*navigable") for i in found[start:][:size]]
        body = {"expand": "schema,names", "startAt": start, "maxResults": size}
        return Reply(200, body | {"total": len(found), "issues": issues})

    jql = re.compile(API + r"/search/jql")
    old = re.compile(API + r"/search")
    if ctx.site.cloud:
        return [
            ("GET", jql, search_jql),
            ("POST", jql, search_jql),
            ("GET", old, search_removed),
            ("POST", old, search_removed),
        ]
    return [("GET", old, search_offset), ("POST", old, search_offset)]
