"""One database connection shared by the store's roles: the engine, opened on first use."""

from __future__ import annotations

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

    @property
    def display_url(self) -> str:
        """The store's URL as it may be shown: without its password."""
        return masked(self._url)

    def close(self) -> None:
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
