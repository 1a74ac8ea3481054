"""The store revision: every write a view reads moves its train's counter, on SQLite and
PostgreSQL, in the write's own transaction, and every store over the database sees it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from sqlalchemy.exc import IntegrityError

from bot.adapters.store import SqlStore
from bot.domain.model import MigrationOp, MigrationStage, Sprint
from bot.ports.store import OwedWrite
from tests.integration.replicas import run_together
from tests.integration.test_store import TRAIN, record, recorded

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SPRINT = Sprint(name="Sprint 1", start=T0, end=T0 + timedelta(days=14), id="101", state="active")


def add_draft(store: SqlStore, content: str = "*Fixes*") -> int:
    draft = store.add_draft(
        train=TRAIN, sprint=SPRINT.name, content=content, created_by=None, created_at=T0
    )
    return draft.version


def decide(store: SqlStore, version: int, decision: str = "approved") -> bool:
    won, _ = store.decide_draft(
        train=TRAIN,
        sprint=SPRINT.name,
        version=version,
        decision=decision,
        user="U_ANA",
        at=T0,
        note=None,
        owed=None,
    )
    return won


def with_changes(store: SqlStore) -> None:
    record(store, recorded("a"), recorded("b", minutes=1))


def with_a_draft(store: SqlStore) -> None:
    add_draft(store)


# Each kind of write a view reads: (what the store holds first, the write).
WRITES: dict[str, tuple[Callable[[SqlStore], object], Callable[[SqlStore], object]]] = {
    "a recorded change": (lambda s: None, lambda s: record(s, recorded("c"))),
    "a revert pair": (
        with_changes,
        lambda s: s.set_revert_pair(train=TRAIN, revert_id="b", reverted_id="a"),
    ),
    "an attachment": (
        with_changes,
        lambda s: s.mark_attached(train=TRAIN, change_id="a", attached=True),
    ),
    "a draft version": (lambda s: None, add_draft),
    "a draft posted": (
        with_a_draft,
        lambda s: s.set_draft_posted(
            train=TRAIN, sprint=SPRINT.name, version=1, channel="C1", ts="1.2"
        ),
    ),
    "an approval": (with_a_draft, lambda s: decide(s, 1)),
    "changes requested": (with_a_draft, lambda s: decide(s, 1, "changes_requested")),
    "a superseded version": (
        with_a_draft,
        lambda s: (
            add_draft(s, "reworded"),
            s.supersede_drafts(train=TRAIN, sprint=SPRINT.name, below=2),
        ),
    ),
    "a sprint": (lambda s: None, lambda s: s.save_sprint(train=TRAIN, sprint=SPRINT)),
    "a ticket": (
        lambda s: None,
        lambda s: s.set_ticket_key(train=TRAIN, sprint=SPRINT, key="REL-1"),
    ),
}


@pytest.mark.parametrize("kind", list(WRITES))
def test_each_kind_of_write_moves_the_revision(store: SqlStore, kind: str) -> None:
    before, write = WRITES[kind]
    before(store)
    was = store.store_revision(train=TRAIN)

    write(store)

    assert store.store_revision(train=TRAIN) > was


def test_a_train_never_written_is_at_revision_zero(store: SqlStore) -> None:
    assert store.store_revision(train=TRAIN) == 0


def test_a_write_moves_only_its_own_trains_revision(store: SqlStore) -> None:
    store.save_sprint(train="checkout", sprint=SPRINT)

    record(store, recorded("a"))

    assert store.store_revision(train=TRAIN) == 1
    assert store.store_revision(train="checkout") == 1


def test_writes_that_change_nothing_a_view_reads_leave_the_revision(store: SqlStore) -> None:
    with_changes(store)
    add_draft(store)
    decide(store, 1)
    was = store.store_revision(train=TRAIN)

    record(store, recorded("a"), recorded("b", minutes=1), cursor="newer tip")  # recorded before
    add_draft(store)  # the same notes: the stored version is returned
    assert not decide(store, 1, "changes_requested")  # decided already: the click loses
    store.supersede_drafts(train=TRAIN, sprint=SPRINT.name, below=1)  # nothing pending below
    store.ledger_claim(key="k", service="jira", operation="comment", request={})
    store.start_run(train=TRAIN, started_at=T0)

    assert store.store_revision(train=TRAIN) == was


def test_a_failed_write_leaves_the_revision_as_it_was(store: SqlStore) -> None:
    record(store, recorded("a"))
    was = store.store_revision(train=TRAIN)
    # The stage is checked by the database, after the change itself has been inserted.
    broken = MigrationOp(cast(MigrationStage, "rollback"), "payments", None, "drop table")

    with pytest.raises(IntegrityError):
        record(store, recorded("b"), recorded("c", minutes=1, ops=(broken,)))

    assert store.store_revision(train=TRAIN) == was


def test_replicas_see_each_others_writes_move_the_revision(store_url: str) -> None:
    first, second = SqlStore(url=store_url), SqlStore(url=store_url)
    first.prepare(auto_upgrade=True)
    try:
        assert second.store_revision(train=TRAIN) == 0
        record(first, recorded("a"))
        seen = second.store_revision(train=TRAIN)
        add_draft(second)

        assert seen == 1
        assert first.store_revision(train=TRAIN) == 2
    finally:
        first.close()
        second.close()


def test_replicas_writing_at_once_each_move_the_revision(store: SqlStore, store_url: str) -> None:
    results = run_together(
        4,
        lambda replica: replica.mark_attached(train=TRAIN, change_id="a", attached=True),
        store_url,
    )

    assert results == [None] * 4
    assert store.store_revision(train=TRAIN) == 4


def test_an_owed_write_with_a_decision_moves_the_revision_once(store: SqlStore) -> None:
    add_draft(store)
    was = store.store_revision(train=TRAIN)

    won, _ = store.decide_draft(
        train=TRAIN,
        sprint=SPRINT.name,
        version=1,
        decision="approved",
        user="U_ANA",
        at=T0,
        note=None,
        owed=OwedWrite(key="k", service="jira", operation="comment", request={}),
    )

    assert won
    assert store.store_revision(train=TRAIN) == was + 1
