"""The HTTP seam to Jira: builds the `jira` client lazily, retries politely and maps failures.

Requests go through the `jira` library's session (its authentication, headers and error parsing)
with explicit URLs, because the library's own methods cannot write API v3 (ADF) bodies and add
requests of their own to single writes (an applinks lookup before a remote link, the link types
before an issue link, a GET after every create or update). The library's retries are switched
off (`max_retries=0`): it would sleep less than `Retry-After` and resend writes that the server
may already have committed. The policy here: 429 and 503 are retried no sooner than
`Retry-After` asks, within a budget of seconds; a read that fails to connect is retried a few
times; a write whose answer was lost is never resent, it raises WriteOutcomeUnknownError so that
the caller reads back first. `JIRAError`s are never shown as they are (their text can include
request headers): each becomes one of the bot's errors, built from the status and Jira's own
error messages only.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import requests
from jira import JIRA, JIRAError
from urllib3.exceptions import NewConnectionError

from bot.errors import (
    AuthError,
    BotError,
    ConfigError,
    RateLimitedError,
    ServiceError,
    TicketNotFoundError,
    WriteOutcomeUnknownError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Deployment = Literal["cloud", "datacenter"]

_CREDENTIALS_ENV = "RELEASE_TRAIN_JIRA__TOKEN"
_THROTTLED = frozenset({429, 503})
_READ_RETRIES = 2  # a read that cannot connect is tried this many more times
_MIN_WAIT = 1.0  # even "Retry-After: 0" waits a second, so a throttled server is not hammered
_MAX_BACKOFF = 60.0
_DETAIL_LIMIT = 300
_SERVER_INFO = "GET /rest/api/2/serverInfo"


@dataclass(frozen=True, slots=True)
class Scope:
    """What a request is about, for the error a 404 becomes."""

    subject: str | None = None  # "ticket PAY-1", "board 42": what a 404 says is missing
    ticket: bool = False  # a 404 is TicketNotFoundError (Jira's answer for missing and hidden)


def path_segment(value: object) -> str:
    """One URL path segment; keys and ids from outside cannot add segments or a query."""
    return quote(str(value), safe="")


class JiraClient:
    """One Jira site: JSON requests by path, with the retry policy and error mapping above."""

    def __init__(
        self,
        *,
        url: str,
        deployment: Deployment,
        email: str | None,
        token: str,
        timeout: float,
        sleep: Callable[[float], None],
        retry_budget: float,
    ) -> None:
        if deployment == "cloud" and not email:
            raise ConfigError("jira.email is required for deployment = 'cloud'.")
        self.base_url = url.rstrip("/")
        self._deployment = deployment
        self._email = email
        self._token = token
        self._timeout = timeout
        self._sleep = sleep
        self._budget = retry_budget
        self._jira: JIRA | None = None

    @property
    def is_cloud(self) -> bool:
        """Whether serverInfo says Jira Cloud (it is checked against `jira.deployment`)."""
        return self._connect().deploymentType == "Cloud"

    def get(self, path: str, *, params: Mapping[str, Any] | None = None, scope: Scope) -> Any:
        """The JSON answer to a GET of `path` (below the site's URL)."""
        return self._json("GET", path, params=params, body=None, scope=scope)

    def post(self, path: str, *, body: object, scope: Scope) -> Any:
        """Send one POST; its JSON answer (None when empty)."""
        return self._json("POST", path, params=None, body=body, scope=scope)

    def put(self, path: str, *, body: object, scope: Scope) -> Any:
        """Send one PUT; its JSON answer (None when empty)."""
        return self._json("PUT", path, params=None, body=body, scope=scope)

    def close(self) -> None:
        if self._jira is not None:
            self._jira._session.close()
            self._jira = None

    def _connect(self) -> JIRA:
        if self._jira is None:
            jira = self._attempt(self._build, write=False, label=_SERVER_INFO)
            self._check_deployment(jira.deploymentType)
            self._jira = jira
        return self._jira

    def _build(self) -> JIRA:
        try:
            return self._construct()
        except (KeyError, TypeError, ValueError):
            # The library raises these when serverInfo is not Jira's JSON (a proxy page, say).
            raise ServiceError(
                f"The server at {self.base_url} did not answer {_SERVER_INFO} like Jira."
            ) from None

    def _construct(self) -> JIRA:
        # The constructor reads serverInfo; only "deploymentType": "Cloud" selects the Cloud paths.
        # logging=False keeps the library from logging requests (and their headers) itself.
        if self._deployment == "cloud":
            return JIRA(
                server=self.base_url,
                basic_auth=(self._email or "", self._token),
                max_retries=0,
                timeout=self._timeout,
                logging=False,
            )
        return JIRA(
            server=self.base_url,
            token_auth=self._token,
            max_retries=0,
            timeout=self._timeout,
            logging=False,
        )

    def _check_deployment(self, deployment_type: object) -> None:
        is_cloud = deployment_type == "Cloud"
        if is_cloud != (self._deployment == "cloud"):
            actual = "cloud" if is_cloud else "datacenter"
            raise ConfigError(
                f"jira.deployment is {self._deployment!r} but the Jira at {self.base_url} is "
                f"{actual!r}; set jira.deployment = {actual!r}."
            )

    def _json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        body: object,
        scope: Scope,
    ) -> Any:
        session = self._connect()._session
        url = self.base_url + path
        data = None if body is None else json.dumps(body)
        response: requests.Response = self._attempt(
            lambda: session.request(method, url, params=params, data=data),
            write=method != "GET",
            label=f"{method} {path}",
            scope=scope,
        )
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ServiceError(
                f"Jira answered {method} {path} with something other than JSON."
            ) from None

    def _attempt(
        self, send: Callable[[], T], *, write: bool, label: str, scope: Scope = Scope()
    ) -> T:
        """`send()`, retried as the policy allows; every failure becomes one of our errors."""
        waited = 0.0
        failures = 0
        while True:
            try:
                return send()
            except JIRAError as exc:
                delay = self._throttle_delay(exc, failures)
                if delay is None:
                    raise self._refusal(exc, label=label, scope=scope) from None
                if waited + delay > self._budget:
                    raise _rate_limited(exc, label=label, budget=self._budget) from None
            except requests.RequestException as exc:
                delay = self._reconnect_delay(exc, write=write, failures=failures)
                if delay is None or waited + delay > self._budget:
                    raise self._unreachable(exc, write=write, label=label) from None
            log.warning("Jira: %s will be retried in %.1f s.", label, delay)
            self._sleep(delay)
            waited += delay
            failures += 1

    @staticmethod
    def _throttle_delay(exc: JIRAError, failures: int) -> float | None:
        """How long to wait before resending a throttled request; None when it was refused."""
        if exc.status_code not in _THROTTLED:
            return None
        asked = _retry_after(exc.response)
        if asked is None:
            return _backoff(failures)
        return max(asked, _MIN_WAIT)

    @staticmethod
    def _reconnect_delay(
        exc: requests.RequestException, *, write: bool, failures: int
    ) -> float | None:
        transient = isinstance(exc, (requests.ConnectionError, requests.Timeout))
        if not transient or failures >= _READ_RETRIES or (write and not _never_sent(exc)):
            return None
        return _backoff(failures)

    def _refusal(self, exc: JIRAError, *, label: str, scope: Scope) -> BotError:
        status = exc.status_code
        if status == 401:
            # A deployment set wrongly also ends here: the other kind of credential is refused.
            if self._deployment == "cloud":
                wanted = f"jira.email and {_CREDENTIALS_ENV} (a Jira Cloud API token)"
            else:
                wanted = f"{_CREDENTIALS_ENV} (a Data Center personal access token)"
            return AuthError(f"Jira refused the credentials (HTTP 401); check {wanted}.")
        if status == 403:
            account = (
                f"{self._email} (jira.email)" if self._email else f"the owner of {_CREDENTIALS_ENV}"
            )
            return AuthError(f"Jira denied {label} (HTTP 403); give {account} the permission.")
        if status == 404 and scope.subject is not None:
            message = (
                f"Jira {scope.subject} does not exist or the bot's Jira account cannot see it."
            )
            return TicketNotFoundError(message) if scope.ticket else ServiceError(message)
        detail = self._scrub(exc.text or "")
        return ServiceError(f"Jira answered {label} with HTTP {status}{detail}.")

    def _unreachable(self, exc: requests.RequestException, *, write: bool, label: str) -> BotError:
        if _never_sent(exc):
            return ServiceError(f"Jira at {self.base_url} could not be reached ({label}).")
        if isinstance(exc, requests.Timeout):
            what = f"did not answer {label} within {self._timeout:g} s"
        else:
            what = f"dropped the connection during {label}"
        if write:
            return WriteOutcomeUnknownError(
                f"Jira at {self.base_url} {what}; the write may have happened, so read it back "
                "before trying again."
            )
        return ServiceError(f"Jira at {self.base_url} {what}.")

    def _scrub(self, text: str) -> str:
        """Jira's own error message, on one line, short, and never holding the token."""
        if self._token:
            text = text.replace(self._token, "***")
        text = " ".join(text.split())
        if len(text) > _DETAIL_LIMIT:
            text = text[: _DETAIL_LIMIT - 1] + "…"
        return f": {text.rstrip('.')}" if text else ""


def _never_sent(exc: requests.RequestException) -> bool:
    """Whether the request cannot have reached Jira (the connection itself was never made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    return isinstance(getattr(reason, "reason", reason), NewConnectionError)


def _retry_after(response: requests.Response | None) -> float | None:
    """Seconds the server asked to wait (Retry-After as seconds or as an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip() if response is not None else ""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _backoff(failures: int) -> float:
    return min(2.0 * 2.0**failures, _MAX_BACKOFF)


def _rate_limited(exc: JIRAError, *, label: str, budget: float) -> RateLimitedError:
    headers = exc.response.headers if exc.response is not None else {}
    reason = re.sub(r"[^A-Za-z0-9_.-]", "", headers.get("RateLimit-Reason", ""))[:80]
    because = f" ({reason})" if reason else ""
    return RateLimitedError(
        f"Jira kept answering {label} with HTTP {exc.status_code}{because} beyond the "
        f"{budget:g} s retry budget; try again later."
    )
