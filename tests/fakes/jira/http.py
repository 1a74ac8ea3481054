"""The fake Jira's HTTP side: a threaded loopback server, its request log, faults and checks."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.jira.schema import JiraSpec
from tests.fakes.jira.state import ApiError
from tests.fakes.loopback import Loopback, QuietHandler

FAULT_KINDS = (
    "rate_limited",
    "unavailable",
    "unauthorized",
    "forbidden",
    "commit_then_drop",
    "drop",
)
READ_ONLY_POSTS = re.compile(r"^/rest/api/[23]/search(/jql)?$")


@dataclass(frozen=True, slots=True)
class Request:
    """One request as the fake saw it; `auth` is only the scheme (Basic, Bearer) or None."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    auth: str | None
    status: int | None  # None when the fake dropped the connection instead of answering
    at: float = 0.0  # when it arrived, in time.monotonic() seconds

    @property
    def is_write(self) -> bool:
        """Whether the request may change state (a POSTed search is a read)."""
        if self.method == "POST" and READ_ONLY_POSTS.match(self.path):
            return False
        return self.method in ("POST", "PUT", "DELETE")


@dataclass(frozen=True, slots=True)
class Call:
    """What a route handler gets: the request, the API version in the path and the path's groups."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    version: str
    args: tuple[str, ...]

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def params(self, name: str) -> list[str]:
        """Every value of a repeatable, comma-separated parameter."""
        return [v for raw in self.query.get(name, []) for v in raw.split(",") if v]


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Fault:
    method: str
    pattern: re.Pattern[str]
    kind: str
    retry_after: int | None
    reason: str | None

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and self.pattern.search(path) is not None


Handler = Callable[[Call], Reply]
Route = tuple[str, re.Pattern[str], Handler]


def error_reply(error: ApiError) -> Reply:
    body = {"errorMessages": error.messages, "errors": error.errors}
    return Reply(error.status, body, error.headers)


def _fault_reply(fault: Fault) -> Reply:
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    if fault.kind == "rate_limited":
        headers["RateLimit-Reason"] = fault.reason or "jira-per-issue-on-write"
        return error_reply(ApiError(429, "Rate limit exceeded.", headers=headers))
    if fault.kind == "unavailable":
        return error_reply(ApiError(503, "Service unavailable.", headers=headers))
    if fault.kind == "unauthorized":
        return error_reply(ApiError(401, "Client must be authenticated to access this resource."))
    return error_reply(ApiError(403, "You do not have permission to perform this operation."))


class HttpFake:
    """Serves `routes` on 127.0.0.1 in a thread; every exchange is logged and checked."""

    def __init__(
        self,
        *,
        authorize: Callable[[str | None, str], bool],
        gate: Callable[[str, str], ApiError | None],
        latency: float = 0.0,
    ) -> None:
        self.routes: list[Route] = []  # set by the owner once base_url is known
        self.latency = latency  # seconds added before every answer, as a distant server would
        # (method, path regex, seconds): answers to matching requests wait that much longer.
        self.slow: list[tuple[str, re.Pattern[str], float]] = []
        self._authorize = authorize
        self._gate = gate
        self._spec = JiraSpec.load()
        self.lock = threading.RLock()
        self.log: list[Request] = []
        self.faults: list[Fault] = []
        self.violations: list[str] = []
        self._loopback = Loopback(_handler_class(self))

    @property
    def base_url(self) -> str:
        return self._loopback.origin

    def start(self) -> None:
        self._loopback.start()

    def stop(self) -> None:
        self._loopback.stop()

    def exchange(self, *, method: str, target: str, auth: str | None, raw: bytes) -> Reply | None:
        """Answer one request; None means: drop the connection without answering."""
        parts = urlsplit(target)
        path, query = parts.path.rstrip("/") or "/", parse_qs(parts.query, keep_blank_values=True)
        reply: Reply | None = None
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
            reply = Reply(400, {"errorMessages": ["Unexpected character in the JSON body."]})
        arrived = time.monotonic()
        with self.lock:
            index = len(self.log)
            scheme = auth.split(" ", 1)[0] if auth else None
            self.log.append(Request(method, path, query, body, scheme, None, arrived))
            self.violations += self._spec.check_request(
                method=method, path=path, query=query, body=body
            )
            fault = self._take_fault(method, path)
            if reply is None:
                reply = self._answer(method, path, query, body, auth, fault)
            status = None if reply is None else reply.status
            self.log[index] = Request(method, path, query, body, scheme, status, arrived)
            if reply is not None:
                self.violations += self._spec.check_response(
                    method=method, path=path, query=query, status=reply.status, body=reply.body
                )
        delay = self.latency + sum(
            seconds
            for verb, pattern, seconds in self.slow
            if verb in ("*", method) and pattern.search(path)
        )
        if delay:
            time.sleep(delay)  # outside the lock: concurrent requests wait side by side
        return reply

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for index, fault in enumerate(self.faults):
            if fault.matches(method, path):
                return self.faults.pop(index)
        return None

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        auth: str | None,
        fault: Fault | None,
    ) -> Reply | None:
        if fault is not None and fault.kind == "drop":
            return None
        if fault is not None and fault.kind != "commit_then_drop":
            return _fault_reply(fault)
        if not self._authorize(auth, path):
            return error_reply(
                ApiError(401, "Client must be authenticated to access this resource.")
            )
        reply = self._route(method, path, query, body)
        return None if fault is not None else reply

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Reply:
        refusal = self._gate(method, path)
        if refusal is not None:
            return error_reply(refusal)
        known_path = False
        for route_method, pattern, handler in self.routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            known_path = True
            if route_method != method:
                continue
            version = match.groupdict().get("v") or ""
            args = tuple(v for k, v in match.groupdict().items() if k != "v")
            try:
                return handler(Call(method, path, query, body, version, args))
            except ApiError as error:
                return error_reply(error)
            except Exception as error:
                # A bug in the fake must fail the test that met it, not surface as a hang.
                self.violations.append(f"{method} {path}: the fake itself failed: {error!r}")
                return error_reply(ApiError(500, "Internal server error."))
        if known_path:
            return error_reply(ApiError(405, f"Method {method} is not allowed here."))
        return error_reply(ApiError(404, "Null for uri: " + path))


def _handler_class(fake: HttpFake) -> type[BaseHTTPRequestHandler]:
    class JiraRequestHandler(QuietHandler):
        timeout = 30

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            reply = fake.exchange(
                method=self.command,
                target=self.path,
                auth=self.headers.get("Authorization"),
                raw=raw,
            )
            if reply is None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            payload = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if payload:
                self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        # http.server dispatches on these exact names.
        do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815

    return JiraRequestHandler
