"""The Web API methods the fake answers, each checking its scope and arguments as Slack does.

Each method names the bot scope Slack's documentation requires for it; the token holds exactly
the scopes of the app manifest (state.granted_scopes), so a call the manifest does not cover
answers `missing_scope`, as Slack would.
"""

from __future__ import annotations

import copy
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes.slack.blocks import check_blocks, check_view
from tests.fakes.slack.state import Ephemeral, Message, SlackError, View, Workspace, ts_after

TEXT_LIMIT = 40_000
HISTORY_MAX = 999


# Methods reading a channel need the scope of its kind: (for public, for private channels).
HISTORY_SCOPES = ("channels:history", "groups:history")
INFO_SCOPES = ("channels:read", "groups:read")


@dataclass(frozen=True, slots=True)
class Method:
    handler: Callable[[Workspace, dict[str, Any]], dict[str, Any]]
    json_ok: bool  # whether Slack reads a JSON body for it (the write methods); else form only
    # The bot scopes Slack documents for it: one is checked before the handler runs; a pair
    # (public, private) is checked by the handler once it knows the channel's kind.
    scopes: tuple[str, ...] = ()


def _text_and_blocks(args: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    text, blocks = args.get("text", ""), args.get("blocks")
    if not isinstance(text, str):
        raise SlackError("invalid_arguments")
    if blocks is not None:
        problems = check_blocks(blocks)
        if problems:
            raise SlackError("invalid_blocks", response_metadata={"messages": problems})
    if not text.strip() and not blocks:
        raise SlackError("no_text")
    if len(text) > TEXT_LIMIT:
        raise SlackError("msg_too_long")
    return text, copy.deepcopy(blocks or [])


def _metadata(args: dict[str, Any]) -> dict[str, Any] | None:
    metadata = args.get("metadata")
    if metadata is None:
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
        or set(metadata) != {"event_type", "event_payload"}
    ):
        raise SlackError("invalid_metadata_format")
    return copy.deepcopy(metadata)


def _writable(ws: Workspace, ref: Any) -> str:
    channel = ws.channel(ref, by_name=True)
    if channel.archived:
        raise SlackError("is_archived")
    if ws.bot_user not in channel.members:
        raise SlackError("not_in_channel")
    return channel.id


