"""The GitHub REST client shared by every github source: auth, conditional GETs, rate limits."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from bot.adapters.sources.shared import (
    GatedClient,
    HttpGate,
    doubling,
    header_number,
    retry_after,
)
from bot.errors import AuthError, RateLimitedError, ServiceError

log = logging.getLogger(__name__)

API_VERSION = "2022-11-28"
USER_AGENT = "release-train"
# Unlike GitLab's one budget, limits and failures count apart: GitHub names when its limit
# resets, so a few long waits are worth it, while a failing server earns only short retries.
RATE_LIMIT_RETRIES = 3  # waits for a primary or secondary rate limit, per request
SERVER_RETRIES = 2  # retries of a 5xx answer or a broken connection, per request
SERVER_BACKOFF = 1.0  # seconds before the first server retry; doubles each time
SECONDARY_WAIT = 60.0  # GitHub's advice for a secondary limit that names no wait
MAX_WAIT = 900.0  # a limit resetting later than this fails the sync instead of stalling it
MAX_PAGES = 30  # pages read at most from one listing (3,000 items at 100 a page)

Params = Mapping[str, str | int]


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer: 200 with its decoded body, or 304 (`body` None) when the ETag still holds.

    The next page is a URL, not a number as for GitLab: GitHub pages some listings by cursor
    and documents following its `Link` header, so only that URL leads on.
    """

    status: int
    body: Any
    etag: str | None
    next_url: str | None

    @property
    def not_modified(self) -> bool:
        """Whether the server answered 304 to a conditional request."""
        return self.status == 304


class _Budget:
    """What is left of one request's retries."""

    def __init__(self) -> None:
        self.limited = 0
        self.failed = 0


