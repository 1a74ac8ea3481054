"""The SQL store against real SQLite and PostgreSQL databases, through the Store port."""

from __future__ import annotations

import dataclasses
import gc
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import IntegrityError, StatementError

from bot.adapters.store import SqlStore
from bot.domain.model import (
    Category,
    Change,
    Classification,
    DraftState,
    ExpandRecord,
    FileChange,
    MigrationOp,
    MigrationStage,
    RecordedChange,
    ReleaseClass,
    Sprint,
)
from tests.integration.replicas import run_together

TRAIN = "payments"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def sha(n: int) -> str:
    return f"{n:040x}"


def recorded(
    change_id: str,
    *,
    minutes: int = 0,
    sprint: str = "Sprint 1",
    commits: tuple[str, ...] = (),
    ops: tuple[MigrationOp, ...] = (),
    title: str = "A change",
) -> RecordedChange:
    return RecordedChange(
        change=Change(
            id=change_id,
            source="api",
            title=title,
            merged_at=T0 + timedelta(minutes=minutes),
            commits=commits,
        ),
        classification=Classification(
            release_class=ReleaseClass.CONTINUOUS,
            category=Category.FIX,
            reasons=("no schema or flag involved",),
            migration_ops=ops,
        ),
        train=TRAIN,
        sprint=sprint,
    )


def record(store: SqlStore, *changes: RecordedChange, cursor: str | None = "tip") -> list[str]:
    return store.record_batch(
        train=TRAIN, source="api", cursor=cursor, changes=list(changes), run_id=None
    )


def every_field() -> RecordedChange:
    """A change with every field set, in a zone far from UTC."""
    kathmandu = timezone(timedelta(hours=5, minutes=45))
    return RecordedChange(
        change=Change(
            id="api!42",
            source="api",
            title="Zahlungen: Währung „€“ anzeigen 💶",
            merged_at=datetime(2025, 3, 4, 15, 30, 12, 123456, tzinfo=kathmandu),
            author="Zoë <zoe@example.com>",
            body="Adds the column.\n\nRefs PAY-7",
            url="https://git.example.com/api/merge_requests/42",
            sha=sha(42),
            number=42,
            branch="feature/währung",
            labels=("ui", "db"),
            trailers=(("Flag", "show_currency"), ("Co-authored-by", "Ana <ana@example.com>")),
            commits=(sha(42), sha(41)),
            messages=("Merge !42", "Show the currency ✓"),
            files=(
                FileChange(path="db/migrate/1_add.sql", added=3, deleted=0, patch="+ALTER …"),
                FileChange(path="web/Währung.tsx", added=10, deleted=2),
            ),
        ),
        classification=Classification(
            release_class=ReleaseClass.MIGRATION_EXPAND,
            category=Category.MIGRATION,
            reasons=("adds column currency to payments",),
            jira_keys=("PAY-7",),
            migration_ops=(
                MigrationOp(MigrationStage.EXPAND, "payments", "currency", "add column"),
                MigrationOp(MigrationStage.EXPAND, "payment_log", None, "create table"),
            ),
            violation="Drops nothing but lacks a flag ‽",
            flag="show_currency",
        ),
        train=TRAIN,
        sprint="Sprint 1",
        reverts="api!40",
        reverted_by="api!44",
        attached=True,
        new=True,
    )


def test_a_recorded_change_reads_back_with_every_field(store: SqlStore) -> None:
    original = every_field()

    assert record(store, original) == ["api!42"]

    expected = dataclasses.replace(original, new=False)
    [listed] = store.changes_for_sprint(train=TRAIN, sprint="Sprint 1")
    fetched = store.get_change(train=TRAIN, change_id="api!42")
    assert listed == expected
    assert fetched == expected
    assert listed.change.merged_at.tzinfo == UTC
    assert listed.change.merged_at == datetime(2025, 3, 4, 9, 45, 12, 123456, tzinfo=UTC)


def test_a_lean_read_leaves_out_only_what_the_change_brought(store: SqlStore) -> None:
    original = every_field()
    record(store, original)

    [lean] = store.changes_for_sprint(train=TRAIN, sprint="Sprint 1", details=False)

    emptied = dataclasses.replace(
        original.change, body="", trailers=(), commits=(), messages=(), files=()
    )
    assert lean == dataclasses.replace(original, change=emptied, new=False)


