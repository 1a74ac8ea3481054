"""The fake Jira's platform endpoints: server, user, fields, permissions, and issues."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakes.jira import views
from tests.fakes.jira.adf import adf_problems
from tests.fakes.jira.http import Call, Reply, Route
from tests.fakes.jira.state import (
    ISSUE_TYPES,
    PERMISSIONS,
    SPRINT_FIELD,
    ApiError,
    Issue,
    JiraState,
    RichText,
    now,
)
from tests.fakes.jira.views import Context

API = r"/rest/api/(?P<v>[23])"
_EDITABLE = frozenset({"summary", "description", "labels"})
_CREATABLE = frozenset({"project", "issuetype", "summary", "description", "labels", SPRINT_FIELD})


# Jira keeps text fields in Java strings, counted in UTF-16 code units.
TEXT_LIMIT = 32_767  # a comment or description body
SUMMARY_LIMIT = 255  # an issue summary, a remote link's title


def java_length(text: str) -> int:
    """The length Jira's Java code gives `text`."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def rich_text(version: str, value: Any, *, name: str) -> RichText:
    """A body as Jira accepts it: ADF in v3, a string in v2, at most TEXT_LIMIT long; else 400.

    An ADF body is measured as the compact JSON of its document.
    """
    if version == "3":
        if adf_problems(value):
            raise ApiError(400, errors={name: "Operation value must be an Atlassian Document."})
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    elif not isinstance(value, str):
        raise ApiError(400, errors={name: "Operation value must be a string."})
    else:
        text = value
    if java_length(text) > TEXT_LIMIT:
        raise ApiError(
            400,
            errors={
                name: "The entered text is too long. It exceeds the allowed limit of "
                f"{TEXT_LIMIT:,} characters."
            },
        )
    return RichText(value)


def _summary_problem(summary: Any) -> str | None:
    if not isinstance(summary, str) or not summary.strip():
        return "You must specify a summary of the issue."
    if java_length(summary) > SUMMARY_LIMIT:
        return f"Summary must be less than {SUMMARY_LIMIT} characters."
    return None


