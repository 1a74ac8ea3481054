"""The fake Jira Software endpoints: a board, its sprints, and moving issues into a sprint."""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.jira import views
from tests.fakes.jira.http import Call, Reply, Route
from tests.fakes.jira.state import ApiError, Board, Issue
from tests.fakes.jira.views import Context

AGILE = "/rest/agile/1.0"
SPRINT_STATES = ("closed", "active", "future")
MOVE_LIMIT = 50
_PAGE = 50


def _board_view(ctx: Context, board: Board) -> dict[str, Any]:
    project = ctx.state.projects[board.project_key]
    return {
        "id": board.id,
        "self": f"{ctx.site.base_url}{AGILE}/board/{board.id}",
        "name": board.name,
        "type": board.type,
        "location": {
            "projectId": int(project.id),
            "projectKey": project.key,
            "projectName": project.name,
            "projectTypeKey": "software",
            "displayName": f"{project.name} ({project.key})",
            "name": f"{project.name} ({project.key})",
        },
    }


def _number(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError as error:
        raise ApiError(400, f"The {what} must be a number.") from error


def _board(ctx: Context, board_id: str) -> Board:
    board = ctx.state.boards.get(_number(board_id, "board id"))
    if board is None:
        raise ApiError(404, "Board does not exist or you do not have permission to see it.")
    return board


def _issues_to_move(ctx: Context, body: Any) -> list[Issue]:
    keys = body.get("issues") if isinstance(body, dict) else None
    if not isinstance(keys, list) or not keys:
        raise ApiError(400, "The request must name at least one issue.")
    if len(keys) > MOVE_LIMIT:
        raise ApiError(400, f"Cannot move more than {MOVE_LIMIT} issues at once.")
    found = []
    for key in keys:
        try:
            found.append(ctx.state.find_issue(str(key)))
        except ApiError as error:
            raise ApiError(
                400, f"Issue '{key}' does not exist or you do not have permission to see it."
            ) from error
    return found


def routes(ctx: Context) -> list[Route]:
    state, site = ctx.state, ctx.site

    def get_board(call: Call) -> Reply:
        return Reply(200, _board_view(ctx, _board(ctx, call.args[0])))

    def board_sprints(call: Call) -> Reply:
        board = _board(ctx, call.args[0])
        if board.type != "scrum":
            raise ApiError(400, "The board does not support sprints")
        states = call.params("state") or list(SPRINT_STATES)
        unknown = [s for s in states if s not in SPRINT_STATES]
        if unknown:
            raise ApiError(400, f"Unknown sprint state: {unknown[0]}")
        sprints = sorted(
            (s for s in state.sprints.values() if s.board_id == board.id and s.state in states),
            key=lambda s: (SPRINT_STATES.index(s.state), s.id),
        )
        start = _number(call.param("startAt") or "0", "startAt")
        size = max(1, min(_number(call.param("maxResults") or str(_PAGE), "maxResults"), _PAGE))
        page = sprints[start : start + size]
        body = {
            "maxResults": size,
            "startAt": start,
            "isLast": start + size >= len(sprints),
            "values": [views.sprint(s, site) for s in page],
        }
        return Reply(200, body)

    def get_sprint(call: Call) -> Reply:
        return Reply(200, views.sprint(state.sprint_of(_number(call.args[0], "sprint id")), site))

    def move_to_sprint(call: Call) -> Reply:
        sprint = state.sprint_of(_number(call.args[0], "sprint id"))
        issues = _issues_to_move(ctx, call.body)
        if sprint.state == "closed":
            raise ApiError(400, "Issues can only be moved to open or active sprints.")
        for issue in issues:
            state.move_to_sprint(issue, sprint)
        return Reply(204)

    return [
        ("GET", re.compile(AGILE + r"/board/(?P<board>[^/]+)"), get_board),
        ("GET", re.compile(AGILE + r"/board/(?P<board>[^/]+)/sprint"), board_sprints),
        ("GET", re.compile(AGILE + r"/sprint/(?P<sprint>[^/]+)"), get_sprint),
        ("POST", re.compile(AGILE + r"/sprint/(?P<sprint>[^/]+)/issue"), move_to_sprint),
    ]