def test_a_lean_read_does_not_fetch_what_it_leaves_out(store: SqlStore) -> None:
    record(store, every_field())
    statements: list[str] = []

    def remember(*args: Any) -> None:
        statements.append(args[2])  # (connection, cursor, statement, ...)

    event.listen(Engine, "before_cursor_execute", remember)
    try:
        store.changes_for_sprint(train=TRAIN, sprint="Sprint 1", details=False)
    finally:
        event.remove(Engine, "before_cursor_execute", remember)

    [read] = [s for s in statements if "FROM changes" in s]
    assert "changes.title" in read
    details = ("body", "trailers", "commits", "messages", "files")
    assert [name for name in details if f"changes.{name}" in read] == []


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_many_changes_leaves_the_garbage_collector_as_it_was(
    store: SqlStore, enabled: bool
) -> None:
    record(store, recorded("a", ops=(MigrationOp(MigrationStage.EXPAND, "t", "c", "add"),)))
    was_enabled = gc.isenabled()
    gc.enable() if enabled else gc.disable()
    try:
        store.changes_for_sprint(train=TRAIN, sprint="Sprint 1")
        store.expand_history(train=TRAIN)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was_enabled else gc.disable()


def test_json_written_with_spaces_by_another_tool_reads_back(
    store: SqlStore, raw_engine: Engine
) -> None:
    record(store, recorded("a"))
    statement = (
        "UPDATE changes SET labels = CAST(:v AS JSONB)"
        if raw_engine.dialect.name == "postgresql"
        else "UPDATE changes SET labels = :v"
    )
    with raw_engine.begin() as connection:
        connection.execute(text(statement), {"v": ' [ "ui" , "db" ] '})

    [listed] = store.changes_for_sprint(train=TRAIN, sprint="Sprint 1", details=False)

    assert listed.change.labels == ("ui", "db")


def test_an_unknown_change_reads_as_none(store: SqlStore) -> None:
    assert store.get_change(train=TRAIN, change_id="nope") is None


def test_rerecording_a_batch_inserts_nothing(store: SqlStore) -> None:
    batch = [recorded("a", minutes=1, commits=(sha(1),)), recorded("b", minutes=2)]
    assert record(store, *batch) == ["a", "b"]

    assert record(store, *batch) == []
    assert len(store.changes_for_sprint(train=TRAIN, sprint="Sprint 1")) == 2


def test_a_change_already_recorded_is_left_untouched(store: SqlStore) -> None:
    record(store, recorded("a", title="first words"))

    inserted = record(store, recorded("a", title="second words"), recorded("b", minutes=1))

    assert inserted == ["b"]
    change = store.get_change(train=TRAIN, change_id="a")
    assert change is not None
    assert change.change.title == "first words"


def test_a_change_twice_in_one_batch_is_recorded_once(store: SqlStore) -> None:
    op = MigrationOp(MigrationStage.EXPAND, "t", "c", "add column")
    inserted = record(store, recorded("a", ops=(op,)), recorded("a", ops=(op,)))

    assert inserted == ["a"]
    assert len(store.expand_history(train=TRAIN)) == 1


def test_the_same_change_id_in_two_trains_is_two_changes(store: SqlStore) -> None:
    record(store, recorded("a"))
    other = store.record_batch(
        train="checkout", source="api", cursor=None, changes=[recorded("a")], run_id=None
    )

    assert other == ["a"]


def test_the_cursor_moves_with_the_batch(store: SqlStore) -> None:
    assert store.get_cursor(train=TRAIN, source="api") is None

    record(store, recorded("a"), cursor="c1")
    record(store, cursor="c2")

    assert store.get_cursor(train=TRAIN, source="api") == "c2"
    assert store.get_cursor(train=TRAIN, source="web") is None


def test_a_batch_without_a_cursor_keeps_the_stored_one(store: SqlStore) -> None:
    record(store, recorded("a"), cursor="c1")

    record(store, recorded("b", minutes=1), cursor=None)

    assert store.get_cursor(train=TRAIN, source="api") == "c1"


