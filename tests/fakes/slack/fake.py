"""FakeSlack: Web API and response_url endpoints over loopback, seeded and inspected by tests."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any

import pytest

from tests.fakes.loopback import Loopback
from tests.fakes.slack import responses
from tests.fakes.slack.dispatch import perform, refusal
from tests.fakes.slack.http import FAULT_KINDS, Call, Decoded, Fault, Reply, handler_class
from tests.fakes.slack.http import method_of as _method_of
from tests.fakes.slack.schema import check_answer
from tests.fakes.slack.socket import SocketModeServer
from tests.fakes.slack.state import (
    Channel,
    Ephemeral,
    Message,
    ResponseUrl,
    SlackError,
    View,
    Workspace,
)

BOT_TOKEN = "xoxb-fake-bot-token-for-tests"
APP_TOKEN = "xapp-fake-app-token-for-tests"


class FakeSlack:
    """One fake Slack workspace with the bot installed; see the package docstring."""

    def __init__(self, *, bot_token: str = BOT_TOKEN, app_token: str = APP_TOKEN) -> None:
        self.bot_token, self.app_token = bot_token, app_token
        self.ws = Workspace()
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self._faults: list[Fault] = []
        self._slow: dict[str, float] = {}  # method ("*": any) -> seconds each answer waits
        self.lock = threading.RLock()
        self._http = Loopback(handler_class(self._handle))
        self.socket = SocketModeServer(app_id=self.ws.app_id)
        self.add_user(self.ws.bot_user, "release-train", is_bot=True)

    # lifecycle -------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._http.origin

    @property
    def api_url(self) -> str:
        """What `slack.api_url` (and WebClient's base_url) is set to: ends with /api/."""
        return f"{self.base_url}/api/"

    def start(self) -> FakeSlack:
        self._http.start()
        self.socket.start()
        return self

    def stop(self) -> None:
        self.socket.stop()
        self._http.stop()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_until(self, check: Callable[[FakeSlack], bool], *, timeout: float = 10) -> None:
        """Block until `check(fake)` holds: for what an app does after it acknowledged."""
        deadline = time.monotonic() + timeout
        while not check(self):
            assert time.monotonic() < deadline, "the fake Slack never saw what was awaited"
            time.sleep(0.01)

    def assert_faithful(self) -> None:
        assert not self.violations, "the fake Slack saw unfaithful exchanges:\n" + "\n".join(
            self.violations
        )

    # seeding ---------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        display_name: str | None = None,
        is_bot: bool = False,
    ) -> str:
        """A person (or bot) of the workspace; users.info shows `name` and `display_name`."""
        with self.lock:
            self.ws.add_user(
                user_id, name or user_id.lower(), display_name=display_name, is_bot=is_bot
            )
        return user_id

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        members: Iterable[str] = (),
        bot_member: bool = True,
        private: bool = False,
    ) -> str:
        """A channel (ids start with C, or G when private) holding `members` and the bot."""
        people = set(members) | ({self.ws.bot_user} if bot_member else set())
        with self.lock:
            for user in people - set(self.ws.users):
                self.add_user(user)
            self.ws.channels[channel_id] = Channel(channel_id, name, private, people)
        return channel_id

    def join(self, channel_id: str, *users: str) -> None:
        with self.lock:
            for user in set(users) - set(self.ws.users):
                self.add_user(user)
            self.ws.channels[channel_id].members.update(users)

    def remove_bot(self, channel_id: str) -> None:
        with self.lock:
            self.ws.channels[channel_id].members.discard(self.ws.bot_user)

    def add_usergroup(self, group_id: str, users: Iterable[str]) -> str:
        """A user group (ids start with S) and its members."""
        with self.lock:
            self.ws.groups[group_id] = list(users)
            for user in set(self.ws.groups[group_id]) - set(self.ws.users):
                self.add_user(user)
        return group_id

    def revoke_scope(self, scope: str) -> None:
        """The bot token loses a scope: the methods needing it answer `missing_scope`."""
        with self.lock:
            self.ws.scopes.discard(scope)

    def post_as(
        self,
        channel_id: str,
        text: str,
        *,
        user: str,
        bot_id: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """Someone else's message in the channel (a person, or another app with `bot_id`)."""
        with self.lock:
            ts = self.ws.next_ts()
            self.ws.messages.append(
                Message(
                    channel=channel_id,
                    ts=ts,
                    text=text,
                    blocks=[],
                    metadata=copy.deepcopy(metadata),
                    user=user,
                    bot_id=bot_id,
                    app_id=None if bot_id is None else "A0OTHERAPP",
                    history=["posted"],
                )
            )
        return ts

    def new_trigger_id(self, user: str) -> str:
        """A trigger_id as an interaction carries it: usable once with views.open."""
        with self.lock:
            trigger = f"{self.ws.next_id('')}.{self.ws.team_id}.trigger"
            self.ws.triggers[trigger] = (user, time.monotonic())
        return trigger

    def new_response_url(self, *, channel: str, user: str, message_ts: str | None = None) -> str:
        """A response_url for one interaction (a block action names the message it came from)."""
        with self.lock:
            url_id = self.ws.next_id("R")
            self.ws.response_urls[url_id] = ResponseUrl(url_id, channel, user, message_ts)
        return f"{self.base_url}/response/{url_id}"

    # inspection (copies, safe to keep) ---------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def messages(self, channel: str | None = None) -> list[Message]:
        """Every message (thread replies too) in posting order."""
        with self.lock:
            return [copy.deepcopy(m) for m in self.ws.messages if channel in (None, m.channel)]

    def ephemerals(self, user: str | None = None) -> list[Ephemeral]:
        with self.lock:
            return [e for e in self.ws.ephemerals if user in (None, e.user)]

    def opened_views(self) -> list[View]:
        with self.lock:
            return copy.deepcopy(self.ws.views)

    def home(self, user: str) -> View | None:
        with self.lock:
            return copy.deepcopy(self.ws.homes.get(user))

    def arrivals(self, response_url: str) -> list[float]:
        """When each answer to a response_url arrived (`time.monotonic()`, shared by processes)."""
        with self.lock:
            return list(self.ws.response_urls[response_url.rsplit("/", 1)[-1]].arrivals)

    def responses(self, response_url: str) -> list[dict[str, Any]]:
        """What was POSTed to a response_url, in order."""
        with self.lock:
            return copy.deepcopy(self.ws.response_urls[response_url.rsplit("/", 1)[-1]].answers)

    # faults ----------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str = "*",
        *,
        kind: str = "ratelimited",
        retry_after: int | None = 1,
        error: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls to `method` ("*": any) fail this way; see the package docs."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}, not {kind!r}")
        if kind == "error" and not error:
            raise ValueError("kind='error' needs the Slack error name, e.g. error='fatal_error'")
        with self.lock:
            self._faults.extend([Fault(method, kind, retry_after, error)] * times)

    def slow(self, method: str, seconds: float) -> None:
        """Every later call to `method` ("*": any) is answered `seconds` late, as a distant or
        busy Slack would (the call is performed first; calls at once wait side by side)."""
        with self.lock:
            self._slow[method] = seconds

    # the exchange ----------------------------------------------------------------------------

    def _handle(self, *, verb: str, path: str, auth: str | None, body: Decoded) -> Reply | None:
        reply = self._exchange(verb=verb, path=path, auth=auth, body=body)
        method = _method_of(path) or ""
        with self.lock:
            delay = self._slow.get(method, self._slow.get("*", 0.0))
        if delay:
            time.sleep(delay)  # outside the lock
        return reply

    def _exchange(self, *, verb: str, path: str, auth: str | None, body: Decoded) -> Reply | None:
        if path.startswith("/response/"):
            with self.lock:
                fault = self._take_fault("response_url")
                if fault is not None and fault.kind != "commit_then_drop":
                    return responses.faulted(fault)
                reply = responses.answer(self, url_id=path.rsplit("/", 1)[-1], verb=verb, body=body)
                return None if fault is not None else reply
        method = _method_of(path)
        if method is None:
            return Reply(404, {"ok": False, "error": "unknown_method"}, {})
        with self.lock:
            args = {k: v for k, v in body.args.items() if k != "token"}
            if "token" in body.args:
                self.violations.append(f"{method}: the token was sent in the body")
            fault = self._take_fault(method)
            reply = self._answer(method, auth=auth, body=body, fault=fault)
            answer = None if reply is None else reply.body
            error = answer.get("error") if isinstance(answer, dict) else None
            status = None if reply is None else reply.status
            self.calls.append(Call(method, args, body.encoding, status, error))
            if isinstance(answer, dict):
                self.violations += check_answer(method, answer)
        return reply

    def _take_fault(self, method: str) -> Fault | None:
        for index, fault in enumerate(self._faults):
            if fault.matches(method):
                return self._faults.pop(index)
        return None

    def _answer(
        self, method: str, *, auth: str | None, body: Decoded, fault: Fault | None
    ) -> Reply | None:
        if fault is not None and fault.kind == "drop":
            return None
        if fault is not None and fault.kind == "ratelimited":
            headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            return Reply(429, {"ok": False, "error": "ratelimited"}, headers)
        if fault is not None and fault.kind == "error":
            return refusal(SlackError(fault.error or "fatal_error"))
        reply = perform(self, method=method, auth=auth, body=body)
        return None if fault is not None else reply  # commit_then_drop: done, then silence


@pytest.fixture
def fake_slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    """A running fake Slack; the test fails if any exchange broke Slack's documented shapes."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with FakeSlack() as fake:
        yield fake
        fake.assert_faithful()
