"""Logging to stderr, as text or JSON lines, with every configured secret masked."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

MASK = "***"


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
        """Return `text` with every secret replaced by the mask."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
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
        return json.dumps(payload, default=str, ensure_ascii=False)


_FILTER = SecretMaskingFilter()


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
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("bot").setLevel(logging.DEBUG if verbose else logging.INFO)
    return _FILTER


def mask_secrets(secrets: Iterable[str]) -> None:
    """Register secrets with the process-wide masking filter."""
    _FILTER.add(secrets)


def masked(text: str) -> str:
    """Mask known secrets in text that leaves the process outside logging (errors on stderr)."""
    return _FILTER.mask(text)