def test_a_failed_batch_leaves_neither_changes_nor_cursor(store: SqlStore) -> None:
    record(store, recorded("a"), cursor="c1")
    # The stage is checked by the database, after the change itself has been inserted.
    broken = MigrationOp(cast(MigrationStage, "rollback"), "payments", None, "drop table")

    with pytest.raises(IntegrityError):
        record(
            store,
            recorded("b", minutes=1, commits=(sha(2),)),
            recorded("c", minutes=2, ops=(broken,)),
            cursor="c2",
        )

    assert store.get_cursor(train=TRAIN, source="api") == "c1"
    assert [c.change.id for c in store.changes_for_sprint(train=TRAIN, sprint="Sprint 1")] == ["a"]
    assert store.change_ids_for_commits(train=TRAIN, shas=[sha(2)]) == {}


@pytest.mark.parametrize("details", [True, False])
def test_changes_for_a_sprint_are_its_own_oldest_merge_first(
    store: SqlStore, details: bool
) -> None:
    record(
        store,
        recorded("late", minutes=30),
        recorded("early", minutes=1),
        recorded("next-sprint", minutes=2, sprint="Sprint 2"),
    )

    listed = store.changes_for_sprint(train=TRAIN, sprint="Sprint 1", details=details)

    assert [c.change.id for c in listed] == ["early", "late"]
    assert store.changes_for_sprint(train=TRAIN, sprint="Sprint 9", details=details) == []


def test_commits_map_to_the_change_that_brought_them(store: SqlStore) -> None:
    trunk_only = dataclasses.replace(
        recorded("b"), change=dataclasses.replace(recorded("b").change, sha=sha(20))
    )
    record(store, recorded("a", commits=(sha(10), sha(11))), trunk_only)
    store.record_batch(
        train="checkout",
        source="api",
        cursor=None,
        changes=[recorded("x", commits=(sha(30),))],
        run_id=None,
    )

    found = store.change_ids_for_commits(
        train=TRAIN, shas=[sha(10), sha(11), sha(20), sha(30), sha(99)]
    )

    assert found == {sha(10): "a", sha(11): "a", sha(20): "b"}


def test_expand_history_lists_expand_ops_oldest_first(store: SqlStore) -> None:
    add = MigrationOp(MigrationStage.EXPAND, "payments", "currency", "add column")
    create = MigrationOp(MigrationStage.EXPAND, "payment_log", None, "create table")
    drop = MigrationOp(MigrationStage.CONTRACT, "payments", "amount_old", "drop column")
    record(store, recorded("later", minutes=50, sprint="Sprint 2", ops=(create, drop)))
    record(store, recorded("sooner", minutes=5, ops=(add,)))
    store.record_batch(
        train="checkout",
        source="api",
        cursor=None,
        changes=[recorded("x", ops=(add,))],
        run_id=None,
    )

    history = store.expand_history(train=TRAIN)

    assert history == [
        ExpandRecord(
            "sooner", "payments", "currency", T0 + timedelta(minutes=5), "Sprint 1", "add column"
        ),
        ExpandRecord(
            "later", "payment_log", None, T0 + timedelta(minutes=50), "Sprint 2", "create table"
        ),
    ]
    assert all(item.merged_at.tzinfo == UTC for item in history)


def test_a_revert_pair_is_recorded_on_both_changes(store: SqlStore) -> None:
    record(store, recorded("a"), recorded("b", minutes=1))

    store.set_revert_pair(train=TRAIN, revert_id="b", reverted_id="a")

    reverted, revert = store.changes_for_sprint(train=TRAIN, sprint="Sprint 1")
    assert (reverted.reverted_by, reverted.reverts) == ("b", None)
    assert (revert.reverts, revert.reverted_by) == ("a", None)


@pytest.mark.parametrize("attached", [True, False])
def test_marking_a_change_attached_is_remembered(store: SqlStore, attached: bool) -> None:
    record(store, dataclasses.replace(recorded("a"), attached=not attached))

    store.mark_attached(train=TRAIN, change_id="a", attached=attached)

    change = store.get_change(train=TRAIN, change_id="a")
    assert change is not None
    assert change.attached is attached


def test_a_sprint_is_saved_and_updated(store: SqlStore) -> None:
    sprint = Sprint(
        name="Sprint 7", start=T0, end=T0 + timedelta(days=14), id="107", state="active"
    )
    store.save_sprint(train=TRAIN, sprint=sprint)
    assert store.list_sprints(train=TRAIN) == [sprint]

    moved = dataclasses.replace(sprint, end=T0 + timedelta(days=15), state="closed")
    store.save_sprint(train=TRAIN, sprint=moved)

    assert store.list_sprints(train=TRAIN) == [moved]
    assert store.list_sprints(train="checkout") == []


