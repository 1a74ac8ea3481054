"""`POST /slack/events` under bad input, as an attacker or a broken proxy would send it: a real
uvicorn on loopback serving the HTTP-mode app. Every request Slack would not send gets a 4xx and
one INFO line naming why (never the body or a response_url), and nothing raises."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from tests.e2e.slack_site import (
    ALICE,
    CHANNEL,
    RunningApp,
    SlackSite,
    build_site,
    drafted,
    eventually,
    running_app,
)
from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401 (the fixture)

MIB = 1 << 20


@pytest.fixture
def site(tmp_path: Path, fake_slack: FakeSlack) -> SlackSite:  # noqa: F811
    return build_site(tmp_path, fake_slack)


@pytest.fixture
def app(site: SlackSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningApp]:
    with running_app(site, monkeypatch) as running:
        yield running


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def raw_post(url: str, head: bytes, body: bytes = b"") -> bytes:
    """Send a hand-made request and read what comes back before the server hangs up."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(head + body)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
    return answer


def test_a_body_declared_over_a_mebibyte_is_refused_with_413_before_it_is_read(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 209715200\r\n\r\n"
    )

    answer = raw_post(app.url, head, b"a" * 1024)

    assert answer.startswith(b"HTTP/1.1 413")
    assert "over 1048576" in caplog.text


def test_a_200_mib_body_is_refused_and_memory_stays_flat(app: RunningApp) -> None:
    before = resident_mib()

    def body() -> Iterator[bytes]:
        chunk = b"a" * MIB
        for _ in range(200):
            yield chunk

    try:
        with httpx.Client(timeout=30, trust_env=False) as client:
            status = client.post(app.url, content=body()).status_code
    except httpx.TransportError:
        status = 413  # the server answered and hung up while the body was still being sent
    after = resident_mib()

    assert status == 413
    assert after - before < 40, f"resident memory grew from {before:.0f} to {after:.0f} MiB"
    assert (
        httpx.get(app.url.replace("/slack/events", "/healthz"), trust_env=False).status_code == 200
    )


def _form(**fields: str) -> bytes:
    return urlencode(fields).encode()


MALFORMED = {
    "a timestamp that is not a number": dict(
        body=_form(command="/release-train", text="status"),
        headers={"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"},
        expect=401,
    ),
    "no signature at all": dict(
        body=_form(command="/release-train", text="status"), headers={}, expect=401
    ),
    "a body that is not UTF-8": dict(body=b"command=\xff\xfe", signed=True, expect=400),
    "a payload that is not JSON": dict(body=_form(payload="{not json"), signed=True, expect=400),
    "a payload that is a JSON list": dict(body=_form(payload="[1,2]"), signed=True, expect=400),
    "a JSON body that is not an object": dict(
        body=b'"hello"', signed=True, content_type="application/json", expect=400
    ),
    "a content type Slack never sends": dict(
        body=b"<xml/>", signed=True, content_type="text/xml", expect=400
    ),
    "a form that is neither a command nor a payload": dict(
        body=_form(text="status", response_url="https://hooks.slack.com/secret-url"),
        signed=True,
        expect=400,
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_each_malformed_request_is_a_4xx_with_one_info_line_and_no_traceback(
    app: RunningApp, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.INFO)
    spec = MALFORMED[case]
    body = spec["body"]
    content_type = str(spec.get("content_type", "application/x-www-form-urlencoded"))

    if spec.get("signed"):
        sent = app.driver.send_raw(body, content_type=content_type)  # type: ignore[arg-type]
    else:
        headers = {"Content-Type": content_type, **spec["headers"]}  # type: ignore[dict-item]
        sent = httpx.post(app.url, content=body, headers=headers, trust_env=False)  # type: ignore[arg-type]

    assert sent.status_code == spec["expect"], sent.text
    refused = [r for r in caplog.records if "refused a request" in r.getMessage()]
    assert len(refused) == 1 and refused[0].levelno == logging.INFO
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert "hooks.slack.com" not in caplog.text and "status" not in refused[0].getMessage()


def test_signed_payloads_slack_would_not_send_are_answered_without_a_traceback(
    site: SlackSite, app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    message = drafted(site)
    huge = json.dumps({"train": "payments", "sprint": "Sprint 1", "version": 10**30, "hash": "x"})
    base = {
        "type": "block_actions",
        "user": {"id": ALICE, "username": "alice"},
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "message_ts": message.ts, "channel_id": CHANNEL},
        "trigger_id": "1.2.3",
        "team": {"id": "T0FAKETEAM"},
        "api_app_id": "A0FAKEAPP",
        "token": "fake-verification-token",
        "response_url": site.slack.new_response_url(channel=CHANNEL, user=ALICE),
    }
    empty = {**base, "actions": []}
    big_version = {**base, "actions": [{"action_id": "approve_draft", "value": huge}]}

    answers = [
        app.driver.send_raw(_form(payload=json.dumps(payload))) for payload in (empty, big_version)
    ]

    assert [a.status_code for a in answers] == [400, 200]  # a click naming no action is refused
    eventually(
        lambda: [e for e in site.slack.ephemerals(ALICE) if "does not name" in e.text],
        what="the click on a version the bot never posted answered",
    )
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert site.ok("status", "--json").json()["draft"]["state"] == "pending"


def test_verbose_logs_never_hold_request_bodies_or_response_urls(
    site: SlackSite, app: RunningApp, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.logs import setup_logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    setup_logging(verbose=True, fmt="text")
    try:
        sent = app.driver.command("status", user=ALICE)
        eventually(lambda: site.slack.responses(sent.response_url), what="the status answer")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        setup_logging(verbose=False, fmt="text")
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
    logged = capsys.readouterr().err

    assert "/response/" not in logged
    assert "response_url" not in logged and "command=%2Frelease-train" not in logged


def test_status_answers_at_once_while_syncs_wait_on_a_slow_jira(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.fakes.jira import FakeJira

    with FakeJira(mode="cloud") as jira:
        site = build_site(tmp_path, fake_slack, jira)
        site.merge("feat: add refund reason", minutes=5)
        site.ok("sync")
        with running_app(site, monkeypatch) as app:
            jira.latency = 1.5  # every Jira answer now takes a second and a half
            syncs = [app.driver.command("sync", user=ALICE) for _ in range(4)]
            asked = time.monotonic()
            status = app.driver.command("status", user=ALICE)
            eventually(lambda: site.slack.responses(status.response_url), what="the status")
            took = time.monotonic() - asked
            for sent in syncs:
                eventually(
                    lambda sent=sent: site.slack.responses(sent.response_url),
                    what="a sync's answer",
                    timeout=60,
                )
            jira.latency = 0.0
        jira.assert_faithful()

    assert took < 1.5, f"status waited {took:.1f} s behind the syncs"
