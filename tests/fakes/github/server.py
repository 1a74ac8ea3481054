"""A fake GitHub REST API over real HTTP on 127.0.0.1, stateful and recording every request.

It answers the endpoints the github source reads, with GitHub's JSON shapes (every body is
checked against the copied OpenAPI schemas into `schema_errors`), `Link` pagination through
`/repositories/{id}/...` URLs as GitHub writes them, weak ETags with 304s on `If-None-Match`,
`x-ratelimit-*` headers counting down (not for 304s), and a primary limit once they run out.
Tests add latency, canned faults, denied repositories and hooks run before each answer.

Use it as a context manager: `with running() as github: ...`.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fakes.github.routes import AnswerError, LoggedRequest, Reply, Routes
from tests.fakes.github.schema import validate
from tests.fakes.github.state import FakeRepo
from tests.fakes.github.views import Views, error
from tests.fakes.loopback import Loopback, QuietHandler

TOKEN = "test-only-github-token-0123456789"
RATE_LIMIT = 5000
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


@dataclass
class Fault:
    """A canned answer for the next `times` requests whose path holds `path_contains`."""

    status: int
    path_contains: str
    headers: dict[str, str]
    body: dict[str, Any]
    times: int


class FakeGitHub:
    """The fake server; `url` is the API base to hand to the client (with any GHE prefix)."""

    def __init__(
        self, *, token: str = TOKEN, prefix: str = "", latency: float = 0.0, validate: bool = True
    ) -> None:
        self.token = token
        self.prefix = prefix.rstrip("/")
        self.latency = latency
        self.validate = validate
        self.repos: dict[str, FakeRepo] = {}
        self.requests: list[LoggedRequest] = []
        self.schema_errors: list[str] = []
        self.hooks: list[Callable[[LoggedRequest], None]] = []
        self.remaining = RATE_LIMIT
        self.max_in_flight = 0
        self._in_flight = 0
        self._offset = 0.0
        self._frozen_at: float | None = None
        self.reset_at = int(time.time()) + 3600
        self._faults: list[Fault] = []
        self._denied: dict[str, int] = {}
        self._lock = threading.RLock()
        self._loopback = Loopback(_handler_for(self))

    @property
    def url(self) -> str:
        """The API base URL."""
        return f"{self.origin}{self.prefix}"

    @property
    def origin(self) -> str:
        return self._loopback.origin

    # state and knobs for tests

    def add_repo(self, full_name: str, *, default_branch: str = "main") -> FakeRepo:
        with self._lock:
            repo = FakeRepo(
                full_name=full_name, repo_id=1000 + len(self.repos), default_branch=default_branch
            )
            self.repos[full_name] = repo
            return repo

    def fail(
        self,
        status: int,
        *,
        path_contains: str = "",
        headers: dict[str, str] | None = None,
        message: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` matching requests with `status` (and these headers)."""
        text = message or (SECONDARY_MESSAGE if status in (403, 429) else "Server Error")
        with self._lock:
            self._faults.append(
                Fault(status, path_contains, headers or {}, error(text, status), times)
            )

    def deny(self, full_name: str, status: int = 404) -> None:
        """Every request about this repository answers `status`, as for a repository gone."""
        self._denied[full_name] = status

    def allow(self, full_name: str) -> None:
        """Undo `deny`."""
        self._denied.pop(full_name, None)

    def exhaust(self, *, reset_in: float) -> None:
        """Use up the primary rate limit; it resets `reset_in` seconds from the fake's now."""
        with self._lock:
            self.remaining = 0
            self.reset_at = int(self.now() + reset_in)

    def now(self) -> float:
        """The fake's clock: real (or frozen) time plus whatever tests advanced it by."""
        base = time.time() if self._frozen_at is None else self._frozen_at
        return base + self._offset

    def freeze(self) -> None:
        """Stop the fake's clock at the current time; only `advance` moves it from now on.

        For tests that compare a wait with a reset time: on a loaded machine the real seconds
        between setting the limit and the client reading it would otherwise shorten the wait.
        """
        with self._lock:
            self._frozen_at = time.time()

    def advance(self, seconds: float) -> None:
        """Move the fake's clock on (a test's `sleep`)."""
        with self._lock:
            self._offset += seconds

    def api_requests(self) -> list[LoggedRequest]:
        """The requests so far (a copy)."""
        with self._lock:
            return list(self.requests)

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def start(self) -> FakeGitHub:
        self._loopback.start()
        return self

    def stop(self) -> None:
        self._loopback.stop()

    # answering

    def answer(
        self, method: str, target: str, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for one request (called by the HTTP handler)."""
        arrived = time.monotonic()
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if self.latency:
                time.sleep(self.latency)
            return self._logged(method, target, headers, arrived)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _logged(
        self, method: str, target: str, headers: dict[str, str], arrived: float
    ) -> tuple[int, dict[str, str], bytes]:
        split = urlsplit(target)
        entry = LoggedRequest(
            method=method,
            path=split.path,
            query=dict(parse_qsl(split.query)),
            target=target,
            headers={k.lower(): v for k, v in headers.items() if k.lower() != "authorization"},
            # GitHub takes the older `token` scheme as well as `Bearer`.
            authorized=_auth(headers) in (f"Bearer {self.token}", f"token {self.token}"),
            started=arrived,
        )
        with self._lock:
            self.requests.append(entry)
            for hook in list(self.hooks):
                hook(entry)
            status, out, body = self._answer(entry)
            entry.status, entry.finished = status, time.monotonic()
        return status, out, body

    def _answer(self, entry: LoggedRequest) -> tuple[int, dict[str, str], bytes]:
        if not entry.authorized:
            return self._send(entry, Reply(401, error("Bad credentials", 401), "basic-error"))
        fault = next(
            (f for f in self._faults if f.times > 0 and f.path_contains in entry.path), None
        )
        if fault is not None:
            fault.times -= 1
            return self._send(entry, Reply(fault.status, fault.body, "basic-error", fault.headers))
        if self.now() >= self.reset_at:
            self.remaining, self.reset_at = RATE_LIMIT, int(self.now()) + 3600
        if self.remaining <= 0:
            message = "API rate limit exceeded for user ID 1."
            return self._send(entry, Reply(403, error(message, 403), "basic-error"))
        try:
            reply = self._route(entry)
        except AnswerError as answer:
            reply = Reply(answer.status, error(answer.message, answer.status), "basic-error")
        return self._send(entry, reply)

    def _send(self, entry: LoggedRequest, reply: Reply) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps(reply.body, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            **reply.headers,
        }
        if reply.status == 200:
            etag = f'W/"{hashlib.sha256(body).hexdigest()}"'
            headers.update(
                {
                    "ETag": etag,
                    "Cache-Control": "private, max-age=60, s-maxage=60",
                    "Vary": "Accept, Authorization, Cookie, X-GitHub-OTP",
                }
            )
            wanted = {t.strip() for t in entry.headers.get("if-none-match", "").split(",")}
            if etag in wanted or "*" in wanted:
                return 304, {**self._rate_headers(), "ETag": etag}, b""
        if self.validate and reply.schema is not None:
            for problem in validate(reply.body, reply.schema):
                self.schema_errors.append(f"{entry.method} {entry.path}: {problem}")
        self.remaining = max(0, self.remaining - 1)
        return reply.status, {**self._rate_headers(), **headers}, body

    def _rate_headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(RATE_LIMIT),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset_at),
            "x-ratelimit-used": str(RATE_LIMIT - self.remaining),
            "x-ratelimit-resource": "core",
        }

    def _route(self, entry: LoggedRequest) -> Reply:
        if not entry.path.startswith(f"{self.prefix}/"):
            raise AnswerError(404, "Not Found")
        parts = [unquote(p) for p in entry.path[len(self.prefix) :].split("/")[1:]]
        repo, tail = self._repo_of(parts)
        views = Views(api=self.url, web="https://github.com")
        if not tail and entry.method == "GET":
            return Reply(200, views.repository(repo, full=True), "full-repository")
        if entry.method != "GET":
            raise AnswerError(404, "Not Found")
        return Routes(views, repo, entry, self.url).route(tail)

    def _repo_of(self, parts: list[str]) -> tuple[FakeRepo, list[str]]:
        if len(parts) >= 3 and parts[0] == "repos":
            repo = self.repos.get(f"{parts[1]}/{parts[2]}")
            tail = parts[3:]
        elif len(parts) >= 2 and parts[0] == "repositories":
            repo = next((r for r in self.repos.values() if str(r.id) == parts[1]), None)
            tail = parts[2:]
        else:
            raise AnswerError(404, "Not Found")
        if repo is None or repo.full_name in self._denied:
            raise AnswerError(self._denied.get(repo.full_name, 404) if repo else 404, "Not Found")
        return repo, tail


def _auth(headers: dict[str, str]) -> str:
    return next((v for k, v in headers.items() if k.lower() == "authorization"), "")


def _handler_for(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server dispatches on this name)
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802 (http.server dispatches on this name)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._serve("POST")

        def _serve(self, method: str) -> None:
            status, headers, body = fake.answer(method, self.path, dict(self.headers.items()))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return Handler


@contextmanager
def running(**options: Any) -> Iterator[FakeGitHub]:
    """A started fake GitHub, stopped when the block ends."""
    fake = FakeGitHub(**options).start()
    try:
        yield fake
    finally:
        fake.stop()