def test_a_naive_time_is_refused(store: SqlStore) -> None:
    naive = Sprint(name="Sprint 1", start=datetime(2025, 1, 1), end=datetime(2025, 1, 15))

    with pytest.raises(StatementError, match="naive datetime"):
        store.save_sprint(train=TRAIN, sprint=naive)


def test_sync_runs_are_listed_newest_first(store: SqlStore) -> None:
    first = store.start_run(train=TRAIN, started_at=T0)
    store.finish_run(
        run_id=first,
        finished_at=T0 + timedelta(seconds=3),
        status="ok",
        counts={"new": 2, "attached": 2},
        error=None,
    )
    second = store.start_run(train=TRAIN, started_at=T0 + timedelta(minutes=15))
    store.finish_run(
        run_id=second,
        finished_at=T0 + timedelta(minutes=15, seconds=1),
        status="failed",
        counts={},
        error="Jira answered 503",
    )
    third = store.start_run(train=TRAIN, started_at=T0 + timedelta(minutes=30))
    store.start_run(train="checkout", started_at=T0 + timedelta(minutes=45))

    runs = store.last_runs(train=TRAIN, limit=2)

    assert [(run.id, run.status, run.finished_at, run.error) for run in runs] == [
        (third, "running", None, None),
        (second, "failed", T0 + timedelta(minutes=15, seconds=1), "Jira answered 503"),
    ]
    [oldest] = [run for run in store.last_runs(train=TRAIN, limit=10) if run.id == first]
    assert dict(oldest.counts) == {"new": 2, "attached": 2}
    assert oldest.started_at.tzinfo == UTC


def test_a_ledger_claim_is_idempotent(store: SqlStore) -> None:
    request = {"issue": "REL-1", "links": ["api!42"], "note": "Währung"}
    first = store.ledger_claim(key="k1", service="jira", operation="attach", request=request)
    again = store.ledger_claim(
        key="k1", service="jira", operation="attach", request={"something": "else"}
    )

    assert (first.state, first.attempts, first.result, first.held) == ("pending", 1, None, True)
    assert (again.state, again.attempts, dict(again.request)) == ("pending", 2, request)
    assert again.held is True  # the store that holds it may send it again
    assert store.ledger_entries(prefix="k") == [dataclasses.replace(again, held=False)]


def test_a_completed_ledger_entry_is_returned_as_it_is(store: SqlStore) -> None:
    store.ledger_claim(key="k1", service="jira", operation="attach", request={"a": 1})
    store.ledger_complete(key="k1", result={"comment_id": "10001"})

    claimed = store.ledger_claim(key="k1", service="jira", operation="attach", request={"a": 1})

    assert (claimed.state, claimed.attempts, claimed.result) == ("done", 1, {"comment_id": "10001"})
    assert store.ledger_get(key="k1") == claimed
    assert store.ledger_entries(prefix="k") == [claimed]


def test_a_failed_write_is_recorded_and_others_stay_pending(store: SqlStore) -> None:
    store.ledger_claim(key="k1", service="jira", operation="attach", request={})
    store.ledger_claim(key="k2", service="jira", operation="comment", request={})
    store.ledger_claim(key="k3", service="slack", operation="post", request={})
    store.ledger_fail(key="k1", error="403 Forbidden")

    states = {entry.key: entry.state for entry in store.ledger_entries(prefix="k")}

    assert states == {"k1": "failed", "k2": "pending", "k3": "pending"}
    failed = store.ledger_get(key="k1")
    assert failed is not None
    assert failed.state == "failed"
    assert store.ledger_get(key="missing") is None


def add_draft(store: SqlStore, content: str, *, sprint: str = "Sprint 1") -> int:
    draft = store.add_draft(
        train=TRAIN, sprint=sprint, content=content, created_by="U1", created_at=T0
    )
    return draft.version


