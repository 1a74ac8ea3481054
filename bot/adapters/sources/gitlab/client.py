"""The HTTP client of GitLab's REST API (v4): bounded concurrency, retries, paging, our errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from bot.adapters.sources.shared import (
    GatedClient,
    HttpGate,
    doubling,
    header_number,
    retry_after,
)
from bot.errors import ConfigError, ServiceError

log = logging.getLogger(__name__)

USER_AGENT = "release-train (gitlab source)"
PER_PAGE = 100
# One budget of attempts and total wait for limits and failures alike, unlike GitHub's two:
# GitLab's 429s often say nothing of when the limit resets, so they retry like any failure.
MAX_ATTEMPTS = 6  # one request and at most five retries
MAX_WAIT = 300.0  # a longer wait asked for by the server fails the sync instead
MAX_TOTAL_WAIT = 600.0  # all the waits of one request together
MAX_PAGES = 200  # a server that never stops paging is a broken server
RETRIED = frozenset({429, 500, 502, 503, 504})
# GitLab's rate limiter often answers 429 without any header; waiting seconds, not
# milliseconds, gives its per-minute window a chance to move on.
RATE_LIMIT_BACKOFF = (5.0, 60.0)  # first wait, largest wait; doubling in between
ERROR_BACKOFF = (1.0, 30.0)
_REASONS = {
    401: "refused the token (401 Unauthorized) while reading {subject}; check the GitLab token",
    403: "denied access to {subject} (403 Forbidden); the token needs the read_api scope and "
    "at least the Reporter role",
    404: "does not know {subject}, or hides it from the token (404 Not Found)",
}


class NotFoundError(ServiceError):
    """GitLab answered 404: the project, branch or commit is unknown or hidden from the token."""


def encode_segment(value: str) -> str:
    """One path segment of an API URL: `group/sub/proj` becomes `group%2Fsub%2Fproj`."""
    return quote(value, safe="")


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer of the API: 200 with its JSON, or 304 when the validator still holds.

    Unlike GitHub's, it carries a page number (GitLab pages by offset, `x-next-page`) and the
    server's Date, which the merge request listing takes as the time it began.
    """

    status: int
    data: Any
    etag: str | None
    next_page: int | None
    server_time: float | None  # the Date header, as a Unix time


