"""The driver's signed requests against a real slack_bolt App served over loopback (WSGI).

Bolt verifies the signature and timestamp itself, so these tests prove the driver signs as Slack
does, that its bad requests are the ones Bolt refuses, and that Bolt's `respond()` reaches the
fake's response_url.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401
from tests.fakes.slack.driver import STALE, SlackDriver, sign

SECRET = "fake-signing-secret-for-tests"
CHANNEL = "C0RELEASE"
EDIT_VIEW = {
    "type": "modal",
    "callback_id": "edit_draft",
    "private_metadata": "payments|Sprint 4|2",
    "title": {"type": "plain_text", "text": "Edit the notes"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "notes",
            "label": {"type": "plain_text", "text": "Notes"},
            "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
        }
    ],
}


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


class Seen:
    """What the app's listeners received."""

    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []
        self.actions: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []


def _app(fake: FakeSlack, seen: Seen) -> App:
    client = WebClient(token=fake.bot_token, base_url=fake.api_url)
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.command("/release-train")
    def command(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        ack()
        seen.commands.append(command)
        respond(f"status asked by {command['user_id']}: {command['text']}")

    @app.action("approve_draft")
    def approve(ack: Any, respond: Any, body: dict[str, Any]) -> None:
        ack()
        seen.actions.append(body)
        respond(text=f"Approved by {body['user']['name']}", replace_original=True)

    @app.action("edit_draft")
    def edit_opens_a_modal(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=EDIT_VIEW)

    @app.view("edit_draft")
    def edit(ack: Any, view: dict[str, Any], body: dict[str, Any]) -> None:
        ack()
        seen.views.append(body)

    return app


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def driver(fake_slack: FakeSlack, seen: Seen) -> Iterator[SlackDriver]:  # noqa: F811
    fake_slack.add_channel(CHANNEL, "releases", members=["U0ALICE"])
    fake_slack.add_user("U0ALICE", "alice")
    handler = SlackRequestHandler(_app(fake_slack, seen))
    server: WSGIServer = make_server("127.0.0.1", 0, handler, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/slack/events"
    with SlackDriver(url=url, signing_secret=SECRET, fake=fake_slack) as sending:
        yield sending
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_signed_command_is_acked_and_answered_through_response_url(
    driver: SlackDriver,
    fake_slack: FakeSlack,  # noqa: F811
    seen: Seen,
) -> None:
    sent = driver.command("status", user="U0ALICE", channel=CHANNEL)
    assert sent.response.status_code == 200
    (command,) = seen.commands
    assert (command["command"], command["text"], command["channel_name"]) == (
        "/release-train",
        "status",
        "releases",
    )
    (answer,) = fake_slack.responses(sent.response_url)
    assert answer["text"] == "status asked by U0ALICE: status"
    assert [e.text for e in fake_slack.ephemerals("U0ALICE")] == [answer["text"]]


@pytest.mark.parametrize(
    "signing",
    [{"secret": "another-secret"}, {"age": STALE}, {"signature": ""}],
    ids=["wrong-signature", "stale-timestamp", "unsigned"],
)
def test_badly_signed_requests_are_refused_and_reach_no_listener(
    driver: SlackDriver,
    fake_slack: FakeSlack,  # noqa: F811
    seen: Seen,
    signing: dict[str, Any],
) -> None:
    sent = driver.command("sync", **signing)
    assert sent.response.status_code == 401
    assert seen.commands == []
    assert fake_slack.responses(sent.response_url) == []


def test_a_click_replaces_the_message_it_came_from(
    driver: SlackDriver,
    fake_slack: FakeSlack,  # noqa: F811
    seen: Seen,
) -> None:
    client = WebClient(token=fake_slack.bot_token, base_url=fake_slack.api_url)
    button = {
        "type": "button",
        "action_id": "approve_draft",
        "text": {"type": "plain_text", "text": "Approve"},
        "value": "payments|Sprint 4|2|abc123",
    }
    posted = client.chat_postMessage(
        channel=CHANNEL,
        text="notes",
        blocks=[{"type": "actions", "block_id": "decide", "elements": [button]}],
    )
    sent = driver.block_action(
        "approve_draft", button["value"], user="U0ALICE", channel=CHANNEL, message_ts=posted["ts"]
    )
    assert sent.response.status_code == 200
    (body,) = seen.actions
    assert body["actions"][0]["block_id"] == "decide"
    assert body["actions"][0]["value"] == "payments|Sprint 4|2|abc123"
    assert body["container"]["message_ts"] == posted["ts"]
    (message,) = fake_slack.messages(CHANNEL)
    assert message.text == "Approved by alice" and message.history == ["posted", "response_url"]


def test_a_submitted_modal_carries_its_typed_values(
    driver: SlackDriver,
    seen: Seen,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    sent = driver.view_submission(
        callback_id="edit_draft",
        values={"notes": {"text": "## Features\n- edited"}},
        private_metadata='{"train": "payments"}',
    )
    assert sent.response.status_code == 200
    (body,) = seen.views
    assert body["view"]["state"]["values"]["notes"]["text"]["value"] == "## Features\n- edited"
    assert body["view"]["private_metadata"] == '{"train": "payments"}'


def test_a_modal_opened_from_a_click_is_submitted_back(
    driver: SlackDriver,
    fake_slack: FakeSlack,  # noqa: F811
    seen: Seen,
) -> None:
    sent = driver.block_action("edit_draft", "payments|Sprint 4|2", channel=CHANNEL)
    assert sent.response is not None and sent.response.status_code == 200
    (opened,) = fake_slack.opened_views()
    assert (opened.user, opened.trigger_id) == ("U0ALICE", sent.trigger_id)
    submitted = driver.submit(opened, {"notes": {"text": "edited notes"}})
    assert submitted.response is not None and submitted.response.status_code == 200
    (body,) = seen.views
    assert body["view"]["id"] == opened.id
    assert body["view"]["private_metadata"] == "payments|Sprint 4|2"
    assert body["view"]["state"]["values"]["notes"]["text"]["value"] == "edited notes"


def test_signature_is_slacks_v0_hmac_of_timestamp_and_body() -> None:
    # Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert (
        sign(secret="8f742231b10e8888abcd99yyyzzz85a5", timestamp="1531420618", body=body)
        == expected
    )
