"""`serve` with Slack: Socket Mode connected (and `/readyz` saying so) with the digest posted on
its schedule, and HTTP mode answering signed requests at `POST /slack/events`."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.serve_process import ServeProcess
from tests.fakes.slack import FakeSlack
from tests.fakes.slack.driver import SlackDriver
from tests.workspace import Workspace

SIGNING_SECRET = "test-signing-secret-of-the-tests"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_channel("C0RELEASE", "releases", members=["U0ALICE"])
        yield fake
        fake.assert_faithful()


def configure(workspace: Workspace, slack: FakeSlack, *, mode: str) -> None:
    workspace.write_config(
        extra_top=f'[slack]\nmode = "{mode}"\napi_url = "{slack.api_url}"\n',
        extra_train='slack_channel = "C0RELEASE"',
    )


def test_socket_mode_is_ready_once_connected_and_posts_the_digest(
    workspace: Workspace, slack: FakeSlack
) -> None:
    configure(workspace, slack, mode="socket")
    env = {
        "RELEASE_TRAIN_SLACK__BOT_TOKEN": slack.bot_token,
        "RELEASE_TRAIN_SLACK__APP_TOKEN": slack.app_token,
    }
    serve = ServeProcess(workspace.config, cwd=workspace.root, env=env, every_seconds=2)
    try:
        serve.wait_for("ready", lambda: serve.get("/readyz").status_code == 200)
        slack.socket.wait_connected(1)
        connected = serve.metric("release_train_slack_socket_connected")
        serve.wait_for(
            "a digest posted", lambda: serve.log_line(event="job_finished", job="digest")
        )
    finally:
        code = serve.stop(signal.SIGTERM)

    assert code == 0, serve.stderr
    assert connected == 1
    digests = serve.log_lines(event="job_finished", job="digest")
    assert digests[0]["outcome"] == "ok", digests[0]
    assert slack.messages("C0RELEASE")
    assert slack.bot_token not in serve.stderr
    assert slack.app_token not in serve.stderr


def test_http_mode_answers_signed_requests_and_refuses_unsigned_ones(
    workspace: Workspace, slack: FakeSlack
) -> None:
    configure(workspace, slack, mode="http")
    env = {
        "RELEASE_TRAIN_SLACK__BOT_TOKEN": slack.bot_token,
        "RELEASE_TRAIN_SLACK__SIGNING_SECRET": SIGNING_SECRET,
    }
    serve = ServeProcess(workspace.config, cwd=workspace.root, env=env, every_seconds=None)
    try:
        events = serve.url + "/slack/events"
        with SlackDriver(url=events, signing_secret=SIGNING_SECRET, fake=slack) as driver:
            signed = driver.command("help")
        unsigned = httpx.post(events, content=b"command=%2Frelease-train&text=help", timeout=10)
        ready = serve.get("/readyz").status_code
        scraped = serve.get("/metrics").text
    finally:
        code = serve.stop(signal.SIGTERM)

    assert signed.response is not None and signed.response.status_code == 200
    assert unsigned.status_code == 401
    assert ready == 200
    assert "release_train_slack_socket_connected" not in scraped  # no socket in HTTP mode
    assert "release_train_draft_decisions_total" in scraped
    assert code == 0, serve.stderr