def post_message(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = _writable(ws, args.get("channel"))
    text, blocks = _text_and_blocks(args)
    metadata = _metadata(args)
    thread_ts = args.get("thread_ts")
    if thread_ts is not None:
        parent = ws.message(channel, thread_ts)
        thread_ts = parent.thread_ts or parent.ts
        parent.thread_ts = thread_ts
    message = Message(
        channel=channel,
        ts=ws.next_ts(),
        text=text,
        blocks=blocks,
        metadata=metadata,
        user=ws.bot_user,
        bot_id=ws.bot_id,
        app_id=ws.app_id,
        thread_ts=thread_ts,
        history=["posted"],
    )
    ws.messages.append(message)
    shown = message.as_api(with_metadata=True)
    return {"ok": True, "channel": channel, "ts": message.ts, "message": shown}


def update_message(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = _writable(ws, args.get("channel"))
    if not args.get("ts"):
        raise SlackError("invalid_arguments")
    message = ws.message(channel, args["ts"])
    if message.bot_id != ws.bot_id:
        raise SlackError("cant_update_message")
    text, blocks = _text_and_blocks(args)
    metadata = _metadata(args)
    message.text, message.blocks, message.edited = text, blocks, True
    if metadata is not None:
        message.metadata = metadata
    message.history.append("updated")
    shown = message.as_api(with_metadata=True)
    return {"ok": True, "channel": channel, "ts": message.ts, "text": text, "message": shown}


def post_ephemeral(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = _writable(ws, args.get("channel"))
    user = args.get("user")
    if not isinstance(user, str) or not user:
        raise SlackError("user_not_found")
    if user not in ws.channels[channel].members:
        raise SlackError("user_not_in_channel")
    text, blocks = _text_and_blocks(args)
    ts = ws.next_ts()
    ws.ephemerals.append(Ephemeral(channel, user, text, blocks, args.get("thread_ts"), ts))
    return {"ok": True, "message_ts": ts}


def _view_answer(ws: Workspace, view: View) -> dict[str, Any]:
    body = copy.deepcopy(view.body)
    shown: dict[str, Any] = {
        "id": view.id,
        "team_id": ws.team_id,
        "type": view.type,
        "blocks": body.get("blocks", []),
        "private_metadata": body.get("private_metadata", ""),
        "callback_id": body.get("callback_id", ""),
        "state": {"values": {}},
        "hash": hashlib.sha256(repr(body).encode()).hexdigest()[:20],
        "root_view_id": view.id,
        "previous_view_id": None,
        "app_id": ws.app_id,
        "bot_id": ws.bot_id,
    }
    for name in ("title", "submit", "close", "external_id"):
        if name in body:
            shown[name] = body[name]
    return {"ok": True, "view": shown}


def _view_arg(args: dict[str, Any], *, kind: str) -> dict[str, Any]:
    view = args.get("view")
    problems = check_view(view, kind=kind)
    if problems:
        raise SlackError("invalid_arguments", response_metadata={"messages": problems})
    assert isinstance(view, dict)
    return copy.deepcopy(view)


def open_view(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    trigger_id = args.get("trigger_id")
    if not isinstance(trigger_id, str) or not trigger_id:
        raise SlackError("invalid_arguments")
    body = _view_arg(args, kind="modal")
    issued = ws.triggers.pop(trigger_id, None)
    if issued is None or time.monotonic() - issued[1] > TRIGGER_SECONDS:
        # Unknown, already used or expired: Slack cannot tell them apart for the caller.
        raise SlackError("expired_trigger_id")
    external = body.get("external_id")
    if external is not None and any(v.body.get("external_id") == external for v in ws.views):
        raise SlackError("duplicate_external_id")
    view = View(ws.next_id("V"), "modal", body, issued[0], trigger_id)
    ws.views.append(view)
    return _view_answer(ws, view)


def update_view(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view_id, external = args.get("view_id"), args.get("external_id")
    if bool(view_id) == bool(external):
        raise SlackError("invalid_arguments")
    found = next(
        (
            v
            for v in ws.views
            if (view_id and v.id == view_id) or (external and v.body.get("external_id") == external)
        ),
        None,
    )
    if found is None:
        raise SlackError("not_found")
    found.body = _view_arg(args, kind="modal")
    if external:
        found.body.setdefault("external_id", external)
    found.history.append("updated")
    return _view_answer(ws, found)


def publish_view(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user = args.get("user_id")
    if not isinstance(user, str) or user not in ws.users:
        raise SlackError("user_not_found")
    body = _view_arg(args, kind="home")
    current = ws.homes.get(user)
    view = View(current.id if current else ws.next_id("V"), "home", body, user, None)
    ws.homes[user] = view
    return _view_answer(ws, view)


def usergroup_members(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    group = args.get("usergroup")
    if not isinstance(group, str) or group not in ws.groups:
        raise SlackError("no_such_subteam")
    return {"ok": True, "users": list(ws.groups[group])}


def _limit(args: dict[str, Any]) -> int:
    raw = args.get("limit", "100")
    try:
        limit = int(raw)
    except (TypeError, ValueError):
        raise SlackError("invalid_limit") from None
    return max(1, min(limit, HISTORY_MAX))


def _cursor(args: dict[str, Any], size: int) -> int:
    raw = args.get("cursor") or ""
    if not raw:
        return 0
    if not raw.startswith("next_ts:") or not raw[8:].isdigit() or int(raw[8:]) > size:
        raise SlackError("invalid_cursor")
    return int(raw[8:])


def history(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.readable(args.get("channel"), HISTORY_SCOPES)
    inclusive = args.get("inclusive") in ("1", "true", True)
    shown = ws.top_level(channel.id)
    if args.get("oldest"):
        shown = [m for m in shown if ts_after(m.ts, str(args["oldest"]), inclusive=inclusive)]
    if args.get("latest"):
        shown = [
            m for m in shown if not ts_after(m.ts, str(args["latest"]), inclusive=not inclusive)
        ]
    start, limit = _cursor(args, len(shown)), _limit(args)
    page, more = shown[start : start + limit], start + limit < len(shown)
    with_metadata = args.get("include_all_metadata") in ("1", "true", True)
    answer: dict[str, Any] = {
        "ok": True,
        "messages": [m.as_api(with_metadata=with_metadata) for m in page],
        "has_more": more,
        "pin_count": 0,
    }
    if more:
        answer["response_metadata"] = {"next_cursor": f"next_ts:{start + limit}"}
    return answer


def channel_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(args.get("channel"))
    ws.need_channel_scope(channel, INFO_SCOPES)
    shown = {
        "id": channel.id,
        "name": channel.name,
        "is_channel": not channel.is_private,
        "is_group": channel.is_private,
        "is_private": channel.is_private,
        "is_archived": channel.archived,
        "is_member": ws.bot_user in channel.members,
        "created": 1_600_000_000,
    }
    return {"ok": True, "channel": shown}


def user_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user = ws.users.get(str(args.get("user")))
    if user is None:
        raise SlackError("user_not_found")
    return {"ok": True, "user": copy.deepcopy(user)}


def auth_test(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "ok": True,
        "url": "https://fake-team.slack.com/",
        "team": ws.team,
        "user": "release-train",
        "team_id": ws.team_id,
        "user_id": ws.bot_user,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


# A trigger_id is good for three seconds after the interaction that carried it.
TRIGGER_SECONDS = 3.0

# Scopes as Slack's method pages list them for bot tokens (views.* and auth.test need none).
METHODS: dict[str, Method] = {
    "auth.test": Method(auth_test, json_ok=False),
    "chat.postMessage": Method(post_message, json_ok=True, scopes=("chat:write",)),
    "chat.update": Method(update_message, json_ok=True, scopes=("chat:write",)),
    "chat.postEphemeral": Method(post_ephemeral, json_ok=True, scopes=("chat:write",)),
    "views.open": Method(open_view, json_ok=True),
    "views.update": Method(update_view, json_ok=True),
    "views.publish": Method(publish_view, json_ok=True),
    "usergroups.users.list": Method(usergroup_members, json_ok=False, scopes=("usergroups:read",)),
    "conversations.history": Method(history, json_ok=False, scopes=HISTORY_SCOPES),
    "conversations.info": Method(channel_info, json_ok=False, scopes=INFO_SCOPES),
    "users.info": Method(user_info, json_ok=False, scopes=("users:read",)),
}
