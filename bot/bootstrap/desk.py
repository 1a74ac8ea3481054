"""The Desk the Slack app is handed: each request opens its train's runtime over the store and
Slack client the process shares, calls one use-case, and closes what it opened.

SQLAlchemy engines are thread-safe, so listeners on worker threads share the store's connection
pool and compiled queries; the write ledger keeps two threads from sending one write. Opening a
runtime costs no database work.

What people look at (status, notes, the App Home) is answered from a `ViewMemo` the desk keeps
for the process: a request reads the train's store revision (one primary-key query) and the
current sprint, and gets the answer computed for them at that revision; only the first request
after a write computes it, and requests arriving meanwhile wait for that one computation.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from bot.bootstrap.train import TrainRuntime, open_train
from bot.errors import BotError
from bot.logs import masked
from bot.services.approvals.follow_up import Approver
from bot.services.digest import days_left
from bot.services.views.memo import ViewMemo
from bot.slack_app.desk import Clicker, Reply
from bot.slack_app.home_blocks import home_view
from bot.slack_app.replies import explain_reply, notes_reply, status_reply, sync_reply
from bot.slack_app.text import escape

if TYPE_CHECKING:
    from bot.metrics import Metrics
    from bot.ports.chat import ChatNotifier
    from bot.ports.store import Store
    from bot.services.approvals.decide import Answer
    from bot.services.approvals.drafts import DraftRef
    from bot.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
_UNEXPECTED = "Something went wrong on the bot's side; it is in the bot's log."


class TrainsDesk:
    """Answers Slack for every configured train."""

    def __init__(
        self,
        *,
        settings: Settings,
        chat: ChatNotifier,
        store: Store,
        metrics: Metrics | None = None,
        memo: ViewMemo | None = None,
    ) -> None:
        self._settings = settings
        self._chat = chat
        self._store = store
        self._metrics = metrics
        self._command = settings.slack.command if settings.slack else "/release-train"
        self._memo = memo or ViewMemo()

    def train_for(self, channel: str | None) -> str | None:
        trains = self._settings.trains
        by_channel = [t.name for t in trains if channel and t.slack_channel == channel]
        if by_channel:
            return by_channel[0]
        return trains[0].name if len(trains) == 1 else None

    def train_names(self) -> list[str]:
        return [t.name for t in self._settings.trains]

    def status(self, train: str) -> Reply:
        return self._reply(
            train,
            lambda rt: self._viewed(rt, "status", lambda: status_reply(rt.views.read())),
            look=True,
        )

    def notes(self, train: str) -> Reply:
        def render(rt: TrainRuntime) -> Reply:
            sprint, text, _counts = rt.notes.current_for_slack()
            return notes_reply(text, train=train, sprint=sprint, command=self._command)

        # The notes also depend on the operator's templates: an edit shows on the next request.
        return self._reply(
            train,
            lambda rt: self._viewed(rt, ("notes", self._templates_stamp()), lambda: render(rt)),
            look=True,
        )

    def _templates_stamp(self) -> tuple[tuple[str, int, int], ...]:
        """Each template in `[notes] templates_dir` with its modification time and size (one
        listing of the folder); empty when the shipped templates are used."""
        folder = self._settings.notes.templates_dir
        if folder is None or not folder.is_dir():
            return ()
        found = []
        for path in sorted(folder.glob("*.j2")):
            with contextlib.suppress(OSError):
                stat = path.stat()
                found.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def _viewed(self, rt: TrainRuntime, what: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` for the train's current sprint, once per store revision (read first, so
        a write landing meanwhile makes the next request compute again)."""
        revision = rt.store.store_revision(train=rt.train.name)
        key = (what, rt.views.sprint(None))
        return self._memo.get(train=rt.train.name, revision=revision, key=key, compute=compute)

    def _home_part(self, rt: TrainRuntime) -> Mapping[str, Any]:
        """The train's App Home data, once per store revision and day left in the sprint."""
        revision = rt.store.store_revision(train=rt.train.name)
        sprint = rt.views.sprint(None)
        now = rt.clock.now()
        key = ("home", sprint, None if sprint is None else days_left(sprint, now))
        return self._memo.get(
            train=rt.train.name, revision=revision, key=key, compute=lambda: rt.digest.home(now=now)
        )

    def sync(self, train: str) -> Reply:
        return self._reply(train, lambda rt: sync_reply(rt.train_sync.run()))

    def draft(self, train: str) -> Reply:
        return self._reply(train, lambda rt: Reply(_sentence(rt.drafts.post_current().reason)))

    def explain(self, train: str, change: str) -> Reply:
        def explain(rt: TrainRuntime) -> Reply:
            # Slack shows a pasted URL as <url> (or <url|text>): the reference is the url itself.
            ref = change.strip().removeprefix("<").removesuffix(">").split("|")[0]
            return explain_reply(rt.explainer.explain(ref).lines())

        return self._reply(train, explain, look=True)

    def approve(self, ref: DraftRef, who: Clicker) -> str:
        approver = Approver(user_id=who.user_id, name=who.name)
        return self._answer(ref, lambda rt: self._counted(rt.approval.approve(ref, approver), ref))

    def may_decide(self, ref: DraftRef, who: Clicker) -> str | None:
        if ref.train not in self.train_names():
            return f"There is no train named {ref.train} any more; nothing changed."
        try:
            return self._call(
                ref.train, lambda rt: rt.approval.refusal_for(ref, who.user_id), look=True
            )
        except BotError as exc:
            return escape(masked(str(exc)))

    def request_changes(self, ref: DraftRef, who: Clicker, reason: str) -> str:
        answer = self._answer(
            ref,
            lambda rt: self._counted(
                rt.approval.request_changes(ref, user=who.user_id, reason=reason), ref
            ),
        )
        self._tell_in_train(ref.train, user=who.user_id, text=answer)
        return answer

    def draft_text(self, ref: DraftRef) -> str | None:
        if ref.train not in self.train_names():
            return None
        try:
            return self._call(ref.train, lambda rt: rt.approval.text_of(ref), look=True)
        except BotError:
            return None

    def edit(self, ref: DraftRef, who: Clicker, text: str) -> str:
        answer = self._answer(
            ref, lambda rt: rt.approval.edit(ref, user=who.user_id, text=text).text
        )
        self._tell_in_train(ref.train, user=who.user_id, text=answer)
        return answer

    def _counted(self, answer: Answer, ref: DraftRef) -> str:
        """The answer's text; a click that took a decision is counted."""
        if answer.changed and answer.decision and self._metrics is not None:
            self._metrics.draft_decided(train=ref.train, decision=answer.decision)
        return answer.text

    def _tell_in_train(self, train: str, *, user: str, text: str) -> None:
        """An ephemeral answer in the train's channel (a modal's submission has no other)."""
        channel = next((t.slack_channel for t in self._settings.trains if t.name == train), None)
        if channel:
            try:
                self.tell(channel=channel, user=user, text=text)
            except BotError as exc:
                log.warning("could not answer %s in %s: %s", user, channel, masked(str(exc)))

    def home(self, user: str) -> Mapping[str, Any]:
        parts: list[Mapping[str, Any]] = []
        problems: list[str] = []
        for train in self._settings.trains:
            try:
                with self._open(train.name, look=True) as rt:
                    parts.append(self._home_part(rt))
            except BotError as exc:
                problems.append(f"{train.name}: {masked(str(exc))}")  # home_view escapes it
        return home_view(parts, problems)

    def respond(self, response_url: str, reply: Reply) -> None:
        self._chat.respond(response_url=response_url, text=reply.text, blocks=reply.blocks)

    def tell(self, *, channel: str, user: str, text: str) -> None:
        self._chat.post_ephemeral(channel=channel, user=user, text=text)

    def open_view(self, trigger_id: str, view: Mapping[str, Any]) -> None:
        self._chat.open_view(trigger_id=trigger_id, view=view)

    def replace_view(self, external_id: str, view: Mapping[str, Any]) -> None:
        self._chat.update_view(external_id=external_id, view=view)

    def publish_home(self, user: str, view: Mapping[str, Any]) -> None:
        self._chat.publish_home(user=user, view=view)

    @contextmanager
    def _open(self, train: str, *, look: bool = False) -> Iterator[TrainRuntime]:
        with open_train(
            self._settings,
            self._settings.train(train),
            read_only=look,
            store=self._store,
            chat=self._chat,
            interactive=True,
        ) as runtime:
            yield runtime

    def _call(self, train: str, use: Callable[[TrainRuntime], T], *, look: bool = False) -> T:
        with self._open(train, look=look) as runtime:
            return use(runtime)

    def _reply(
        self, train: str, use: Callable[[TrainRuntime], Reply], *, look: bool = False
    ) -> Reply:
        try:
            return self._call(train, use, look=look)
        except BotError as exc:
            return Reply(escape(masked(str(exc))))
        except Exception:
            log.exception("the Slack command for train %s failed", train)
            return Reply(_UNEXPECTED)

    def _answer(self, ref: DraftRef, use: Callable[[TrainRuntime], str]) -> str:
        if ref.train not in self.train_names():
            return f"There is no train named {ref.train} any more; nothing changed."
        try:
            return self._call(ref.train, use)
        except BotError as exc:
            return escape(masked(str(exc)))
        except Exception:
            log.exception("a Slack click on train %s failed", ref.train)
            return _UNEXPECTED


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
