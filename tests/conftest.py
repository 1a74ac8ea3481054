"""What every test shares: a guard that keeps tests off the network, the fake clock, and the
store fixtures (each store test runs on a SQLite file and on PostgreSQL, each isolated).

The network guard refuses any connection from the test process to an address that is not this
machine (loopback or a Unix socket): the fakes of Jira, Slack, GitHub and GitLab, the local
PostgreSQL and the app under test all live there, so a test that reaches further is a defect
(it would pass or fail by the state of the world). Processes a test starts are not guarded.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url
from sqlalchemy.exc import OperationalError

from bot.adapters.store import SqlStore
from tests.fakes.clock import FakeClock

PG_URL_VARIABLE = "RELEASE_TRAIN_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# A session zone far from UTC, so a time that is not normalised on the way out shows up.
PG_SESSION_TIMEZONE = "Asia/Kathmandu"


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _is_local(address: Any) -> bool:
    if not isinstance(address, tuple):  # a Unix socket's path
        return True
    host = str(address[0]).split("%")[0]
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name to be looked up: somewhere else


class NetworkAccessError(AssertionError):
    """A test tried to reach a host that is not this machine."""


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not _is_local(address):
        raise NetworkAccessError(f"tests stay on this machine; refused a connection to {address}")
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not _is_local(address):
        raise NetworkAccessError(f"tests stay on this machine; refused a connection to {address}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: connections leave only for loopback and Unix sockets."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture
def clock() -> FakeClock:
    """A clock standing at 2026-11-20 10:00 UTC (a Friday) until the test moves it."""
    return FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An engine on the test PostgreSQL server; skips the test when the server does not answer."""
    url = make_url(os.environ.get(PG_URL_VARIABLE, DEFAULT_PG_URL))
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        pytest.skip(
            f"PostgreSQL at {url.render_as_string(hide_password=True)} is unreachable "
            f"({reason}); start it or point {PG_URL_VARIABLE} at one"
        )
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    """A store URL whose tables live in a schema of their own, dropped after the test."""
    schema = f"rt_test_{uuid.uuid4().hex[:12]}"
    with pg_admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url: URL = pg_admin.url.update_query_dict(
        {"options": f"-csearch_path={schema} -ctimezone={PG_SESSION_TIMEZONE}"}
    )
    yield url.render_as_string(hide_password=False)
    with pg_admin.begin() as connection:
        # A test that left a transaction stuck fails here rather than hanging the run.
        connection.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store's URL; the SQLite file's folder does not exist yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state' / 'release-train.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    """A prepared store at the newest schema."""
    opened = SqlStore(url=store_url)
    opened.prepare(auto_upgrade=True)
    yield opened
    opened.close()


@pytest.fixture
def raw_engine(store_url: str) -> Iterator[Engine]:
    """A plain engine on the same database, for looking under the store's hood."""
    url = make_url(store_url)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    yield engine
    engine.dispose()
