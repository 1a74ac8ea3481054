"""The documented shapes of the Web API answers the fake gives, checked on every answer.

A shape is a dict of field -> type (a Python type, a nested shape, a one-item list for arrays
of that item); a name ending in "?" is optional. Fields not listed are refused, so the fake
cannot drift from what Slack documents (docs.slack.dev, method pages' "Response" examples).
"""

from __future__ import annotations

from typing import Any

Shape = dict[str, Any]

TS = str  # "1700000000.000100"
_TEXT: Shape = {"type": str, "text": str, "emoji?": bool, "verbatim?": bool}
_METADATA: Shape = {"event_type": str, "event_payload": dict}
MESSAGE: Shape = {
    "type": str,
    "ts": TS,
    "text": str,
    "user": str,
    "bot_id?": str,
    "app_id?": str,
    "blocks?": [dict],
    "thread_ts?": TS,
    "edited?": {"user": str, "ts": TS},
    "metadata?": _METADATA,
}
_VIEW: Shape = {
    "id": str,
    "team_id": str,
    "type": str,
    "blocks": [dict],
    "private_metadata": str,
    "callback_id": str,
    "state": {"values": dict},
    "hash": str,
    "title?": _TEXT,
    "submit?": _TEXT,
    "close?": _TEXT,
    "external_id?": str,
    "root_view_id": str,
    "previous_view_id": object,  # null until the view is updated
    "app_id": str,
    "bot_id": str,
}
_CHANNEL: Shape = {
    "id": str,
    "name": str,
    "is_channel": bool,
    "is_group": bool,
    "is_private": bool,
    "is_archived": bool,
    "is_member": bool,
    "created": int,
}
_USER: Shape = {
    "id": str,
    "team_id": str,
    "name": str,
    "real_name": str,
    "deleted": bool,
    "is_bot": bool,
    "profile": {"display_name": str, "real_name": str},
}
_CURSOR: Shape = {"next_cursor": str}
_ERROR: Shape = {
    "ok": bool,
    "error": str,
    "needed?": str,
    "provided?": str,
    "response_metadata?": {"messages": [str]},
}

RESPONSES: dict[str, Shape] = {
    "auth.test": {
        "ok": bool,
        "url": str,
        "team": str,
        "user": str,
        "team_id": str,
        "user_id": str,
        "bot_id": str,
        "is_enterprise_install": bool,
    },
    "chat.postMessage": {"ok": bool, "channel": str, "ts": TS, "message": MESSAGE},
    "chat.update": {"ok": bool, "channel": str, "ts": TS, "text": str, "message": MESSAGE},
    "chat.postEphemeral": {"ok": bool, "message_ts": TS},
    "views.open": {"ok": bool, "view": _VIEW},
    "views.update": {"ok": bool, "view": _VIEW},
    "views.publish": {"ok": bool, "view": _VIEW},
    "usergroups.users.list": {"ok": bool, "users": [str]},
    "conversations.history": {
        "ok": bool,
        "messages": [MESSAGE],
        "has_more": bool,
        "pin_count": int,
        "response_metadata?": _CURSOR,
    },
    "conversations.info": {"ok": bool, "channel": _CHANNEL},
    "users.info": {"ok": bool, "user": _USER},
    "apps.connections.open": {"ok": bool, "url": str},
}


def check_answer(method: str, body: Any) -> list[str]:
    """Every way an answer to `method` breaks its documented shape."""
    if not isinstance(body, dict):
        return [f"{method}: the answer is not an object"]
    if body.get("ok") is False:
        return _check(_ERROR, body, where=method)
    shape = RESPONSES.get(method)
    if shape is None:
        return [f"{method}: no documented shape for this method"]
    return _check(shape, body, where=method)


def _check(shape: Any, value: Any, *, where: str) -> list[str]:
    if isinstance(shape, dict):
        return _check_object(shape, value, where=where)
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: expected an array"]
        return [
            p for i, item in enumerate(value) for p in _check(shape[0], item, where=f"{where}[{i}]")
        ]
    if shape is object:
        return []
    if shape is int and isinstance(value, bool):
        return [f"{where}: expected an integer, got a boolean"]
    if not isinstance(value, shape):
        return [f"{where}: expected {shape.__name__}, got {type(value).__name__}"]
    return []


def _check_object(shape: Shape, value: Any, *, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    problems = []
    names = {name.rstrip("?") for name in shape}
    for name, inner in shape.items():
        key = name.rstrip("?")
        if key in value:
            problems += _check(inner, value[key], where=f"{where}.{key}")
        elif not name.endswith("?"):
            problems.append(f"{where}: missing {key}")
    problems += [f"{where}: undocumented field {k}" for k in sorted(set(value) - names)]
    return problems
