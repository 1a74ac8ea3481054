"""The Bolt app built from the settings, for `serve` to start (Socket Mode) or mount (HTTP).

`build_slack_app` makes the App (its Web API client pointed at `slack.api_url`) and registers
every listener. `asgi_handler` gives the ASGI callable for `POST /slack/events`: the gate
(`bot.slack_app.gate`) refuses what Slack would not send — too large, unsigned, stale, badly
signed, not UTF-8, malformed — with a 4xx and one INFO line, before Bolt sees it (Bolt checks the
signature again); dispatch runs on a worker thread so one slow request never holds the event
loop. Listeners acknowledge first and hand slow
work to a pool of its kind (`bot.slack_app.pools`); `process_before_response` makes the
acknowledgement the HTTP answer as soon as the listener returns. Building it makes no network call.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.slack_app import actions, commands, home, views
from bot.slack_app.desk import Desk
from bot.slack_app.gate import MAX_BODY, Refusal, declared_too_large, refusal
from bot.slack_app.pools import WorkPools

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def build_slack_app(
    *,
    bot_token: str,
    signing_secret: str | None,
    api_url: str,
    command: str,
    desk: Desk,
    pools: WorkPools,
) -> App:
    """The Bolt app with every listener; requests are verified by `signing_secret` (HTTP mode)
    or arrive over the socket (Socket Mode: None)."""
    base = api_url if api_url.endswith("/") else api_url + "/"
    app = App(
        signing_secret=signing_secret or "",
        client=WebClient(token=bot_token, base_url=base, retry_handlers=[]),
        token_verification_enabled=False,
        request_verification_enabled=signing_secret is not None,
        process_before_response=True,
    )
    commands.register(app, desk=desk, command=command, pools=pools)
    actions.register(app, desk=desk, pools=pools)
    views.register(app, desk=desk, pools=pools)
    home.register(app, desk=desk, pools=pools)
    return app


def asgi_handler(app: App, *, signing_secret: str | None) -> ASGIApp:
    """An ASGI app answering Slack's requests at POST /slack/events (404/405 elsewhere);
    `signing_secret` is what every request must be signed with (HTTP mode)."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope.get("path") != EVENTS_PATH:
            await _answer(send, 404, b"not found", {})
            return
        if scope.get("method") != "POST":
            await _answer(send, 405, b"method not allowed", {})
            return
        headers = _headers(scope)
        declared = declared_too_large({k: v[0] for k, v in headers.items()})
        body = None if declared else await _read_body(receive, limit=MAX_BODY)
        refused = declared or (
            Refusal(413, f"its body is over {MAX_BODY} bytes") if body is None else None
        )
        if body is not None and refused is None:
            first = {k: v[0] for k, v in headers.items()}
            refused = refusal(first, body, signing_secret=signing_secret, now=time.time())
        if refused is not None or body is None:
            await _refuse(send, refused or Refusal(400, "it has no body"))
            return
        query = (scope.get("query_string") or b"").decode("latin-1")
        request = BoltRequest(body=body.decode("utf-8"), query=query, headers=dict(headers))
        response = await asyncio.get_running_loop().run_in_executor(None, app.dispatch, request)
        out = {k: v[0] for k, v in response.headers.items() if v}
        await _answer(send, response.status, (response.body or "").encode("utf-8"), out)

    return handle


def _headers(scope: Scope) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in scope.get("headers") or []:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        headers.setdefault(key, []).append(text)
    return headers


async def _read_body(receive: Receive, *, limit: int) -> bytes | None:
    """The whole body, or None as soon as it grows past `limit` (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _refuse(send: Send, refused: Refusal) -> None:
    log.info(
        "refused a request to %s (HTTP %d): %s",
        EVENTS_PATH,
        refused.status,
        refused.reason,
        extra={"event": "slack_request_refused", "status": refused.status},
    )
    await _answer(send, refused.status, f"{refused.reason}\n".encode(), {})


async def _answer(send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    if not any(name == b"content-type" for name, _ in raw):
        raw.append((b"content-type", b"text/plain; charset=utf-8"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
