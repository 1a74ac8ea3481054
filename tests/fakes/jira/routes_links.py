"""The fake Jira's endpoints hung on an issue: comments, remote links and issue links."""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.jira import views
from tests.fakes.jira.http import Call, Reply, Route
from tests.fakes.jira.routes_issues import API, SUMMARY_LIMIT, java_length, rich_text
from tests.fakes.jira.state import LINK_TYPES, ApiError, Comment, Issue, IssueLink, RemoteLink, now
from tests.fakes.jira.views import Context

_COMMENT_PAGE = 5000  # Cloud's default and largest page of comments


def _comment_body(call: Call) -> Any:
    body = call.body if isinstance(call.body, dict) else {}
    value = body.get("body")
    if value is None or value == "":
        raise ApiError(400, errors={"comment": "Comment body can not be empty!"})
    try:
        return rich_text(call.version, value, name="comment")
    except ApiError as error:
        if "too long" in error.errors.get("comment", ""):
            raise
        raise ApiError(400, errors={"comment": "Comment body is not valid!"}) from error


def _find_comment(issue: Issue, comment_id: str) -> Comment:
    for comment in issue.comments:
        if comment.id == comment_id:
            return comment
    raise ApiError(404, f"Can not find a comment for the id: {comment_id}.")


def _remote_link_request(call: Call) -> dict[str, Any]:
    body = call.body if isinstance(call.body, dict) else {}
    target = body.get("object")
    errors = {}
    if not isinstance(target, dict) or not target.get("url"):
        errors["url"] = "'url' is required"
    if not isinstance(target, dict) or not target.get("title"):
        errors["title"] = "'title' is required"
    elif java_length(str(target["title"])) > SUMMARY_LIMIT:
        errors["title"] = f"'title' must be at most {SUMMARY_LIMIT} characters"
    if errors:
        raise ApiError(400, errors=errors)
    return body


def comment_routes(ctx: Context) -> list[Route]:
    state, site = ctx.state, ctx.site

    def comment_view(issue: Issue, comment: Comment, version: str) -> dict[str, Any]:
        return views.comment(comment, issue=issue, site=site, version=version)

    def list_comments(call: Call) -> Reply:
        issue = state.find_issue(call.args[0])
        start = int(call.param("startAt") or 0)
        size = min(int(call.param("maxResults") or _COMMENT_PAGE), _COMMENT_PAGE)
        page = issue.comments[start : start + size]
        body = {
            "startAt": start,
            "maxResults": size,
            "total": len(issue.comments),
            "comments": [comment_view(issue, c, call.version) for c in page],
        }
        return Reply(200, body)

    def add_comment(call: Call) -> Reply:
        issue = state.find_issue(call.args[0])
        moment = now()
        comment = Comment(str(state.next_id()), _comment_body(call), moment, moment)
        issue.comments.append(comment)
        issue.history.append(f"comment:{comment.id}")
        return Reply(201, comment_view(issue, comment, call.version))

    def get_comment(call: Call) -> Reply:
        issue = state.find_issue(call.args[0])
        return Reply(200, comment_view(issue, _find_comment(issue, call.args[1]), call.version))

    def edit_comment(call: Call) -> Reply:
        issue = state.find_issue(call.args[0])
        comment = _find_comment(issue, call.args[1])
        comment.body, comment.updated = _comment_body(call), now()
        issue.history.append(f"comment:{comment.id}")
        return Reply(200, comment_view(issue, comment, call.version))

    comments = API + r"/issue/(?P<key>[^/]+)/comment"
    return [
        ("GET", re.compile(comments), list_comments),
        ("POST", re.compile(comments), add_comment),
        ("GET", re.compile(comments + r"/(?P<id>[^/]+)"), get_comment),
        ("PUT", re.compile(comments + r"/(?P<id>[^/]+)"), edit_comment),
    ]


def _find_link(issue: Issue, *, link_id: str | None, global_id: str | None) -> RemoteLink | None:
    for link in issue.remote_links:
        if str(link.id) == link_id or (global_id is not None and link.global_id == global_id):
            return link
    return None


def remote_link_routes(ctx: Context) -> list[Route]:
    state, site = ctx.state, ctx.site

    def view(issue: Issue, link: RemoteLink, version: str) -> dict[str, Any]:
        return views.remote_link(link, issue=issue, site=site, version=version)

    def list_links(call: Call) -> Reply:
        issue = state.find_issue(call.args[0])
        global_id = call.param("globalId")
        if global_id is None:
            return Reply(200, [view(issue, link, call.version) for link in issue.remote_links])
        link = _find_link(issue, link_id=None, global_id=global_id)
        if link is None:
            raise ApiError(404, f"No remote link with globalId {global_id} found.")
        return Reply(200, view(issue, link, call.version))

    def get_link(call: Call) -> Reply:
        issue = state.find_issue(call.args[0])
        link = _find_link(issue, link_id=call.args[1], global_id=None)
        if link is None:
            raise ApiError(404, f"No remote link with id {call.args[1]} found.")
        return Reply(200, view(issue, link, call.version))

    def upsert_link(call: Call) -> Reply:
        issue = state.find_issue(call.args[0])
        request = _remote_link_request(call)
        link = _find_link(issue, link_id=None, global_id=request.get("globalId"))
        status = 200
        if link is None:
            link, status = RemoteLink(state.next_id(), request.get("globalId"), {}), 201
            issue.remote_links.append(link)
        # An upsert replaces the whole link: what the request leaves out is gone.
        link.request = dict(request)
        issue.updated = now()
        issue.history.append(f"remotelink:{link.id}")
        return Reply(status, _identifies(view(issue, link, call.version)))

    links = API + r"/issue/(?P<key>[^/]+)/remotelink"
    return [
        ("GET", re.compile(links), list_links),
        ("POST", re.compile(links), upsert_link),
        ("GET", re.compile(links + r"/(?P<id>[^/]+)"), get_link),
    ]


def _identifies(link: dict[str, Any]) -> dict[str, Any]:
    return {"id": link["id"], "self": link["self"]}


def issue_link_routes(ctx: Context) -> list[Route]:
    state, site = ctx.state, ctx.site

    def link_types(call: Call) -> Reply:
        return Reply(200, {"issueLinkTypes": [views.link_type(t[0], site) for t in LINK_TYPES]})

    def create_link(call: Call) -> Reply:
        body = call.body if isinstance(call.body, dict) else {}
        kind = body.get("type")
        kind = kind if isinstance(kind, dict) else {}
        type_id = state.link_type(name=kind.get("name"), type_id=kind.get("id"))[0]
        inward = _linked_issue(ctx, body.get("inwardIssue"))
        outward = _linked_issue(ctx, body.get("outwardIssue"))
        for link in state.issue_links:
            if (link.type_id, link.inward_key, link.outward_key) == (type_id, inward, outward):
                return Reply(201)
        state.issue_links.append(IssueLink(str(state.next_id()), type_id, inward, outward))
        for key in (inward, outward):
            state.issues[key].updated = now()
            state.issues[key].history.append("issuelink")
        return Reply(201)

    return [
        ("GET", re.compile(API + r"/issueLinkType"), link_types),
        ("POST", re.compile(API + r"/issueLink"), create_link),
    ]


def _linked_issue(ctx: Context, value: Any) -> str:
    if not isinstance(value, dict) or not (value.get("key") or value.get("id")):
        raise ApiError(400, errors={"issue": "An issue key or id is required."})
    return ctx.state.find_issue(str(value.get("key") or value.get("id"))).key
