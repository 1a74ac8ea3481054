"""Store fixtures: each store test runs on a SQLite file and on PostgreSQL, each isolated."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url
from sqlalchemy.exc import OperationalError

from bot.adapters.store import SqlStore

PG_URL_VARIABLE = "RELEASE_TRAIN_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# A session zone far from UTC, so a time that is not normalised on the way out shows up.
PG_SESSION_TIMEZONE = "Asia/Kathmandu"


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