class GitLabClient(GatedClient):
    """GitLab's REST API for every gitlab source of one service, safe to share across threads.

    `url` is the instance (`https://gitlab.com`, or a self-managed one with any path prefix);
    the API lives under `<url>/api/v4`. The token travels only in the `PRIVATE-TOKEN` header.
    At most `concurrency` requests are in flight at once. 429 and 5xx answers and network
    failures are retried (GETs only): no sooner than `Retry-After` says, else until
    `RateLimit-Reset`, else after an exponential backoff, within a bounded budget. Every
    failure surfaces as a ServiceError naming GitLab and what was being read.
    """

    def __init__(
        self,
        *,
        url: str,
        token: str,
        concurrency: int,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        parts = urlsplit(str(url).strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"gitlab.url: {parts.scheme}://{parts.hostname} is not an http(s) URL"
            )
        port = f":{parts.port}" if parts.port else ""
        # Credentials in the URL are dropped: the token header is the only way in.
        self.base_url = f"{parts.scheme}://{parts.hostname}{port}{parts.path.rstrip('/')}"
        self.api_url = f"{self.base_url}/api/v4"
        self._sleep = sleep
        self._clock = clock
        self._on_answer: Callable[[], None] | None = None
        self._http = HttpGate(
            headers={
                "PRIVATE-TOKEN": token,
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            concurrency=concurrency,
            timeout=timeout,
            # httpx would carry PRIVATE-TOKEN (not an Authorization header) to wherever a
            # redirect points, so a redirect is an error instead (see `_reply`).
            follow_redirects=False,
        )

    def now(self) -> float:
        """The current Unix time, from the clock the client was given."""
        return self._clock()

    def get(
        self,
        path: str,
        *,
        subject: str,
        params: Mapping[str, str] | None = None,
        etag: str | None = None,
    ) -> Reply:
        """GET `<api>/<path>`; `subject` names what is read for error messages.

        With `etag`, the request is conditional and a 304 comes back as a Reply with no data.
        """
        waited = 0.0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response, failure = self._attempt(path, params=params, etag=etag)
            if response is not None and response.status_code not in RETRIED:
                reply = self._reply(response, subject=subject)
                if self._on_answer is not None:
                    self._on_answer()
                return reply
            delay = self._delay(response, attempt=attempt)
            if delay > MAX_WAIT:
                raise ServiceError(
                    f"GitLab at {self.base_url} asked to wait {delay:.0f} s before reading "
                    f"{subject} again; the sync gives up for now."
                )
            if attempt == MAX_ATTEMPTS or waited + delay > MAX_TOTAL_WAIT:
                break
            log.warning(
                "GitLab %s for %s; retrying in %.1f s (attempt %d of %d)",
                failure,
                subject,
                delay,
                attempt + 1,
                MAX_ATTEMPTS,
            )
            self._sleep(delay)
            waited += delay
        raise ServiceError(
            f"GitLab at {self.base_url} {failure} while reading {subject}, "
            f"after {attempt} attempt(s) over {waited:.0f} s."
        )

    def pages(
        self, path: str, *, subject: str, params: Mapping[str, str] | None = None
    ) -> Iterator[Reply]:
        """Every page of a list, following `x-next-page` (totals are not always sent)."""
        page = 1
        for _ in range(MAX_PAGES):
            query = {**(params or {}), "per_page": str(PER_PAGE), "page": str(page)}
            reply = self.get(path, subject=subject, params=query)
            yield reply
            if reply.next_page is None or not isinstance(reply.data, list):
                return
            page = reply.next_page
        raise ServiceError(
            f"GitLab at {self.base_url} kept paging {subject} beyond {MAX_PAGES} pages."
        )

    def get_all(
        self, path: str, *, subject: str, params: Mapping[str, str] | None = None
    ) -> list[Any]:
        """The items of every page of a list."""
        items: list[Any] = []
        for reply in self.pages(path, subject=subject, params=params):
            items.extend(reply.data if isinstance(reply.data, list) else [])
        return items

    def _attempt(
        self, path: str, *, params: Mapping[str, str] | None, etag: str | None
    ) -> tuple[httpx.Response | None, str]:
        headers = {"If-None-Match": etag} if etag else None
        try:
            response = self._http.get(f"{self.api_url}/{path}", params=params, headers=headers)
        except httpx.TransportError as exc:
            return None, f"is unreachable ({type(exc).__name__})"
        return response, f"answered {response.status_code}"

    def _reply(self, response: httpx.Response, *, subject: str) -> Reply:
        status = response.status_code
        if status == 304:
            return Reply(304, None, response.headers.get("etag"), None, self._date(response))
        if status in _REASONS:
            error = NotFoundError if status == 404 else ServiceError
            reason = _REASONS[status].format(subject=subject)
            raise error(f"GitLab at {self.base_url} {reason}.")
        if 300 <= status < 400:
            raise ServiceError(
                f"GitLab at {self.base_url} redirected the request for {subject} elsewhere "
                f"({status}); set the GitLab url to the instance's final address."
            )
        if not 200 <= status < 300:
            raise ServiceError(
                f"GitLab at {self.base_url} answered {status} while reading {subject}."
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise ServiceError(
                f"GitLab at {self.base_url} answered something other than JSON for {subject}."
            ) from exc
        return Reply(
            status=status,
            data=data,
            etag=response.headers.get("etag"),
            next_page=_next_page(response),
            server_time=self._date(response),
        )

    def _delay(self, response: httpx.Response | None, *, attempt: int) -> float:
        """How long to wait before the next attempt, from what the server said if anything."""
        if response is not None:
            asked = retry_after(response.headers.get("retry-after"), now=self._clock())
            if asked is not None:
                return asked
            if response.status_code == 429:
                reset = header_number(response.headers.get("ratelimit-reset"))
                if reset is not None and reset > self._clock():
                    # A Unix time read against our own clock: capped, as the clocks may differ.
                    return min(reset - self._clock(), RATE_LIMIT_BACKOFF[1])
                return doubling(RATE_LIMIT_BACKOFF[0], attempt, largest=RATE_LIMIT_BACKOFF[1])
        return doubling(ERROR_BACKOFF[0], attempt, largest=ERROR_BACKOFF[1])

    @staticmethod
    def _date(response: httpx.Response) -> float | None:
        try:
            return parsedate_to_datetime(response.headers.get("date", "")).timestamp()
        except (TypeError, ValueError):
            return None


def _next_page(response: httpx.Response) -> int | None:
    """The next page number: `x-next-page` (empty on the last page), else the Link header."""
    header = response.headers.get("x-next-page")
    if header is not None:
        return int(header) if header.strip().isdigit() else None
    link = response.links.get("next", {}).get("url")
    if link:
        page = httpx.URL(link).params.get("page")
        if page is not None and page.isdigit():
            return int(page)
    return None
