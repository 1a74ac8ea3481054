"""The fake Slack workspace's state: channels, members, user groups, messages, views, answers."""

from __future__ import annotations

import copy
import functools
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MANIFESTS = Path(__file__).resolve().parents[3] / "deploy"
MANIFEST = MANIFESTS / "slack-manifest.socket.yaml"


def manifest_scopes(path: Path = MANIFEST) -> frozenset[str]:
    """The bot scopes an app manifest asks for (`oauth_config.scopes.bot`)."""
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    return frozenset(manifest["oauth_config"]["scopes"]["bot"])


@functools.cache
def granted_scopes() -> frozenset[str]:
    """What installing the app from its manifest grants the bot token: exactly those scopes."""
    return manifest_scopes()


class SlackError(Exception):
    """A Web API refusal: `{"ok": false, "error": <name>}` plus any extra fields Slack adds."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool
    members: set[str]
    archived: bool = False


@dataclass
class Message:
    """A message as Slack keeps it; `replies` stay out of conversations.history."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any] | None
    user: str
    bot_id: str | None
    app_id: str | None
    thread_ts: str | None = None
    edited: bool = False
    history: list[str] = field(default_factory=list)  # "posted", "updated", "response_url"

    def as_api(self, *, with_metadata: bool) -> dict[str, Any]:
        """The message object Slack returns (history, postMessage and update answers)."""
        shown: dict[str, Any] = {"type": "message", "ts": self.ts, "text": self.text}
        shown["user"] = self.user
        if self.bot_id is not None:
            shown["bot_id"] = self.bot_id
        if self.app_id is not None:
            shown["app_id"] = self.app_id
        if self.blocks:
            shown["blocks"] = copy.deepcopy(self.blocks)
        if self.thread_ts is not None:
            shown["thread_ts"] = self.thread_ts
        if self.edited:
            shown["edited"] = {"user": self.user, "ts": self.ts}
        if with_metadata and self.metadata is not None:
            shown["metadata"] = copy.deepcopy(self.metadata)
        return shown


@dataclass(frozen=True, slots=True)
class Ephemeral:
    channel: str
    user: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    message_ts: str


@dataclass
class View:
    id: str
    type: str  # modal | home
    body: dict[str, Any]
    user: str
    trigger_id: str | None
    history: list[str] = field(default_factory=lambda: ["opened"])


@dataclass
class ResponseUrl:
    """A response_url the fake handed out; Slack accepts up to five answers in 30 minutes."""

    id: str
    channel: str
    user: str
    message_ts: str | None  # the message a block action came from (replace_original edits it)
    answers: list[dict[str, Any]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each answer


@dataclass
class Workspace:
    """Everything the fake Slack knows; guarded by the server's lock."""

    team_id: str = "T0FAKETEAM"
    team: str = "Fake Team"
    bot_user: str = "U0FAKEBOT"
    bot_id: str = "B0FAKEBOT"
    app_id: str = "A0FAKEAPP"
    scopes: set[str] = field(default_factory=lambda: set(granted_scopes()))
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    ephemerals: list[Ephemeral] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    homes: dict[str, View] = field(default_factory=dict)
    # unused trigger_id -> (user, when it was issued, in time.monotonic() seconds)
    triggers: dict[str, tuple[str, float]] = field(default_factory=dict)
    response_urls: dict[str, ResponseUrl] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _last_ts: tuple[int, int] = (0, 0)

    def add_user(self, user_id: str, name: str, *, display_name: str | None, is_bot: bool) -> None:
        shown = display_name or name
        profile = {"display_name": shown, "real_name": shown}
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": shown,
            "deleted": False,
            "is_bot": is_bot,
            "profile": profile,
        }

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def next_ts(self) -> str:
        """A message timestamp as Slack writes them, strictly increasing ("1700000000.000001")."""
        seconds, serial = int(time.time()), 1
        if seconds <= self._last_ts[0]:
            seconds, serial = self._last_ts[0], self._last_ts[1] + 1
        self._last_ts = (seconds, serial)
        return f"{seconds}.{serial:06d}"

    def need_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            provided = ",".join(sorted(self.scopes))
            raise SlackError("missing_scope", needed=scope, provided=provided)

    def channel(self, ref: Any, *, by_name: bool = False) -> Channel:
        """The channel `ref` names (an id, or with `by_name` also `#name` or `name`)."""
        if not isinstance(ref, str) or not ref:
            raise SlackError("channel_not_found")
        if ref in self.channels:
            return self.channels[ref]
        if by_name:
            for channel in self.channels.values():
                if ref.lstrip("#") == channel.name:
                    return channel
        raise SlackError("channel_not_found")

    def need_channel_scope(self, channel: Channel, scopes: tuple[str, str]) -> None:
        """The scope of the channel's kind: `scopes` is (for public, for private channels)."""
        self.need_scope(scopes[1] if channel.is_private else scopes[0])

    def readable(self, ref: Any, scopes: tuple[str, str]) -> Channel:
        """A channel the bot may read: it must exist, hold the bot, and the token the scope of
        its kind."""
        channel = self.channel(ref)
        self.need_channel_scope(channel, scopes)
        if self.bot_user not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    def message(self, channel: str, ts: Any) -> Message:
        for message in self.messages:
            if message.channel == channel and message.ts == ts:
                return message
        raise SlackError("message_not_found")

    def top_level(self, channel: str) -> list[Message]:
        """The channel's messages outside threads (and thread parents), newest first."""
        shown = [m for m in self.messages if m.channel == channel and m.thread_ts in (None, m.ts)]
        return sorted(shown, key=lambda m: _ts_key(m.ts), reverse=True)


def _ts_key(ts: str) -> tuple[int, int]:
    """Exact ordering of Slack timestamps (floats would round the microseconds)."""
    seconds, _, fraction = ts.partition(".")
    if not seconds.isdigit() or not (fraction == "" or fraction.isdigit()) or len(fraction) > 6:
        raise ValueError(ts)
    return int(seconds), int(fraction.ljust(6, "0"))


def ts_after(ts: str, bound: str, *, inclusive: bool) -> bool:
    """Whether message timestamp `ts` is after `bound` (`oldest` as Slack takes it)."""
    try:
        limit = _ts_key(bound)
    except ValueError:
        raise SlackError("invalid_ts_oldest") from None
    return _ts_key(ts) >= limit if inclusive else _ts_key(ts) > limit
