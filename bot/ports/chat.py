"""Slack, as the bot speaks in it: messages, marks, views and answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """Where a chat message lives: its channel's id and its timestamp (Slack's message id)."""

    channel: str
    ts: str


@dataclass(frozen=True, slots=True)
class MessageMark:
    """An invisible mark carried by a posted message (Slack message metadata), so the message
    can be found again after a crash between posting it and storing where it went."""

    event_type: str  # e.g. "release_train_draft"
    payload: Mapping[str, str | int | bool]  # e.g. {"train": ..., "sprint": ..., "version": 3}


class ChatNotifier(Protocol):
    """Slack, as the bot speaks in it. `blocks` are Block Kit JSON objects; every `text` is the
    fallback shown in notifications (callers escape untrusted text in both). Failures raise
    ServiceError (AuthError for the token or a missing scope, RateLimitedError past the wait
    budget); a write whose answer was lost raises WriteOutcomeUnknownError and is never resent.
    """

    def check(self) -> str:
        """Authenticate (auth.test) and describe the workspace and bot in one line."""
        ...

    def check_scopes(self) -> str:
        """Whether the token holds every bot scope the bot's calls need (auth.test lists what it
        holds), in one line; AuthError naming each missing scope and what needs it."""
        ...

    def bot_in_channel(self, *, channel: str) -> bool:
        """Whether the bot is a member of the channel (an id); ServiceError if it is unknown."""
        ...

    def display_name(self, *, user: str) -> str:
        """The name Slack shows for a user (users.info: display name, else real name)."""
        ...

    def group_members(self, *, group: str) -> frozenset[str]:
        """The user ids in a user group; raises when they cannot be read (callers fail closed)."""
        ...

    def post_message(
        self,
        *,
        channel: str,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        mark: MessageMark | None = None,
        thread_ts: str | None = None,
    ) -> PostedMessage:
        """Post once (never retried after a lost answer: look with find_message first)."""
        ...

    def find_message(
        self,
        *,
        channel: str,
        mark: MessageMark,
        since: datetime | None = None,
        max_pages: int = 5,
    ) -> PostedMessage | None:
        """The newest message this bot posted in the channel (an id) whose mark has the same
        event type and holds every key of `mark.payload` with the same value; reads at most
        `max_pages` pages of history (newest first), back to `since` when given."""
        ...

    def update_message(
        self,
        *,
        message: PostedMessage,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        mark: MessageMark | None = None,
    ) -> None:
        """Replace a posted message's text and blocks (and its mark, when given)."""
        ...

    def post_ephemeral(
        self, *, channel: str, user: str, text: str, blocks: Sequence[Mapping[str, Any]] = ()
    ) -> None:
        """A message only `user` sees in the channel."""
        ...

    def open_view(self, *, trigger_id: str, view: Mapping[str, Any]) -> str:
        """Open a modal for an interaction's trigger_id (usable once, within 3 s); its view id."""
        ...

    def update_view(self, *, external_id: str, view: Mapping[str, Any]) -> None:
        """Replace an open modal (found by the `external_id` it was opened with)."""
        ...

    def publish_home(self, *, user: str, view: Mapping[str, Any]) -> None:
        """Publish the user's App Home tab (a view of type home)."""
        ...

    def respond(
        self,
        *,
        response_url: str,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        replace_original: bool = False,
        in_channel: bool = False,
    ) -> None:
        """Answer a slash command or a click through its response_url (ephemeral by default;
        `replace_original` edits the message a button was clicked in)."""
        ...
