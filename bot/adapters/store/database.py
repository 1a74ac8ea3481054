"""One database connection shared by the store's roles: the engine, opened on first use.

Each store object is also a holder: rows it is working on (a pending write, a running sync)
carry its id, `<host>:<pid>:<random>`, so another process can tell whether it is gone: a holder
on this host whose process has ended, or a store object of this process that was closed.
Holders on other hosts are judged by their lease or age alone.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from bot.adapters.store.connection import (
    WRITE_OPTION,
    build_engine,
    masked,
    parse_url,
    translated_errors,
)


class SqlDatabase:
    """The engine behind every role of the store; each role subclasses it to reach the tables.

    Connecting costs nothing until the first query; `close` returns every pooled connection.
    """

    def __init__(self, *, url: str) -> None:
        self._url = parse_url(url)
        self._engine: Engine | None = None
        self.holder = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        _OPEN_HOLDERS.add(self.holder)

    @property
    def display_url(self) -> str:
        """The store's URL as it may be shown: without its password."""
        return masked(self._url)

    def close(self) -> None:
        _OPEN_HOLDERS.discard(self.holder)
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _connect(self) -> Engine:
        if self._engine is None:
            self._engine = build_engine(self._url)
        return self._engine

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with translated_errors(self._url), self._connect().connect() as connection:
            yield connection

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One transaction that holds SQLite's write lock from its start (waiting for it)."""
        with translated_errors(self._url), self._connect().connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                yield connection


def utc_now() -> datetime:
    """The time rows are stamped with."""
    return datetime.now(UTC)


_HOST = socket.gethostname()
# The holders of this process whose store is open; a closed one holds nothing any more.
_OPEN_HOLDERS: set[str] = set()


def holder_gone(holder: str | None) -> bool:
    """Whether the holder is known to be gone (its process ended, or its store was closed).

    False when it cannot be told (another host, or a holder written by an older release).
    """
    if holder is None:
        return False
    host, _, rest = holder.partition(":")
    pid_text, _, _ = rest.partition(":")
    if host != _HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return holder not in _OPEN_HOLDERS
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    return False
