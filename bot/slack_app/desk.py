"""What the Slack listeners ask of the bot: one method per thing a person can do in Slack.

Listeners stay thin (parse, ack, call the desk, answer); the desk opens the train's runtime and
calls the shared use-cases. `bot.slack_app.trains` implements it over the bootstrap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.services.approvals.drafts import DraftRef


@dataclass(frozen=True, slots=True)
class Reply:
    """An answer for one person: fallback text and, optionally, Block Kit blocks."""

    text: str
    blocks: tuple[Mapping[str, Any], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Clicker:
    """Who clicked or typed: their Slack user id and the name Slack shows for them."""

    user_id: str
    name: str


class Desk(Protocol):
    """The use-cases behind the Slack surface, by train."""

    def train_for(self, channel: str | None) -> str | None:
        """The train a command typed in `channel` is about (None when it cannot be told)."""
        ...

    def train_names(self) -> list[str]: ...

    def status(self, train: str) -> Reply: ...

    def notes(self, train: str) -> Reply: ...

    def sync(self, train: str) -> Reply: ...

    def draft(self, train: str) -> Reply: ...

    def explain(self, train: str, change: str) -> Reply: ...

    def approve(self, ref: DraftRef, who: Clicker) -> str: ...

    def may_decide(self, ref: DraftRef, who: Clicker) -> str | None:
        """None when `who` may decide on or edit the draft version now; else why not (not an
        approver, the version superseded or decided already)."""
        ...

    def request_changes(self, ref: DraftRef, who: Clicker, reason: str) -> str: ...

    def draft_text(self, ref: DraftRef) -> str | None:
        """The version's notes to edit (nobody's permission asked); None for an unknown one."""
        ...

    def edit(self, ref: DraftRef, who: Clicker, text: str) -> str: ...

    def home(self, user: str) -> Mapping[str, Any]:
        """The App Home view for `user`."""
        ...

    def respond(self, response_url: str, reply: Reply) -> None:
        """Answer through a command's or click's response_url (ephemerally)."""
        ...

    def tell(self, *, channel: str, user: str, text: str) -> None:
        """An ephemeral message to `user` in `channel`."""
        ...

    def open_view(self, trigger_id: str, view: Mapping[str, Any]) -> None: ...

    def replace_view(self, external_id: str, view: Mapping[str, Any]) -> None:
        """Replace an open modal (opened with `external_id`)."""
        ...

    def publish_home(self, user: str, view: Mapping[str, Any]) -> None: ...
