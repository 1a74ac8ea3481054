"""The store's schema: created, upgraded and guarded by its Alembic migrations."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from bot.adapters.store import SqlStore
from bot.adapters.store.schema import alembic_config, head_revision, known_revisions, revision_chain
from bot.adapters.store.tables import metadata
from bot.domain.model import (
    Category,
    Change,
    Classification,
    RecordedChange,
    ReleaseClass,
    Sprint,
)
from bot.errors import ConfigError, StoreSchemaError, StoreUnavailableError

FUTURE = "0099_from_the_future"


def migrate_to(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def stamp(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


@pytest.fixture
def fresh(store_url: str) -> Iterator[SqlStore]:
    opened = SqlStore(url=store_url)
    yield opened
    opened.close()


def test_prepare_creates_a_fresh_store_at_the_newest_schema(
    fresh: SqlStore, raw_engine: Engine
) -> None:
    fresh.prepare(auto_upgrade=True)

    assert revision_of(raw_engine) == head_revision()
    assert {"changes", "ledger", "drafts", "http_cache"} <= table_names(raw_engine)


def test_prepare_creates_the_folder_of_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "var" / "lib" / "release-train" / "store.db"
    store = SqlStore(url=f"sqlite:///{path}")

    store.prepare(auto_upgrade=True)
    store.close()

    assert path.is_file()


def test_the_revision_ids_are_readable() -> None:
    assert head_revision() == "0007_store_revisions"


def test_the_revisions_read_from_the_files_are_alembics_own() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    oldest_first = [revision.revision for revision in script.walk_revisions()][::-1]

    assert list(revision_chain()) == oldest_first
    assert head_revision() == script.get_current_head()
    assert known_revisions() == set(oldest_first)


def test_using_a_current_sqlite_store_imports_neither_alembic_nor_postgresql(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'release-train.db'}"
    created = SqlStore(url=url)
    created.upgrade()
    created.close()
    script = (
        "import sys\n"
        "from bot.adapters.store import SqlStore\n"
        f"store = SqlStore(url={url!r})\n"
        "store.prepare(auto_upgrade=False)\n"
        "store.changes_for_sprint(train='t', sprint='s', details=False)\n"
        "store.close()\n"
        "print(sorted(name for name in sys.modules\n"
        "             if name.split('.')[0] == 'alembic' or 'postgresql' in name))\n"
    )

    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout

    assert loaded.strip() == "[]"


def test_prepare_on_a_current_store_is_a_no_op(fresh: SqlStore, raw_engine: Engine) -> None:
    fresh.prepare(auto_upgrade=True)

    fresh.prepare(auto_upgrade=False)
    fresh.prepare(auto_upgrade=True)

    assert revision_of(raw_engine) == head_revision()


def test_a_fresh_store_is_refused_without_auto_upgrade(fresh: SqlStore, raw_engine: Engine) -> None:
    with pytest.raises(StoreSchemaError, match="release-train db upgrade"):
        fresh.prepare(auto_upgrade=False)

    assert "changes" not in table_names(raw_engine)


def test_an_old_store_is_refused_without_auto_upgrade(fresh: SqlStore, raw_engine: Engine) -> None:
    migrate_to(raw_engine, "0001_initial")

    with pytest.raises(StoreSchemaError, match=r"0001_initial.*release-train db upgrade"):
        fresh.prepare(auto_upgrade=False)

    assert revision_of(raw_engine) == "0001_initial"


def test_an_old_store_is_upgraded_keeping_its_data(fresh: SqlStore, raw_engine: Engine) -> None:
    migrate_to(raw_engine, "0001_initial")
    change = RecordedChange(
        change=Change(id="a", source="api", title="t", merged_at=datetime(2025, 1, 1, tzinfo=UTC)),
        classification=Classification(ReleaseClass.CONTINUOUS, Category.FIX, ("r",)),
        train="payments",
        sprint="Sprint 1",
    )
    # Written as the first release wrote it: the columns of the first schema only.
    with raw_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO changes (train, id, source, title, merged_at, author, body, url,"
                " sha, number, branch, labels, trailers, commits, messages, files,"
                " release_class, category, reasons, jira_keys, violation, flag, sprint,"
                " reverts, reverted_by, attached, first_run, recorded_at) VALUES ('payments',"
                " 'a', 'api', 't', :merged, '', '', NULL, NULL, NULL, NULL, '[]', '[]', '[]',"
                " '[]', '[]', 'continuous', 'fix', '[\"r\"]', '[]', NULL, NULL, 'Sprint 1',"
                " NULL, NULL, false, NULL, :merged)"
            ),
            {"merged": datetime(2025, 1, 1, tzinfo=UTC)},
        )
        connection.execute(
            text(
                "INSERT INTO source_cursors (train, source, cursor, updated_at)"
                " VALUES ('payments', 'api', 'c1', :merged)"
            ),
            {"merged": datetime(2025, 1, 1, tzinfo=UTC)},
        )

    fresh.prepare(auto_upgrade=True)

    assert revision_of(raw_engine) == head_revision()
    assert fresh.get_change(train="payments", change_id="a") == change
    assert fresh.get_cursor(train="payments", source="api") == "c1"


def test_drafts_stored_before_the_message_columns_read_as_unposted_plain_text(
    fresh: SqlStore, raw_engine: Engine
) -> None:
    migrate_to(raw_engine, "0002_http_cache")
    with raw_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO drafts (train, sprint, version, content, content_hash, state, "
                "created_at) VALUES ('payments', 'Sprint 1', 1, 'notes', 'h', 'pending', "
                ":at)"
            ),
            {"at": datetime(2025, 1, 1, tzinfo=UTC)},
        )

    fresh.prepare(auto_upgrade=True)

    draft = fresh.get_draft(train="payments", sprint="Sprint 1", version=1)
    assert draft is not None
    assert (draft.content, draft.fmt, draft.edited, draft.posted_ts, draft.decision_note) == (
        "notes",
        "text",
        False,
        None,
        None,
    )
    won, decided = fresh.decide_draft(
        train="payments",
        sprint="Sprint 1",
        version=1,
        decision="approved",
        user="U_ANA",
        at=datetime(2025, 1, 2, tzinfo=UTC),
        note="Ana",
    )
    assert (won, decided.decision_note) == (True, "Ana")


def test_upgrade_applies_pending_migrations_and_names_the_revision(fresh: SqlStore) -> None:
    assert fresh.upgrade() == head_revision()
    assert fresh.upgrade() == head_revision()


@pytest.mark.parametrize("auto_upgrade", [True, False])
def test_a_store_from_a_newer_release_is_refused_and_left_untouched(
    fresh: SqlStore, raw_engine: Engine, auto_upgrade: bool
) -> None:
    migrate_to(raw_engine, "0001_initial")
    stamp(raw_engine, FUTURE)
    tables_before = table_names(raw_engine)

    with pytest.raises(StoreSchemaError, match=f"newer release-train \\(schema {FUTURE}\\)"):
        fresh.prepare(auto_upgrade=auto_upgrade)
    with pytest.raises(StoreSchemaError, match="refusing to change it"):
        fresh.upgrade()

    assert revision_of(raw_engine) == FUTURE
    assert table_names(raw_engine) == tables_before


def test_replicas_preparing_at_once_migrate_exactly_once(
    store_url: str, raw_engine: Engine
) -> None:
    replicas = [SqlStore(url=store_url) for _ in range(4)]
    barrier = threading.Barrier(len(replicas))
    failures: list[BaseException] = []

    def prepare(replica: SqlStore) -> None:
        barrier.wait()
        try:
            replica.prepare(auto_upgrade=True)
        except BaseException as exc:  # handed back to the test to assert on
            failures.append(exc)

    threads = [
        threading.Thread(target=prepare, args=(replica,), daemon=True) for replica in replicas
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "replicas are stuck migrating"
    for replica in replicas:
        replica.close()

    assert failures == []
    assert revision_of(raw_engine) == head_revision()


def test_the_migrations_build_exactly_the_tables_the_code_uses(raw_engine: Engine) -> None:
    migrate_to(raw_engine, "head")

    with raw_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)

    assert differences == []


def described(engine: Engine) -> dict[str, object]:
    """Everything the database says of each table: columns, keys, indexes and constraints."""
    seen = inspect(engine)
    tables: dict[str, object] = {}
    for name in sorted(seen.get_table_names()):
        columns = sorted(
            (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
            for c in seen.get_columns(name)
        )
        indexes = sorted(
            (i["name"] or "", tuple(i["column_names"]), bool(i["unique"]))
            for i in seen.get_indexes(name)
        )
        uniques = sorted(
            (u["name"] or "", tuple(u["column_names"])) for u in seen.get_unique_constraints(name)
        )
        checks = sorted(
            (c["name"] or "", " ".join(c["sqltext"].split()))
            for c in seen.get_check_constraints(name)
        )
        foreign = sorted(
            (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
            for f in seen.get_foreign_keys(name)
        )
        primary = tuple(seen.get_pk_constraint(name)["constrained_columns"])
        tables[name] = (columns, primary, indexes, uniques, checks, foreign)
    return tables


def test_a_new_store_created_from_the_tables_equals_one_built_by_every_migration(
    fresh: SqlStore, raw_engine: Engine
) -> None:
    fresh.prepare(auto_upgrade=True)
    fresh.close()
    created = described(raw_engine)
    with raw_engine.begin() as connection:
        metadata.drop_all(connection)
        connection.execute(text("DROP TABLE alembic_version"))
    migrate_to(raw_engine, "head")

    assert "alembic_version" in created
    assert described(raw_engine) == created
    assert revision_of(raw_engine) == head_revision()


def test_a_table_of_ours_already_there_is_never_adopted_as_a_new_store(
    fresh: SqlStore, raw_engine: Engine
) -> None:
    with raw_engine.begin() as connection:
        connection.execute(text("CREATE TABLE changes (x INTEGER)"))

    with pytest.raises(Exception, match="changes"):
        fresh.prepare(auto_upgrade=True)

    assert revision_of(raw_engine) is None
    assert [c["name"] for c in inspect(raw_engine).get_columns("changes")] == ["x"]


def test_an_empty_version_table_is_upgraded_from_the_first_revision(
    fresh: SqlStore, raw_engine: Engine
) -> None:
    migrate_to(raw_engine, "head")
    with raw_engine.begin() as connection:
        metadata.drop_all(connection)
        connection.execute(text("DELETE FROM alembic_version"))

    fresh.prepare(auto_upgrade=True)

    assert revision_of(raw_engine) == head_revision()
    assert set(metadata.tables) <= table_names(raw_engine)


def test_creating_a_new_store_imports_no_alembic(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from bot.adapters.store import SqlStore\n"
        f"store = SqlStore(url='sqlite:///{tmp_path / 'new.db'}')\n"
        "store.prepare(auto_upgrade=True)\n"
        "store.close()\n"
        "print('alembic' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert run.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("arrange", "expected"),
    [
        (lambda engine: None, "fresh"),
        (lambda engine: migrate_to(engine, "0001_initial"), "old"),
        (lambda engine: migrate_to(engine, "head"), "current"),
        (lambda engine: (migrate_to(engine, "head"), stamp(engine, FUTURE)), "newer"),
    ],
    ids=["fresh", "old", "current", "newer"],
)
def test_the_schema_state_says_what_prepare_would_do(
    fresh: SqlStore, raw_engine: Engine, arrange: Callable[[Engine], object], expected: str
) -> None:
    arrange(raw_engine)

    assert fresh.schema_state() == expected


def test_looking_at_a_missing_sqlite_store_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state" / "release-train.db"
    store = SqlStore(url=f"sqlite:///{path}")

    assert store.schema_state() == "fresh"
    assert store.schema_revision() is None
    store.close()

    assert not path.parent.exists()


def test_an_in_memory_store_works_for_one_process() -> None:
    store = SqlStore(url="sqlite://")
    store.prepare(auto_upgrade=True)
    store.save_sprint(
        train="payments",
        sprint=Sprint(
            name="Sprint 1",
            start=datetime(2025, 1, 1, tzinfo=UTC),
            end=datetime(2025, 1, 15, tzinfo=UTC),
        ),
    )

    assert store.schema_revision() == head_revision()
    assert [sprint.name for sprint in store.list_sprints(train="payments")] == ["Sprint 1"]
    store.close()


def test_an_unreachable_database_is_named_without_its_password() -> None:
    store = SqlStore(url="postgresql+psycopg://deploy:hunter2@127.0.0.1:1/releases")

    with pytest.raises(StoreUnavailableError) as raised:
        store.prepare(auto_upgrade=True)
    store.close()

    message = str(raised.value)
    assert "hunter2" not in message
    assert "postgresql+psycopg://deploy:***@127.0.0.1:1/releases" in message


def test_a_sqlite_file_that_cannot_be_created_is_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    store = SqlStore(url=f"sqlite:///{blocker / 'release-train.db'}")

    with pytest.raises(StoreUnavailableError, match="not-a-folder"):
        store.prepare(auto_upgrade=True)
    store.close()


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("mysql://deploy:hunter2@db/releases", "supports sqlite and postgresql"),
        ("not a url hunter2", "not a database URL"),
    ],
)
def test_a_url_the_store_cannot_use_is_a_configuration_error(url: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint) as raised:
        SqlStore(url=url)

    assert "hunter2" not in str(raised.value)