def test_draft_versions_count_from_one_per_sprint_and_skip_unchanged_text(
    store: SqlStore,
) -> None:
    assert store.draft_state(train=TRAIN, sprint="Sprint 1") == DraftState()

    versions = [
        add_draft(store, "## Fixes\n- one"),
        add_draft(store, "## Fixes\n- one"),
        add_draft(store, "## Fixes\n- one\n- two"),
        add_draft(store, "## Fixes", sprint="Sprint 2"),
    ]

    assert versions == [1, 1, 2, 1]
    latest = store.latest_draft(train=TRAIN, sprint="Sprint 1")
    assert latest is not None
    assert (latest.version, latest.content, latest.state) == (
        2,
        "## Fixes\n- one\n- two",
        "pending",
    )
    assert latest.created_at == T0
    assert store.draft_state(train=TRAIN, sprint="Sprint 1") == DraftState(
        version=2, state="pending"
    )


def decide(store: SqlStore, version: int, decision: str, user: str) -> tuple[bool, Any]:
    return store.decide_draft(
        train=TRAIN,
        sprint="Sprint 1",
        version=version,
        decision=decision,
        user=user,
        at=T0 + timedelta(hours=1),
        note=None,
    )


def test_the_first_decision_wins_and_the_second_loses(store: SqlStore, raw_engine: Engine) -> None:
    add_draft(store, "notes")

    won, decided = decide(store, 1, "approved", "U_ANA")
    lost, current = decide(store, 1, "changes_requested", "U_BOB")

    assert won is True
    assert (decided.state, decided.decided_by, decided.decided_at) == (
        "approved",
        "U_ANA",
        T0 + timedelta(hours=1),
    )
    assert lost is False
    assert (current.version, current.state, current.decided_by) == (1, "approved", "U_ANA")
    assert store.draft_state(train=TRAIN, sprint="Sprint 1") == DraftState(
        version=1, state="approved", approved_by="U_ANA", approved_at=T0 + timedelta(hours=1)
    )
    with raw_engine.connect() as connection:
        trail = connection.execute(text("SELECT version, decision, decided_by FROM decisions"))
        assert [tuple(row) for row in trail] == [(1, "approved", "U_ANA")]


def test_a_superseded_version_cannot_be_decided(store: SqlStore) -> None:
    add_draft(store, "notes")
    add_draft(store, "better notes")

    won, current = decide(store, 1, "approved", "U_ANA")

    assert won is False
    assert (current.version, current.state) == (2, "pending")


def test_changes_requested_then_a_new_version_is_pending_again(store: SqlStore) -> None:
    add_draft(store, "notes")
    decide(store, 1, "changes_requested", "U_ANA")
    assert store.draft_state(train=TRAIN, sprint="Sprint 1") == DraftState(
        version=1, state="changes_requested"
    )

    assert add_draft(store, "edited notes") == 2
    assert store.draft_state(train=TRAIN, sprint="Sprint 1") == DraftState(
        version=2, state="pending"
    )


def test_simultaneous_decisions_have_exactly_one_winner(store: SqlStore, store_url: str) -> None:
    add_draft(store, "notes")

    results = run_together(4, lambda replica: decide(replica, 1, "approved", "U_X")[0], store_url)

    assert sorted(results) == [False, False, False, True]


def test_replicas_recording_one_batch_at_once_never_duplicate(
    store: SqlStore, store_url: str
) -> None:
    batch = [recorded(f"c{i}", minutes=i, commits=(sha(i),)) for i in range(200)]

    results = run_together(3, lambda replica: record(replica, *batch), store_url)

    assert all(isinstance(result, list) for result in results), results
    assert sorted(change_id for result in results for change_id in result) == sorted(
        f"c{i}" for i in range(200)
    )


def test_ten_thousand_changes_are_recorded_and_read_back(store: SqlStore) -> None:
    op = MigrationOp(MigrationStage.EXPAND, "t", "c", "add column")
    batch = [
        recorded(f"c{i:05}", minutes=i, commits=(sha(i), sha(100_000 + i)), ops=(op,))
        for i in range(10_000)
    ]

    assert len(record(store, *batch)) == 10_000
    assert record(store, *batch) == []

    listed = store.changes_for_sprint(train=TRAIN, sprint="Sprint 1")
    assert [c.change.id for c in listed] == [f"c{i:05}" for i in range(10_000)]
    assert listed[-1].classification.migration_ops == (op,)
    shas = [sha(i) for i in range(10_000)] + [sha(100_000 + i) for i in range(10_000)]
    assert len(store.change_ids_for_commits(train=TRAIN, shas=shas)) == 20_000
    assert len(store.expand_history(train=TRAIN)) == 10_000
