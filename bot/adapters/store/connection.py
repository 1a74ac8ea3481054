"""Opening the store's database: engine options per backend and errors worded for people."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, Table, create_engine, event, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)

from bot.errors import ConfigError, StoreUnavailableError
from bot.logs import is_secret_query_key, mask_urls

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
# An execution option asking SQLite to take its write lock when the transaction begins, so
# two writers wait for each other (busy timeout) instead of failing half-way.
WRITE_OPTION = "release_train_write"
_BUSY_TIMEOUT_MS = 10_000
_PG_CONNECT_TIMEOUT_S = 10
_JSON_DECODER = json.JSONDecoder()


def dialect_insert(connection: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that can say what to do on a conflict, in the connection's dialect."""
    # Each dialect package is imported only when a connection speaks it: loading PostgreSQL's
    # costs a SQLite store tens of milliseconds on every command.
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def parse_url(text: str) -> URL:
    """The store URL, or a ConfigError that does not repeat it (it may hold a password)."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise ConfigError("store.url is not a database URL") from None
    except ValueError:
        # SQLAlchemy reads the port as it parses; its message would repeat the URL.
        raise ConfigError("store.url: the port is not a number from 1 to 65535") from None
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise ConfigError(
            f"store.url uses {url.get_backend_name()!r}; the store supports sqlite and postgresql"
        )
    return url


def masked(url: URL) -> str:
    """The URL as it may be shown to people: the password and secret query values hidden."""
    return mask_urls(url.render_as_string(hide_password=True))


def unavailable(url: URL, exc: BaseException) -> StoreUnavailableError:
    """A one-sentence error naming the store (without its password) and the driver's reason."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    reason = lines[0] if lines else type(original).__name__
    if url.password:
        reason = reason.replace(str(url.password), "***")
    for key, value in url.query.items():
        for text in (value,) if isinstance(value, str) else value:
            if text and is_secret_query_key(key):
                reason = reason.replace(text, "***")
    reason = mask_urls(reason)
    return StoreUnavailableError(f"the store at {masked(url)} is unavailable: {reason}")


@contextmanager
def translated_errors(url: URL) -> Iterator[None]:
    """Turn connection failures into StoreUnavailableError; other errors pass unchanged."""
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        raise unavailable(url, exc) from exc
    except DatabaseError as exc:
        # SQLite's own DatabaseError: the file is not a database, or is corrupt.
        if type(getattr(exc, "orig", None)).__name__ != "DatabaseError":
            raise
        raise unavailable(url, exc) from exc


def build_engine(url: URL) -> Engine:
    """An engine for the store; for a SQLite file its folder is created first."""
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": _PG_CONNECT_TIMEOUT_S},
        )
    except NoSuchModuleError as exc:
        raise ConfigError(
            f"store.url names a database driver that is not installed: {exc}"
        ) from None
    except ImportError as exc:
        raise ConfigError(
            f"store.url names the database driver {exc.name or url.drivername!r}, which is not"
            " installed; for PostgreSQL install release-train[postgres] and use postgresql+psycopg://"
        ) from None


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite store; None for other databases and in-memory SQLite."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        return None  # a URI filename: left to SQLite as written
    return Path(database).expanduser()


def read_only(path: Path, url: URL) -> URL:
    """A URL opening the SQLite file read-only."""
    return url.set(database=path.resolve().as_uri(), query={"mode": "ro", "uri": "true"})


def _sqlite_engine(url: URL) -> Engine:
    path = sqlite_file(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = f"cannot create its folder ({exc.strerror})"
            raise StoreUnavailableError(
                f"the store at {masked(url)} is unavailable: {reason}"
            ) from exc
    engine = create_engine(url, json_deserializer=_stored_json)
    event.listen(engine, "connect", _configure_sqlite_connection(wal=path is not None))
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _stored_json(text: str) -> Any:
    """A JSON column's value as json.loads gives it, decoded with less work.

    On SQLite JSON arrives as text, which the store writes with nothing around the value, so
    `raw_decode` alone decodes it, without the two whitespace scans of json.loads; reading
    thousands of rows notices. Text with anything around its value is left to json.loads.
    """
    try:
        value, end = _JSON_DECODER.raw_decode(text)
    except ValueError:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def _configure_sqlite_connection(*, wal: bool) -> Any:
    def configure(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling skips DDL and cannot take the write lock up
        # front; the "begin" listener below issues BEGIN itself instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    return configure


def _begin_sqlite_transaction(connection: Connection) -> None:
    writes = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
