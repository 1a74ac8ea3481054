"""An in-memory ChatNotifier: the messages the bot posted and how each was updated, the people
and groups it can look up, and failures on demand (the next call of a method raises)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.errors import BotError, ServiceError
from bot.ports.chat import MessageMark, PostedMessage


@dataclass
class ChatMessage:
    """A message as the channel shows it now, with every version it had."""

    channel: str
    ts: str
    text: str
    blocks: list[Mapping[str, Any]]
    mark: MessageMark | None
    thread_ts: str | None = None
    versions: list[str] = field(default_factory=list)  # each form it had: text, then blocks


class MemoryChat:
    """Slack, as a list of messages, people and groups."""

    def __init__(
        self,
        *,
        names: Mapping[str, str] | None = None,
        groups: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.names = dict(names or {})
        self.groups = dict(groups or {})
        self.messages: list[ChatMessage] = []
        self.ephemerals: list[tuple[str, str, str]] = []  # (channel, user, text)
        self.views: list[tuple[str, Mapping[str, Any]]] = []
        self.calls: list[str] = []
        self._faults: dict[str, BotError] = {}
        self._ts = 1000

    def fail_next(self, method: str, error: BotError | None = None) -> None:
        """The next call to `method` raises `error` (a ServiceError by default)."""
        self._faults[method] = error or ServiceError(f"Slack {method} failed")

    def _call(self, method: str) -> None:
        self.calls.append(method)
        fault = self._faults.pop(method, None)
        if fault is not None:
            raise fault

    def check(self) -> str:
        self._call("check")
        return "workspace T0 as the bot"

    def check_scopes(self) -> str:
        self._call("check_scopes")
        return "every scope granted"

    def bot_in_channel(self, *, channel: str) -> bool:
        self._call("bot_in_channel")
        return True

    def display_name(self, *, user: str) -> str:
        self._call("display_name")
        return self.names.get(user, user)

    def group_members(self, *, group: str) -> frozenset[str]:
        self._call("group_members")
        if group not in self.groups:
            raise ServiceError(f"the user group {group} cannot be read")
        return self.groups[group]

    def post_message(
        self,
        *,
        channel: str,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        mark: MessageMark | None = None,
        thread_ts: str | None = None,
    ) -> PostedMessage:
        self._call("post_message")
        self._ts += 1
        ts = f"{self._ts}.000100"
        self.messages.append(
            ChatMessage(channel, ts, text, list(blocks), mark, thread_ts, [_shown(text, blocks)])
        )
        return PostedMessage(channel=channel, ts=ts)

    def find_message(
        self,
        *,
        channel: str,
        mark: MessageMark,
        since: datetime | None = None,
        max_pages: int = 5,
    ) -> PostedMessage | None:
        self._call("find_message")
        for message in reversed(self.messages):
            found = message.mark
            if (
                message.channel == channel
                and found
                and found.event_type == mark.event_type
                and all(found.payload.get(k) == v for k, v in mark.payload.items())
            ):
                return PostedMessage(channel=channel, ts=message.ts)
        return None

    def update_message(
        self,
        *,
        message: PostedMessage,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        mark: MessageMark | None = None,
    ) -> None:
        self._call("update_message")
        shown = self.find(message.ts)
        shown.text, shown.blocks = text, list(blocks)
        shown.mark = mark or shown.mark
        shown.versions.append(_shown(text, blocks))

    def post_ephemeral(
        self, *, channel: str, user: str, text: str, blocks: Sequence[Mapping[str, Any]] = ()
    ) -> None:
        self._call("post_ephemeral")
        self.ephemerals.append((channel, user, text))

    def open_view(self, *, trigger_id: str, view: Mapping[str, Any]) -> str:
        self._call("open_view")
        self.views.append((trigger_id, view))
        return f"V{len(self.views)}"

    def update_view(self, *, external_id: str, view: Mapping[str, Any]) -> None:
        self._call("update_view")
        self.views.append((external_id, view))

    def publish_home(self, *, user: str, view: Mapping[str, Any]) -> None:
        self._call("publish_home")

    def respond(
        self,
        *,
        response_url: str,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        replace_original: bool = False,
        in_channel: bool = False,
    ) -> None:
        self._call("respond")

    def find(self, ts: str) -> ChatMessage:
        """The message posted with `ts`."""
        return next(m for m in self.messages if m.ts == ts)

    def last_block_text(self, ts: str) -> str:
        """The text of the message's last block (where the decision is shown)."""
        blocks = self.find(ts).blocks
        return str(blocks[-1].get("text", {}).get("text", "")) if blocks else ""


def _shown(text: str, blocks: Sequence[Mapping[str, Any]]) -> str:
    return text + "\n" + json.dumps(list(blocks), ensure_ascii=False)
