"""A fake GitLab: a real HTTP server on loopback answering the REST API (v4) as GitLab does.

It serves the endpoints the gitlab source reads, under an optional path prefix (a self-managed
instance at `https://host/gitlab`), with `PRIVATE-TOKEN` authentication, GitLab's offset
pagination headers (`x-page`, `x-per-page`, `x-next-page`, `x-prev-page`, and `x-total` /
`x-total-pages` only up to 10,000 items and never for commits), weak ETags on every answer
(304s only when `honour_etags` is set: most of GitLab's API ignores `If-None-Match`), canned
faults (429 with or without rate-limit headers, 5xx, 401...), per-request latency and a log of
every request with the token left out. Test modules import the `gitlab_fake` fixture.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests.fakes.gitlab.routes import Answer, route
from tests.fakes.gitlab.state import FakeProject
from tests.fakes.loopback import Loopback, QuietHandler

TOKEN = "glpat-fake-0123456789abcdef"
_HIDDEN_HEADERS = frozenset({"private-token", "authorization"})


@dataclass
class FakeRequest:
    """One request as the fake received it; the token headers are left out."""

    method: str
    target: str  # the request target exactly as sent: path (still percent-encoded) and query
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int = 0


@dataclass
class Fault:
    """A canned answer for the next request whose raw path contains `path` (any when None)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    path: str | None = None


class FakeGitLab:
    """The fake server and its state; use as a context manager (or the `gitlab_fake` fixture)."""

    def __init__(self, *, token: str = TOKEN, prefix: str = "") -> None:
        self.token = token
        self.prefix = prefix.rstrip("/")
        self.projects: dict[int, FakeProject] = {}
        self.forbidden: set[int] = set()
        self.requests: list[FakeRequest] = []
        self.faults: list[Fault] = []
        self.latency = 0.0
        self.honour_etags = False
        self.before: Callable[[FakeRequest], None] | None = None
        self.lock = threading.RLock()
        self.in_flight = 0
        self.peak_in_flight = 0
        self._loopback: Loopback | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> FakeGitLab:
        self._loopback = Loopback(_handler_for(self))
        self._loopback.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loopback is not None:
            self._loopback.stop()

    @property
    def origin(self) -> str:
        assert self._loopback is not None, "the fake is not running"
        return self._loopback.origin

    @property
    def url(self) -> str:
        """The instance URL a client is given (with the prefix)."""
        return f"{self.origin}{self.prefix}"

    # -- state -----------------------------------------------------------------------------

    def add_project(
        self, path: str, *, default_branch: str = "main", start: datetime | None = None
    ) -> FakeProject:
        with self.lock:
            project = FakeProject(
                id=100 + len(self.projects),
                path=path,
                default_branch=default_branch,
                base=self.url,
                start=start or datetime(2020, 1, 1, tzinfo=UTC),
            )
            self.projects[project.id] = project
            return project

    def project(self, key: str) -> FakeProject | None:
        """A project by numeric id or by path (GitLab matches paths without regard to case)."""
        for project in self.projects.values():
            if key == str(project.id) or key.lower() == project.path.lower():
                return project
        return None

    def fail(
        self,
        status: int,
        *,
        path: str | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` matching requests with `status`."""
        body = {"message": f"{status} {_REASON.get(status, 'Error')}"}
        for _ in range(times):
            self.faults.append(Fault(status=status, headers=headers or {}, body=body, path=path))

    # -- the log ---------------------------------------------------------------------------

    def served(self, contains: str = "") -> list[FakeRequest]:
        """Requests whose raw path contains `contains`, in arrival order."""
        with self.lock:
            return [r for r in self.requests if contains in r.path]

    def clear_log(self) -> None:
        with self.lock:
            self.requests.clear()

    # -- answering -------------------------------------------------------------------------

    def answer(self, request: FakeRequest, token: str | None, if_none_match: str | None) -> Answer:
        with self.lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            return self._answer(request, token, if_none_match)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _answer(self, request: FakeRequest, token: str | None, if_none_match: str | None) -> Answer:
        if self.latency:
            time.sleep(self.latency)
        if self.before is not None:
            self.before(request)
        with self.lock:
            fault = next((f for f in self.faults if f.path is None or f.path in request.path), None)
            if fault is not None:
                self.faults.remove(fault)
                return Answer(fault.status, fault.body, headers=dict(fault.headers))
            api = f"{self.prefix}/api/v4/"
            if not request.path.startswith(api):
                return Answer(404, {"error": "404 Not Found"})
            if token != self.token:
                return Answer(401, {"message": "401 Unauthorized"})
            answer = route(self, request.path[len(api) :].split("/"), request.query)
        return self._conditional(answer, if_none_match)

    def _conditional(self, answer: Answer, if_none_match: str | None) -> Answer:
        answer.encode()
        if answer.status == 200:
            answer.headers["ETag"] = f'W/"{hashlib.md5(answer.raw).hexdigest()}"'  # noqa: S324
            if self.honour_etags and if_none_match == answer.headers["ETag"]:
                return Answer(304, None, headers={"ETag": answer.headers["ETag"]})
        return answer

    def link(self, request: FakeRequest, page: int) -> str:
        query = {**request.query, "page": str(page)}
        return f"<{self.origin}{request.path}?{urlencode(query)}>"


_REASON = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def _handler_for(fake: FakeGitLab) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        # One write per answer, sent at once: split small writes meet delayed ACKs on loopback.
        wbufsize = 1 << 16

        def do_GET(self) -> None:  # noqa: N802 (http.server dispatches on this name)
            parts = urlsplit(self.path)
            request = FakeRequest(
                method="GET",
                target=self.path,
                path=parts.path,
                query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                headers={k: v for k, v in self.headers.items() if k.lower() not in _HIDDEN_HEADERS},
            )
            with fake.lock:
                fake.requests.append(request)
            token = self.headers.get("PRIVATE-TOKEN")
            answer = fake.answer(request, token, self.headers.get("If-None-Match"))
            request.status = answer.status
            self._send(answer, request)

        def _send(self, answer: Answer, request: FakeRequest) -> None:
            body = answer.encode() if answer.status != 304 else b""
            self.send_response(answer.status)
            headers = dict(answer.headers)
            if answer.pages is not None:
                headers.update(answer.pages.headers(lambda page: fake.link(request, page)))
            if answer.status != 304:
                headers.setdefault("Content-Type", "application/json")
            headers["Content-Length"] = str(len(body))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


@pytest.fixture
def gitlab_fake() -> Iterator[FakeGitLab]:
    """A running fake GitLab (no path prefix), stopped after the test."""
    with FakeGitLab() as fake:
        yield fake
