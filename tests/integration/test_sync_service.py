"""The sync service over the real store (SQLite and PostgreSQL) and in-memory sources."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from bot.adapters.store import SqlStore
from bot.domain.model import Change, FileChange, ReleaseClass, SourceBatch
from bot.domain.policy import PolicyConfig
from bot.errors import SourceError, StoreUnavailableError
from bot.services.sprints.cadence import CadenceCalendar
from bot.services.sync.record import SourceSpec, SyncService
from tests.fakes.clock import FakeClock
from tests.fakes.list_source import ListSource

FIRST_DAY = date(2026, 11, 16)
T0 = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
EXPAND = "def upgrade():\n    op.add_column('orders', sa.Column('reason', sa.Text()))\n"
CONTRACT = "def upgrade():\n    op.drop_column('orders', 'reason')\n"


def _change(source: str, n: int, *, title: str, migration: str | None = None) -> Change:
    files = (FileChange(path=f"alembic/versions/{n:04}.py", added=2, deleted=0, patch=migration),)
    return Change(
        id=f"git:{source}:{n:040x}",
        source=source,
        title=title,
        merged_at=T0 + timedelta(minutes=n),
        sha=f"{n:040x}",
        commits=(f"{n:040x}",),
        files=files if migration else (),
    )


def _service(store: SqlStore, *sources: ListSource) -> SyncService:
    return SyncService(
        train="payments",
        store=store,
        sources=[SourceSpec(source=s, since=T0 - timedelta(days=1)) for s in sources],
        calendar=CadenceCalendar(
            first_day=FIRST_DAY, length_days=14, tz=ZoneInfo("UTC"), clock=FakeClock(T0)
        ),
        policy=PolicyConfig(),
        clock=FakeClock(T0 + timedelta(days=1)),
    )


def test_contract_sees_an_expand_from_another_source_in_the_same_sync(store: SqlStore) -> None:
    # The contract's source is listed first: the service must still classify in merge order.
    db = ListSource("db", [_change("db", 2, title="Drop reason", migration=CONTRACT)])
    api = ListSource("api", [_change("api", 1, title="Add reason", migration=EXPAND)])

    outcome = _service(store, db, api).run(dry_run=False)

    verdicts = {rc.change.title: rc.classification for rc in outcome.recorded}
    assert verdicts["Add reason"].release_class is ReleaseClass.MIGRATION_EXPAND
    assert verdicts["Drop reason"].release_class is ReleaseClass.MIGRATION_CONTRACT
    assert verdicts["Drop reason"].violation


def test_changes_merged_at_the_same_time_keep_their_trunk_order(store: SqlStore) -> None:
    # A rebased stack: both commits carry one time, and the contract's id sorts first.
    expand = replace(_change("api", 9, title="Add reason", migration=EXPAND), merged_at=T0)
    contract = replace(_change("api", 1, title="Drop reason", migration=CONTRACT), merged_at=T0)
    api = ListSource("api", [expand, contract])

    outcome = _service(store, api).run(dry_run=False)

    verdicts = {rc.change.title: rc.classification for rc in outcome.recorded}
    assert verdicts["Drop reason"].release_class is ReleaseClass.MIGRATION_CONTRACT
    assert "expand stage is in this same change" not in verdicts["Drop reason"].reasons
    assert f"expand stage is in this sprint, Sprint 1 ({expand.id})" in (
        verdicts["Drop reason"].reasons
    )
    assert verdicts["Drop reason"].violation


def test_classic_expand_then_contract_in_one_sprint_is_a_violation(store: SqlStore) -> None:
    # Add the replacement column, then (a later sync) drop the column it replaces.
    add = "def upgrade():\n    op.add_column('refunds', sa.Column('reason_code', sa.Text()))\n"
    drop = "def upgrade():\n    op.drop_column('refunds', 'reason')\n"
    api = ListSource(
        "api", [_change("api", 1, title="feat: add refunds.reason_code", migration=add)]
    )
    service = _service(store, api)
    service.run(dry_run=False)
    api.changes.append(_change("api", 2, title="Drop refunds.reason", migration=drop))

    (contract,) = service.run(dry_run=False).recorded

    assert contract.classification.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert f"expand stage is in this sprint, Sprint 1 (git:api:{1:040x})" in (
        contract.classification.reasons
    )
    assert contract.classification.violation


def test_each_source_keeps_its_own_cursor_and_rerun_is_idempotent(store: SqlStore) -> None:
    api = ListSource("api", [_change("api", n, title=f"fix: {n}") for n in range(3)])
    web = ListSource("web", [_change("web", 10, title="fix: web")])
    service = _service(store, api, web)

    first = service.run(dry_run=False)
    second = service.run(dry_run=False)

    assert len(first.new_ids) == 4
    assert second.new_ids == set()
    assert store.get_cursor(train="payments", source="api") == api.changes[-1].id
    assert store.get_cursor(train="payments", source="web") == web.changes[-1].id
    recorded = store.changes_for_sprint(train="payments", sprint="Sprint 1")
    assert len(recorded) == 4


def test_a_failing_source_keeps_its_cursor_and_the_others_sync(store: SqlStore) -> None:
    api = ListSource("api", [_change("api", 1, title="fix: one")])
    broken = ListSource("web", [], broken=True)

    outcome = _service(store, api, broken).run(dry_run=False)

    assert [(name, type(exc)) for name, exc in outcome.failures] == [("web", SourceError)]
    assert store.get_cursor(train="payments", source="web") is None
    assert store.get_cursor(train="payments", source="api") == api.changes[-1].id
    assert len(store.changes_for_sprint(train="payments", sprint="Sprint 1")) == 1
    (run,) = store.last_runs(train="payments", limit=5)
    assert run.status == "partial"
    assert run.error == "web"
    assert run.counts["failed_sources"] == 1


def test_an_unexpected_error_marks_the_run_failed(store: SqlStore) -> None:
    class Exploding(ListSource):
        def gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        _service(store, Exploding("api", [])).run(dry_run=False)

    (run,) = store.last_runs(train="payments", limit=5)
    assert (run.status, run.error) == ("failed", "RuntimeError")


def test_a_first_sync_the_store_cannot_start_asks_no_source(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = ListSource("api", [_change("api", 1, title="fix: a")])

    def refused(**_: object) -> int:
        raise StoreUnavailableError("the store at sqlite:///x is not writable")

    monkeypatch.setattr(store, "start_run", refused)
    with pytest.raises(StoreUnavailableError):
        _service(store, api).run(dry_run=False)

    assert api.starts == []


def test_dry_run_records_no_change_cursor_or_run(store: SqlStore) -> None:
    api = ListSource("api", [_change("api", 1, title="fix: one")])

    outcome = _service(store, api).run(dry_run=True)

    assert [rc.change.title for rc in outcome.recorded] == ["fix: one"]
    assert store.get_cursor(train="payments", source="api") is None
    assert store.last_runs(train="payments", limit=5) == []


def test_change_before_the_first_sprint_is_reported_not_recorded(store: SqlStore) -> None:
    early = Change(
        id="git:api:" + "e" * 40,
        source="api",
        title="fix: early",
        merged_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    api = ListSource("api", [early])
    service = SyncService(
        train="payments",
        store=store,
        sources=[SourceSpec(source=api, since=datetime(2026, 10, 1, tzinfo=UTC))],
        calendar=CadenceCalendar(
            first_day=FIRST_DAY, length_days=14, tz=ZoneInfo("UTC"), clock=FakeClock(T0)
        ),
        policy=PolicyConfig(),
        clock=FakeClock(T0),
    )

    outcome = service.run(dry_run=False)

    assert outcome.recorded == []
    assert any("outside every sprint" in n for n in outcome.notices)
    assert store.get_cursor(train="payments", source="api") == early.id


def test_an_idle_source_writes_nothing(store: SqlStore, raw_engine: Engine) -> None:
    api = ListSource("api", [_change("api", 1, title="fix: one")])
    service = _service(store, api)
    service.run(dry_run=False)
    before = _cursor_rows(raw_engine)

    outcome = service.run(dry_run=False)

    assert outcome.new_ids == set()
    assert _cursor_rows(raw_engine) == before  # not even the cursor's timestamp moved


def _cursor_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM source_cursors ORDER BY source")
        return [tuple(row) for row in rows]


def test_many_changes_outside_every_sprint_are_one_notice_with_count_and_dates(
    store: SqlStore,
) -> None:
    early = [
        replace(_change("api", n, title=f"fix: {n}"), merged_at=datetime(2026, 10, n, tzinfo=UTC))
        for n in range(1, 31)
    ]
    api = ListSource("api", early)

    outcome = _service(store, api).run(dry_run=False, since=datetime(2026, 9, 1, tzinfo=UTC))

    assert outcome.recorded == []
    assert outcome.notices == [
        "30 changes merged between 2026-10-01 and 2026-10-30 fall outside every sprint and are "
        "not part of any train (sprints start at the train's first_day)"
    ]


def test_sync_since_a_day_gathers_again_and_records_each_change_once(store: SqlStore) -> None:
    api = ListSource("api", [_change("api", n, title=f"fix: {n}") for n in range(3)])
    service = _service(store, api)
    service.run(dry_run=False)
    api.changes.insert(0, _change("api", 0, title="fix: older, gathered only from a day"))
    api.changes[0] = replace(api.changes[0], id="git:api:older", merged_at=T0 - timedelta(hours=1))

    again = service.run(dry_run=False, since=T0 - timedelta(hours=2))

    assert api.starts[-1] == (None, T0 - timedelta(hours=2))  # from the day, not the cursor
    assert again.new_ids == {"git:api:older"}
    recorded = store.changes_for_sprint(train="payments", sprint="Sprint 1")
    assert sorted(rc.change.id for rc in recorded) == sorted(
        ["git:api:older", *(c.id for c in api.changes[1:])]
    )
