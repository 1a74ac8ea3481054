"""The Desk over the configured trains: each request opens its train's runtime, calls one
use-case and closes it again, so listeners on worker threads share nothing but the Slack client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from bot.bootstrap.slack import TrainSlack
from bot.bootstrap.slack_serve import SharedRuntimes
from bot.errors import BotError
from bot.logs import masked
from bot.ports.chat import ChatNotifier
from bot.services.approvals.drafts import DraftRef
from bot.services.approvals.follow_up import Approver
from bot.settings import Settings
from bot.slack_app.desk import Clicker, Reply
from bot.slack_app.home_blocks import home_view
from bot.slack_app.replies import notes_reply, status_reply, sync_reply

log = logging.getLogger(__name__)
T = TypeVar("T")
_UNEXPECTED = "Something went wrong on the bot's side; it is in the bot's log."


class TrainsDesk:
    """Answers Slack for every configured train."""

    def __init__(self, *, settings: Settings, chat: ChatNotifier, runtimes: SharedRuntimes) -> None:
        self._settings = settings
        self._chat = chat
        self._runtimes = runtimes
        self._command = settings.slack.command if settings.slack else "/release-train"

    def train_for(self, channel: str | None) -> str | None:
        trains = self._settings.trains
        by_channel = [t.name for t in trains if channel and t.slack_channel == channel]
        if by_channel:
            return by_channel[0]
        return trains[0].name if len(trains) == 1 else None

    def train_names(self) -> list[str]:
        return [t.name for t in self._settings.trains]

    def status(self, train: str) -> Reply:
        return self._reply(train, lambda ts: status_reply(ts.runtime.views.read()), look=True)

    def notes(self, train: str) -> Reply:
        def render(ts: TrainSlack) -> Reply:
            view = ts.runtime.views.read()
            context = ts.runtime.notes.context_of(view)
            text = ts.runtime.renderer.render_notes(context=context, fmt="slack")
            sprint = view.sprint.name if view.sprint else ""
            return notes_reply(text, train=train, sprint=sprint, command=self._command)

        return self._reply(train, render, look=True)

    def sync(self, train: str) -> Reply:
        return self._reply(train, lambda ts: sync_reply(ts.runtime.train_sync.run()))

    def draft(self, train: str) -> Reply:
        return self._reply(train, lambda ts: Reply(_sentence(ts.post_draft().reason)))

    def explain(self, train: str, change: str) -> Reply:
        from bot.slack_app.replies import explain_reply

        return self._reply(train, lambda ts: explain_reply(ts.runtime, change), look=True)

    def approve(self, ref: DraftRef, who: Clicker) -> str:
        approver = Approver(user_id=who.user_id, name=who.name)
        return self._answer(ref, lambda ts: ts.approval.approve(ref, approver).text)

    def may_decide(self, ref: DraftRef, who: Clicker) -> str | None:
        if ref.train not in self.train_names():
            return f"There is no train named {ref.train} any more; nothing changed."
        return self._call(ref.train, lambda ts: ts.approval.refusal(who.user_id), look=True)

    def request_changes(self, ref: DraftRef, who: Clicker, reason: str) -> str:
        def decide(ts: TrainSlack) -> str:
            answer = ts.approval.request_changes(ref, user=who.user_id, reason=reason)
            if not answer.changed:
                self.tell(channel=ts.channel, user=who.user_id, text=answer.text)
            return answer.text

        return self._answer(ref, decide)

    def editable(self, ref: DraftRef, who: Clicker) -> tuple[str | None, str | None]:
        if ref.train not in self.train_names():
            return None, f"There is no train named {ref.train} any more; nothing changed."
        return self._call(ref.train, lambda ts: ts.approval.editable_text(ref, who.user_id))

    def edit(self, ref: DraftRef, who: Clicker, text: str) -> str:
        def save(ts: TrainSlack) -> str:
            answer = ts.approval.edit(ref, user=who.user_id, text=text)
            self.tell(channel=ts.channel, user=who.user_id, text=answer.text)
            return answer.text

        return self._answer(ref, save)

    def home(self, user: str) -> Mapping[str, Any]:
        parts: list[Mapping[str, Any]] = []
        problems: list[str] = []
        for train in self._settings.trains:
            try:
                with self._open(train.name, look=True) as ts:
                    parts.append(ts.home_data())
            except BotError as exc:
                problems.append(f"{train.name}: {masked(str(exc))}")
        return home_view(parts, problems)

    def respond(self, response_url: str, reply: Reply) -> None:
        self._chat.respond(response_url=response_url, text=reply.text, blocks=reply.blocks)

    def tell(self, *, channel: str, user: str, text: str) -> None:
        self._chat.post_ephemeral(channel=channel, user=user, text=text)

    def open_view(self, trigger_id: str, view: Mapping[str, Any]) -> None:
        self._chat.open_view(trigger_id=trigger_id, view=view)

    def publish_home(self, user: str, view: Mapping[str, Any]) -> None:
        self._chat.publish_home(user=user, view=view)

    @contextmanager
    def _open(self, train: str, *, look: bool = False) -> Iterator[TrainSlack]:
        with self._runtimes.open(train, look=look) as runtime:
            yield TrainSlack(runtime, self._chat)

    def _call(self, train: str, use: Callable[[TrainSlack], T], *, look: bool = False) -> T:
        with self._open(train, look=look) as ts:
            return use(ts)

    def _reply(
        self, train: str, use: Callable[[TrainSlack], Reply], *, look: bool = False
    ) -> Reply:
        try:
            return self._call(train, use, look=look)
        except BotError as exc:
            return Reply(masked(str(exc)))
        except Exception:
            log.exception("the Slack command for train %s failed", train)
            return Reply(_UNEXPECTED)

    def _answer(self, ref: DraftRef, use: Callable[[TrainSlack], str]) -> str:
        if ref.train not in self.train_names():
            return f"There is no train named {ref.train} any more; nothing changed."
        try:
            return self._call(ref.train, use)
        except BotError as exc:
            return masked(str(exc))
        except Exception:
            log.exception("a Slack click on train %s failed", ref.train)
            return _UNEXPECTED


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
