"""Logging to stderr, as text or JSON lines, with every secret and URL credential masked."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

MASK = "***"
# Query keys whose values are credentials: libpq's password and sslpassword, and their kin.
_SECRET_QUERY_KEY = re.compile(r"pass|pwd|secret|token|credential|auth|key", re.IGNORECASE)
# A URL's scheme and authority (user, password, host, port): up to the path, query or fragment.
_AUTHORITY = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<authority>[^\s/?#]*)")
# One query item, `key=value`, after `?`, `&` or `;`.
_QUERY_ITEM = re.compile(r"(?P<head>[?&;](?P<key>[^\s=&;#?/]+)=)(?P<value>[^\s&;#]*)")


def is_secret_query_key(key: str) -> bool:
    """Whether a URL query key names a credential, so its value is never shown."""
    return bool(_SECRET_QUERY_KEY.search(key))


def _mask_authority(match: re.Match[str]) -> str:
    userinfo, at, host = match["authority"].rpartition("@")
    user, colon, _password = userinfo.partition(":")
    # Everything before the last '@' is user and password, even a password holding an '@'.
    return match["scheme"] + (f"{user}{colon}{MASK if colon else ''}{at}{host}" if at else host)


def _mask_query_item(match: re.Match[str]) -> str:
    return match["head"] + MASK if is_secret_query_key(match["key"]) else match[0]


def mask_urls(text: str) -> str:
    """`text` with every URL's password and secret query values replaced by the mask."""
    if "=" in text:
        text = _QUERY_ITEM.sub(_mask_query_item, text)
    if "://" in text:
        text = _AUTHORITY.sub(_mask_authority, text)
    return text


class SecretMaskingFilter(logging.Filter):
    """Replaces every known secret in a record's final message (and its exception text)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Mask more secrets from now on (longest first, so a prefix never leaks the rest)."""
        merged = {*self._secrets, *(s for s in secrets if s)}
        self._secrets = sorted(merged, key=len, reverse=True)

    def mask(self, text: str) -> str:
        """Return `text` with every secret and every URL's credentials replaced by the mask."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return mask_urls(text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.mask(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields."""

    _STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in self._STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_text:
            payload["exception"] = record.exc_text
        elif record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        # ASCII only: a title's terminal controls and bidi overrides travel as \u escapes.
        return json.dumps(payload, default=str, ensure_ascii=True)


_FILTER = SecretMaskingFilter()


# Third-party loggers whose DEBUG lines hold request and response bodies.
PAYLOAD_LOGGERS = ("slack_bolt", "slack_sdk", "urllib3", "httpcore", "jira", "requests_oauthlib")
# The libraries the bot runs on: without -v each speaks at WARNING and above only, whatever
# level it sets itself (the bot's own lines say what happened, in its own words).
LIBRARY_LOGGERS = (
    "slack_sdk",
    "slack_bolt",
    "urllib3",
    "requests",
    "requests_oauthlib",
    "httpx",
    "httpcore",
    "jira",
    "apscheduler",
    "sqlalchemy",
    "alembic",
    "asyncio",
    "uvicorn",
    "starlette",
    "psycopg",
    "websocket",
    "aiohttp",
    "multipart",
)
# Clients whose every failed request an adapter turns into one sentence of the bot's own
# (ServiceError): their ERROR line for it would come first, as a second, rawer account of the
# same failure, so without -v they are heard only at CRITICAL. slack_sdk's Web API client logs
# "Failed to send a request to Slack API server" at ERROR on each refused connection.
WRAPPED_CLIENT_LOGGERS = ("slack_sdk.web",)


def setup_logging(*, verbose: bool, fmt: str) -> SecretMaskingFilter:
    """Send the bot's logs to stderr; returns the masking filter so secrets can be added."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_FILTER)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    # Libraries speak at WARNING unless -v; even then, those that log whole requests and
    # answers at DEBUG (Slack's payloads carry response_urls and people's text) stay at INFO.
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else logging.WARNING)
    for name in WRAPPED_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else logging.CRITICAL)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("bot").setLevel(logging.DEBUG if verbose else logging.INFO)
    return _FILTER


def mask_secrets(secrets: Iterable[str]) -> None:
    """Register secrets with the process-wide masking filter."""
    _FILTER.add(secrets)


def masked(text: str) -> str:
    """Mask known secrets in text that leaves the process outside logging (errors on stderr)."""
    return _FILTER.mask(text)
