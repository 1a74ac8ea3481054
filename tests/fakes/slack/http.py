"""The fake Slack's HTTP side: a threaded loopback server that decodes Web API calls as Slack does.

Slack reads the token from `Authorization: Bearer` (a token in the body is flagged: the bot
never sends one there), JSON bodies only for the methods that accept them, form bodies for all,
and JSON-valued form fields (`blocks`, `metadata`, `view`) as JSON strings. Every answer is an
HTTP 200 with `ok`, except a rate limit: HTTP 429 with `Retry-After`.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback import QuietHandler

FAULT_KINDS = ("ratelimited", "error", "commit_then_drop", "drop")
_JSON_FIELDS = ("blocks", "metadata", "view", "attachments")


@dataclass(frozen=True, slots=True)
class Call:
    """One Web API call as the fake saw it (the token never recorded).

    `status` is the HTTP status (None when the fake dropped the connection); `error` the
    `error` of an `ok: false` answer; `encoding` "json" or "form".
    """

    method: str
    args: dict[str, Any]
    encoding: str
    status: int | None
    error: str | None


@dataclass(frozen=True, slots=True)
class Fault:
    method: str  # a Web API method name, or "*"
    kind: str
    retry_after: int | None
    error: str | None

    def matches(self, method: str) -> bool:
        return self.method in ("*", method)


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any  # a dict sent as JSON, or text
    headers: dict[str, str]


class Decoded:
    """A request body decoded as Slack would, or the reason it cannot be."""

    def __init__(self, *, content_type: str, raw: bytes, query: str) -> None:
        self.args: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
        self.encoding = "json" if content_type.startswith("application/json") else "form"
        self.problem: str | None = None
        if not raw:
            return
        if self.encoding == "json":
            self._json(raw)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            self._form(raw)
        else:
            self.problem = f"unexpected Content-Type {content_type!r}"

    def _json(self, raw: bytes) -> None:
        try:
            body = json.loads(raw)
        except ValueError:
            self.problem = "invalid_json"
            return
        if not isinstance(body, dict):
            self.problem = "invalid_json"
            return
        self.args.update(body)

    def _form(self, raw: bytes) -> None:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
        self.args.update({k: v[-1] for k, v in fields.items()})
        for name in _JSON_FIELDS:
            if isinstance(self.args.get(name), str):
                try:
                    self.args[name] = json.loads(self.args[name])
                except ValueError:
                    self.problem = f"invalid_{name}_format"


Handler = Callable[..., "Reply | None"]  # (*, verb, path, auth, body)


def method_of(path: str) -> str | None:
    match = re.fullmatch(r"/api/([A-Za-z]+(?:\.[A-Za-z]+)+)", path)
    return match.group(1) if match else None


def handler_class(handle: Handler) -> type[BaseHTTPRequestHandler]:
    class SlackRequestHandler(QuietHandler):
        timeout = 30

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            decoded = Decoded(
                content_type=self.headers.get("Content-Type") or "", raw=raw, query=parts.query
            )
            auth = self.headers.get("Authorization")
            reply = handle(verb=self.command, path=parts.path, auth=auth, body=decoded)
            if reply is None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            if isinstance(reply.body, str):
                payload, kind = reply.body.encode("utf-8"), "text/plain; charset=utf-8"
            else:
                payload, kind = json.dumps(reply.body).encode("utf-8"), "application/json"
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve  # noqa: N815 - http.server dispatches on these names

    return SlackRequestHandler