class GitHubClient(GatedClient):
    """Thread-safe GETs against GitHub or GitHub Enterprise Server (`https://HOST/api/v3`).

    At most `concurrency` requests are in flight at once across every thread; waits for a
    rate limit happen outside that bound. The token travels only in the Authorization header
    and never appears in a log line or an error. Primary rate limits wait until the reset time,
    secondary ones for `retry-after` (or 60 s doubling), each at most RATE_LIMIT_RETRIES times;
    5xx answers and broken connections are retried SERVER_RETRIES times with a growing pause.
    Only GETs are sent, so a retry never does anything twice.
    """

    def __init__(
        self,
        *,
        api_url: str,
        token: str,
        concurrency: int,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._on_answer: Callable[[], None] | None = None
        self._base = api_url.rstrip("/")
        parts = urlsplit(self._base)
        self._origin = (parts.scheme, parts.netloc)
        self._sleep = sleep
        self._clock = clock
        self._http = HttpGate(
            headers={
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": USER_AGENT,
                "Authorization": f"Bearer {token}",
            },
            concurrency=concurrency,
            timeout=timeout,
            # Renamed repositories answer 301 to their new home; httpx drops the Authorization
            # header on a redirect to another host.
            follow_redirects=True,
        )

    @property
    def host(self) -> str:
        """The API's host, for messages."""
        return self._origin[1]

    def get(
        self,
        path: str,
        *,
        subject: str,
        params: Params | None = None,
        etag: str | None = None,
    ) -> Reply:
        """GET an API path (joined to the base URL) or a `Link` URL of this API.

        `subject` names what is being read (e.g. `acme/api`) in errors. With `etag` the request
        is conditional and a 304 comes back as a Reply whose `not_modified` is true.
        """
        url = self._url(path, subject=subject)
        headers = {"If-None-Match": etag} if etag else {}
        budget = _Budget()
        while True:
            try:
                response = self._http.get(url, params=params, headers=headers)
            except httpx.TransportError as exc:
                self._sleep(self._server_wait(budget, subject=subject, cause=type(exc).__name__))
                continue
            log.debug("GitHub GET %s -> %s", urlsplit(url).path, response.status_code)
            wait = self._wait_for(response, budget, subject=subject)
            if wait is None:
                reply = self._reply(response, subject=subject)
                if self._on_answer is not None:
                    self._on_answer()
                return reply
            self._sleep(wait)

    def pages(
        self, path: str, *, subject: str, params: Params | None = None
    ) -> Iterator[list[Any]]:
        """The pages of a listing, following `Link: rel="next"`, at most MAX_PAGES."""
        reply = self.get(path, subject=subject, params=params)
        for count in range(1, MAX_PAGES + 1):
            yield _as_list(reply.body, subject=subject)
            if reply.next_url is None:
                return
            if count < MAX_PAGES:
                reply = self.get(reply.next_url, subject=subject)
        log.warning("GitHub listing %s for %s stopped after %d pages", path, subject, MAX_PAGES)

    def _url(self, path: str, *, subject: str) -> str:
        if not path.startswith(("http://", "https://")):
            return f"{self._base}/{path.lstrip('/')}"
        parts = urlsplit(path)
        if (parts.scheme, parts.netloc) != self._origin:
            # The token must never travel to another host, whatever a Link header says.
            raise ServiceError(
                f"GitHub pointed the listing of {subject} at another host ({parts.netloc})."
            )
        return path

    def _wait_for(self, response: httpx.Response, budget: _Budget, *, subject: str) -> float | None:
        """Seconds to wait before retrying, or None when the response is final."""
        status = response.status_code
        if status in (403, 429) and _is_rate_limited(response):
            return self._limit_wait(response, budget, subject=subject)
        if status >= 500:
            return self._server_wait(budget, subject=subject, cause=f"HTTP {status}")
        return None

    def _limit_wait(self, response: httpx.Response, budget: _Budget, *, subject: str) -> float:
        budget.limited += 1
        if budget.limited > RATE_LIMIT_RETRIES:
            raise RateLimitedError(
                f"GitHub kept answering {response.status_code} (rate limited) for {subject} "
                f"after {RATE_LIMIT_RETRIES} waits; the next sync will try again."
            )
        headers = response.headers
        asked = retry_after(headers.get("retry-after"), now=self._clock())
        reset = header_number(headers.get("x-ratelimit-reset"))
        if asked is not None:
            wait = asked
        elif headers.get("x-ratelimit-remaining") == "0" and reset is not None:
            wait = reset - self._clock() + 1.0  # a second's margin: reset is whole seconds
        else:
            wait = doubling(SECONDARY_WAIT, budget.limited)
        wait = max(wait, 1.0)
        if wait > MAX_WAIT:
            raise RateLimitedError(
                f"GitHub's rate limit for {subject} resets only in {wait / 60:.0f} minutes; "
                "the next sync will try again."
            )
        log.warning("GitHub rate limit reading %s: waiting %.0f s", subject, wait)
        return wait

    def _server_wait(self, budget: _Budget, *, subject: str, cause: str) -> float:
        budget.failed += 1
        if budget.failed > SERVER_RETRIES:
            raise ServiceError(
                f"GitHub at {self.host} failed while reading {subject} ({cause}) "
                f"{SERVER_RETRIES + 1} times in a row."
            )
        return doubling(SERVER_BACKOFF, budget.failed)

    def _reply(self, response: httpx.Response, *, subject: str) -> Reply:
        status = response.status_code
        etag = response.headers.get("etag")
        if status == 304:
            return Reply(status=304, body=None, etag=etag, next_url=None)
        if status != 200:
            raise _status_error(response, subject=subject)
        try:
            body = response.json()
        except ValueError as exc:
            raise ServiceError(f"GitHub answered {subject} with a body that is not JSON.") from exc
        return Reply(
            status=200, body=body, etag=etag, next_url=response.links.get("next", {}).get("url")
        )


def _status_error(response: httpx.Response, *, subject: str) -> ServiceError:
    status = response.status_code
    where = f"{subject} (GET {urlsplit(str(response.request.url)).path})"
    if status == 401:
        return AuthError(
            f"GitHub rejected the token (401 Unauthorized) for {where}; "
            "check RELEASE_TRAIN_GITHUB__TOKEN."
        )
    if status == 403:
        return AuthError(
            f"GitHub refused {where} (403 Forbidden): the token lacks a permission it needs."
        )
    if status == 404:
        return ServiceError(
            f"GitHub answered 404 Not Found for {where}: the repository or branch does not "
            "exist, or the token cannot see it."
        )
    return ServiceError(f"GitHub answered {status} for {where}.")


def _is_rate_limited(response: httpx.Response) -> bool:
    """A primary or secondary limit, as opposed to a plain 403 refusal."""
    headers = response.headers
    if headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers:
        return True
    if response.status_code == 429:
        return True
    try:
        message = str(response.json().get("message", ""))
    except (ValueError, AttributeError):
        return False
    return "rate limit" in message.lower()


def _as_list(body: Any, *, subject: str) -> list[Any]:
    if not isinstance(body, list):
        raise ServiceError(f"GitHub answered a listing of {subject} with something not a list.")
    return body