def _labels(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ApiError(400, errors={"labels": "Labels must be a list of non-empty strings."})
    for label in value:
        if re.search(r"\s", label):
            raise ApiError(
                400, errors={"labels": f"The label '{label}' contains spaces which is invalid."}
            )
    return list(dict.fromkeys(value))


def site_routes(ctx: Context) -> list[Route]:
    state, site = ctx.state, ctx.site

    def server_info(call: Call) -> Reply:
        return Reply(200, views.server_info(site, now=now()))

    def myself(call: Call) -> Reply:
        return Reply(200, views.user(site, call.version))

    def fields(call: Call) -> Reply:
        return Reply(200, views.fields_list())

    def project(call: Call) -> Reply:
        found = next((p for p in state.projects.values() if call.args[0] in (p.key, p.id)), None)
        if found is None:
            raise ApiError(404, f"No project could be found with key '{call.args[0]}'.")
        return Reply(200, views.project(found, site=site, version=call.version))

    def my_permissions(call: Call) -> Reply:
        return Reply(200, {"permissions": _permissions(state, call)})

    def application_links(call: Call) -> Reply:
        return Reply(200, [])

    return [
        ("GET", re.compile(API + r"/serverInfo"), server_info),
        ("GET", re.compile(API + r"/myself"), myself),
        ("GET", re.compile(API + r"/field"), fields),
        ("GET", re.compile(API + r"/project/(?P<project>[^/]+)"), project),
        ("GET", re.compile(API + r"/mypermissions"), my_permissions),
        ("GET", re.compile(r"/rest/applinks/latest/listApplicationlinks"), application_links),
    ]


def issue_routes(ctx: Context) -> list[Route]:
    state, site = ctx.state, ctx.site

    def create_issue(call: Call) -> Reply:
        issue = _create(ctx, call)
        self_url = f"{site.base_url}/rest/api/{call.version}/issue/{issue.id}"
        return Reply(201, {"id": issue.id, "key": issue.key, "self": self_url})

    def get_issue(call: Call) -> Reply:
        issue = state.find_issue(call.args[0])
        wanted = views.wanted_fields(call.params("fields"), default="*all")
        body = views.issue(issue, state=state, site=site, version=call.version, fields=wanted)
        return Reply(200, body)

    def edit_issue(call: Call) -> Reply:
        _edit(state.find_issue(call.args[0]), call)
        return Reply(204)

    issue = API + r"/issue/(?P<key>[^/]+)"
    return [
        ("POST", re.compile(API + r"/issue"), create_issue),
        ("GET", re.compile(issue), get_issue),
        ("PUT", re.compile(issue), edit_issue),
    ]


def _permissions(state: JiraState, call: Call) -> dict[str, Any]:
    wanted = call.params("permissions")
    if not wanted:
        raise ApiError(400, "The 'permissions' query parameter is required.")
    unknown = [p for p in wanted if p not in PERMISSIONS]
    if unknown:
        raise ApiError(404, f"No permission with key '{unknown[0]}' found.")
    project_key = call.param("projectKey")
    if project_key is not None and project_key not in state.projects:
        raise ApiError(404, f"No project could be found with key '{project_key}'.")
    return {
        key: {
            "id": str(10 + list(PERMISSIONS).index(key)),
            "key": key,
            "name": PERMISSIONS[key][0],
            "type": "PROJECT",
            "havePermission": key not in state.denied,
        }
        for key in wanted
    }


def _body(call: Call) -> dict[str, Any]:
    if not isinstance(call.body, dict):
        raise ApiError(400, "Can not deserialize the request body: a JSON object is required.")
    return call.body


def _create(ctx: Context, call: Call) -> Issue:
    fields = _body(call).get("fields")
    if not isinstance(fields, dict):
        raise ApiError(400, errors={"fields": "The fields of the issue are required."})
    errors = {
        name: f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
        for name in fields
        if name not in _CREATABLE
    }
    project = _project_key(ctx, fields.get("project"))
    if project is None:
        errors["project"] = "valid project is required"
    issue_type = _issue_type(fields.get("issuetype"))
    if issue_type is None:
        errors["issuetype"] = "Specify a valid issue type"
    summary = fields.get("summary")
    if (problem := _summary_problem(summary)) is not None:
        errors["summary"] = problem
    if errors or project is None or issue_type is None:
        raise ApiError(400, errors=errors)
    description = fields.get("description")
    issue = ctx.state.create_issue(
        project_key=project,
        issue_type=issue_type,
        summary=str(summary),
        description=None
        if description is None
        else rich_text(call.version, description, name="description"),
        labels=_labels(fields.get("labels", [])),
    )
    if fields.get(SPRINT_FIELD) is not None:
        ctx.state.move_to_sprint(issue, ctx.state.sprint_of(int(fields[SPRINT_FIELD])))
    # Cloud's search index lags behind writes; Data Center's search is read-after-write.
    issue.unindexed_searches = ctx.search_lag if ctx.site.cloud else 0
    return issue


def _project_key(ctx: Context, value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    for project in ctx.state.projects.values():
        if value.get("key") == project.key or value.get("id") == project.id:
            return project.key
    return None


def _issue_type(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    for name, type_id in ISSUE_TYPES.items():
        if value.get("name") == name or value.get("id") == type_id:
            return name
    return None


def _edit(issue: Issue, call: Call) -> None:
    body = _body(call)
    fields = body.get("fields") or {}
    update = body.get("update") or {}
    unknown = [n for n in (*fields, *update) if n not in _EDITABLE]
    if unknown:
        raise ApiError(
            400,
            errors={
                n: f"Field '{n}' cannot be set. It is not on the appropriate screen, or unknown."
                for n in unknown
            },
        )
    both = set(fields) & set(update)
    if both:
        raise ApiError(
            400, errors={n: "Field cannot be set in both fields and update." for n in both}
        )
    before = (issue.summary, issue.description, list(issue.labels))
    if "summary" in fields:
        if (problem := _summary_problem(fields["summary"])) is not None:
            raise ApiError(400, errors={"summary": problem})
        issue.summary = str(fields["summary"])
    if "description" in fields:
        value = fields["description"]
        issue.description = (
            None if value is None else rich_text(call.version, value, name="description")
        )
    if "labels" in fields:
        issue.labels = _labels(fields["labels"])
    for operation in update.get("labels", []):
        issue.labels = _label_operation(issue.labels, operation)
    if (issue.summary, issue.description, issue.labels) != before:
        issue.updated = now()
        issue.history.append("edit")


def _label_operation(labels: list[str], operation: Any) -> list[str]:
    if not isinstance(operation, dict) or len(operation) != 1:
        raise ApiError(400, errors={"labels": "Each update needs exactly one of add, remove, set."})
    verb, value = next(iter(operation.items()))
    if verb == "add":
        return _labels([*labels, value])
    if verb == "remove":
        return [label for label in labels if label != value]
    if verb == "set":
        return _labels(value)
    raise ApiError(400, errors={"labels": f"Unsupported operation '{verb}'."})
