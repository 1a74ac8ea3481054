"""A real slack_bolt App in Socket Mode against the fake: hello, envelopes acked, reconnects."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401
from tests.fakes.slack.socket_driver import SocketDriver

CHANNEL = "C0RELEASE"


class Seen:
    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []
        self.actions: list[dict[str, Any]] = []


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def handler(fake_slack: FakeSlack, seen: Seen) -> Iterator[SocketModeHandler]:  # noqa: F811
    fake_slack.add_channel(CHANNEL, "releases", members=["U0ALICE"])
    client = WebClient(token=fake_slack.bot_token, base_url=fake_slack.api_url)
    app = App(client=client)

    @app.command("/release-train")
    def command(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        seen.commands.append(command)
        ack(f"working on {command['text']}")
        respond("done")

    @app.action("approve_draft")
    def approve(ack: Any, body: dict[str, Any]) -> None:
        seen.actions.append(body)
        ack()

    socket_mode = SocketModeHandler(app, fake_slack.app_token)
    socket_mode.connect()
    fake_slack.socket.wait_connected(1)
    yield socket_mode
    socket_mode.close()


def test_a_command_envelope_is_acked_with_its_id_and_answered(
    handler: SocketModeHandler,
    fake_slack: FakeSlack,  # noqa: F811
    seen: Seen,
) -> None:
    driver = SocketDriver(fake=fake_slack)
    sent = driver.command("status", user="U0ALICE", channel=CHANNEL)
    assert sent.ack is not None
    assert sent.ack["payload"] == {"text": "working on status"}
    (command,) = seen.commands
    assert command["user_id"] == "U0ALICE"
    fake_slack.wait_until(lambda fake: bool(fake.responses(sent.response_url)))
    assert [a["text"] for a in fake_slack.responses(sent.response_url)] == ["done"]


def test_a_click_envelope_reaches_the_action_listener(
    handler: SocketModeHandler,
    fake_slack: FakeSlack,  # noqa: F811
    seen: Seen,
) -> None:
    driver = SocketDriver(fake=fake_slack)
    sent = driver.block_action("approve_draft", "payments|Sprint 4|2|abc", channel=CHANNEL)
    assert sent.ack is not None and set(sent.ack) == {"envelope_id"}
    assert seen.actions[0]["actions"][0]["value"] == "payments|Sprint 4|2|abc"


def test_the_app_reconnects_when_slack_asks_it_to(
    handler: SocketModeHandler,
    fake_slack: FakeSlack,  # noqa: F811
    seen: Seen,
) -> None:
    fake_slack.socket.disconnect("refresh_requested")
    fake_slack.socket.wait_connected(2)
    assert len(fake_slack.calls_to("apps.connections.open")) == 2
    sent = SocketDriver(fake=fake_slack).command("notes", channel=CHANNEL)
    assert sent.ack is not None and seen.commands[-1]["text"] == "notes"


def test_connections_open_needs_the_app_token(fake_slack: FakeSlack) -> None:  # noqa: F811
    bot = WebClient(token=fake_slack.bot_token, base_url=fake_slack.api_url)
    with pytest.raises(SlackApiError) as refused:
        bot.apps_connections_open(app_token=fake_slack.bot_token)
    assert refused.value.response["error"] == "not_allowed_token_type"
    app = WebClient(base_url=fake_slack.api_url)
    url = app.apps_connections_open(app_token=fake_slack.app_token)["url"]
    assert url.startswith(f"ws://127.0.0.1:{fake_slack.socket.port}/link/?ticket=")


def test_readiness_turns_when_the_socket_stops_answering_within_one_ping_interval(
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    from bot.bootstrap.serving import SocketConnection

    app = App(client=WebClient(token=fake_slack.bot_token, base_url=fake_slack.api_url))
    handler = SocketModeHandler(app, fake_slack.app_token, ping_interval=1)
    connection = SocketConnection(handler, ping_interval=1)
    connection.start()
    try:
        fake_slack.socket.wait_connected(1)
        deadline = time.monotonic() + 5
        while connection.problem() is not None:
            assert time.monotonic() < deadline, connection.problem()
            time.sleep(0.05)

        fake_slack.socket.go_silent()
        went = time.monotonic()
        while connection.problem() is None:
            assert time.monotonic() - went < 10, "readiness never noticed the silent socket"
            time.sleep(0.05)
        noticed = time.monotonic() - went
    finally:
        connection.stop()

    assert noticed < 1 + 3.5, f"noticed after {noticed:.1f} s"
